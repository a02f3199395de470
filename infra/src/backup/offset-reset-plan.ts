// Where `backup reset-offsets` puts each consumer group after a restore, per topic and
// partition, and why when it is not simply the offset recorded at the backup. Pure: the
// adapter (reset-offsets.ts) reads the broker and commits what this decides (ADR 031).
import { physicalTopic } from "@oms/contracts";
import type { BackupManifest } from "./manifest.ts";

/**
 * A backup without recorded offsets is reset to the offsets of this long before its time:
 * room for the lag consumers had then. Repeats are skipped by event id; events older than
 * the margin that were not yet applied are missed (ADR 031, operations.md "Restoring").
 */
export const lagMarginBeforeBackupMs = 10 * 60_000;

/** The moment a by-time reset looks up: the backup's time minus the margin. */
export function byTimeFrom(takenAt: string): Date {
  return new Date(Date.parse(takenAt) - lagMarginBeforeBackupMs);
}

/** A partition as the broker has it now: its log's start and end, and the group's committed offset (null: none). */
export interface PartitionNow {
  partition: number;
  low: string;
  high: string;
  committed: string | null;
}

/** One partition's move: `before` is the group's committed offset now (null: none), `after` where it is put. */
export interface OffsetChange {
  group: string;
  topic: string;
  partition: number;
  before: string | null;
  after: string;
  /** Why `after` is not what the backup recorded or the time gave, for the operator to read. */
  note?: string;
}

export interface RecordedTarget {
  group: string;
  topic: string;
  /** The group's committed offsets at the backup by partition; undefined when it had none on the topic. */
  recorded: ReadonlyMap<number, string> | undefined;
  /** The topic's partitions at the backup (the manifest's topic ends); undefined when the topic did not exist then. */
  partitionsAtBackup: ReadonlySet<number> | undefined;
}

/**
 * Back to the backup. Where the backup holds no usable offset the group starts from the
 * log's start — as a service's group subscribed from the beginning with nothing committed
 * does — because replaying is safe (the inbox skips what the database applied) and skipping
 * is not (what it skipped, the restored database never applied).
 */
export function plannedFromBackup(target: RecordedTarget, now: readonly PartitionNow[]): OffsetChange[] {
  return now.map((p) => {
    const move = (after: string, note?: string): OffsetChange => ({ group: target.group, topic: target.topic, partition: p.partition, before: p.committed, after, ...(note === undefined ? {} : { note }) });
    if (target.partitionsAtBackup === undefined) return move(p.low, "topic created after the backup: from its start");
    if (!target.partitionsAtBackup.has(p.partition)) return move(p.low, "partition created after the backup: from its start");
    const recorded = target.recorded?.get(p.partition);
    if (recorded === undefined) return move(p.low, "nothing committed at the backup: from the log's start");
    if (BigInt(recorded) < BigInt(p.low)) {
      return move(p.low, `recorded ${recorded}, but retention deleted offsets ${recorded} to ${BigInt(p.low) - 1n}: those events cannot be replayed`);
    }
    if (BigInt(recorded) > BigInt(p.high)) return move(p.low, `recorded ${recorded} is past the partition's end ${p.high}: the topic was recreated or truncated since the backup; from its start`);
    return move(recorded);
  });
}

export interface ByTimeTarget {
  group: string;
  topic: string;
  /** Per partition, the first offset at or after the time (the end when nothing is that recent). */
  atTime: ReadonlyMap<number, string>;
}

/** Back to a time, for a backup without recorded offsets. */
export function plannedByTime(target: ByTimeTarget, now: readonly PartitionNow[]): OffsetChange[] {
  return now.map((p) => {
    const after = target.atTime.get(p.partition) ?? p.low;
    // The broker answers the first offset it still has: a log whose start retention moved past
    // the time may have lost events the restored database never applied.
    const note = after === p.low && BigInt(p.low) > 0n ? `the log starts at ${p.low}: older events were deleted by retention, some perhaps after the time` : undefined;
    return { group: target.group, topic: target.topic, partition: p.partition, before: p.committed, after, ...(note === undefined ? {} : { note }) };
  });
}

/**
 * The groups a reset puts back, each with the topics it reads: every system group
 * (`systemConsumerGroups`, the list the backup records from) on its topics under the
 * backup's namespace, and every group the manifest recorded on the topics recorded — a
 * group renamed since still goes back where it was.
 */
export function groupsToReset(manifest: BackupManifest, systemGroups: Readonly<Record<string, readonly string[]>>): { group: string; topics: string[] }[] {
  const namespace = manifest.kafka.namespace;
  const topicsOf = new Map<string, Set<string>>();
  const add = (group: string, topic: string) => topicsOf.set(group, (topicsOf.get(group) ?? new Set()).add(topic));
  for (const [name, topics] of Object.entries(systemGroups)) for (const topic of topics) add(physicalTopic(name, namespace), physicalTopic(topic, namespace));
  if (manifest.kafka.reachable) for (const { group, topics } of manifest.kafka.consumerGroups) for (const { topic } of topics) add(group, topic);
  return [...topicsOf].map(([group, topics]) => ({ group, topics: [...topics].sort() })).sort((a, b) => a.group.localeCompare(b.group));
}

/** Only the partitions that move: a second run finds none. */
export function changesToCommit(rows: readonly OffsetChange[]): OffsetChange[] {
  return rows.filter((row) => row.before !== row.after);
}
