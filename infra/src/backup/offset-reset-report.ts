// What `backup reset-offsets` prints: per group, topic and partition the offset before and
// after, and why where it is not the backup's. Pure: the CLI writes it.
import { lagMarginBeforeBackupMs } from "./offset-reset-plan.ts";
import type { OffsetResetOutcome } from "./reset-offsets.ts";

export function offsetResetReport(outcome: OffsetResetOutcome): string {
  const { manifest, rows, changed, dryRun } = outcome;
  const groups = new Set(rows.map((r) => r.group)).size;
  const namespace = manifest.kafka.namespace === "" ? "" : ` (namespace ${manifest.kafka.namespace})`;
  const lines = [
    outcome.byTime === undefined
      ? `Consumer groups${namespace} back to the offsets recorded in backup ${manifest.name} (${manifest.takenAt}):`
      : `Backup ${manifest.name} has no recorded offsets${manifest.kafka.reachable ? "" : ` (Kafka was unreachable at the backup: ${manifest.kafka.error})`}; ` +
        `consumer groups${namespace} back to the offsets at ${outcome.byTime.toISOString()}, ${lagMarginBeforeBackupMs / 60_000} minutes before the backup (${manifest.takenAt}):`,
  ];
  const verb = dryRun ? "would change" : "changed";
  for (const row of rows) {
    const state = row.before === row.after ? "unchanged" : verb;
    lines.push(`  ${row.group}  ${row.topic}[${row.partition}]  ${row.before ?? "none"} -> ${row.after}  ${state}${row.note === undefined ? "" : `  (${row.note})`}`);
  }
  for (const topic of outcome.absentTopics) lines.push(`  topic ${topic} is not on the broker: nothing to reset there`);
  const partitions = (n: number) => `${n} partition${n === 1 ? "" : "s"}`;
  const groupCount = `${groups} group${groups === 1 ? "" : "s"}`;
  if (changed.length === 0) lines.push(`nothing to change: each of ${groupCount} already stands where the backup puts it`);
  else if (dryRun) lines.push(`dry run: ${partitions(changed.length)} would change; nothing was changed (run it again without --dry-run)`);
  else lines.push(`${partitions(changed.length)} of ${groupCount} reset; start the services once the database is pointed at the restored copy`);
  return lines.join("\n");
}
