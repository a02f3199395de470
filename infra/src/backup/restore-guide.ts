// What the operator does after a restore, as text, and the consumer groups' offsets as the
// CSV files Kafka's own tool takes. Pure: the CLI writes the files and prints the text.
import type { BackupManifest } from "./manifest.ts";
import { byTimeFrom, lagMarginBeforeBackupMs } from "./offset-reset-plan.ts";

/** The class in the kafka-tools jar `infra/src/kafka.ts` fetches (`kafka-consumer-groups.sh` runs the same). */
export const consumerGroupCommand = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";

/**
 * Per consumer group, `topic,partition,offset` lines for `--reset-offsets --from-file`.
 * A partition of a topic the group had committed on, but not on that partition (nothing
 * read there yet), is put back to 0: the tool only moves the partitions its file names and
 * raises 0 to the log's start, and a group subscribed from the beginning with no offset
 * starts there. Left out, such a partition would keep the offset committed after the
 * backup, and the events the restored database never applied there would be skipped.
 */
export function groupOffsetFiles(manifest: BackupManifest): { group: string; csv: string }[] {
  if (!manifest.kafka.reachable) return [];
  const partitionsOf = new Map(manifest.kafka.topicEnds.map(({ topic, partitions }) => [topic, partitions.map((p) => p.partition)]));
  return manifest.kafka.consumerGroups.map(({ group, topics }) => ({
    group,
    csv: topics
      .flatMap(({ topic, partitions }) => {
        const committed = new Set(partitions.map((p) => p.partition));
        const unread = (partitionsOf.get(topic) ?? []).filter((partition) => !committed.has(partition)).map((partition) => ({ partition, offset: "0" }));
        return [...partitions, ...unread].sort((a, b) => a.partition - b.partition).map((p) => `${topic},${p.partition},${p.offset}\n`);
      })
      .join(""),
  }));
}

/** A file name for a group's CSV: group names may hold characters a path should not. */
export function offsetFileNameOf(group: string): string {
  return `${group.replace(/[^A-Za-z0-9._-]/g, "_")}.csv`;
}

/** A word as a POSIX shell reads it back unchanged: a folder with a space or a group with a quote still pastes into one command. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._\/:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The operator's steps after a restore. `dirOption` is the restore's `--dir`, repeated in the
 * printed reset-offsets commands so they find the same backup.
 */
export function nextStepsAfterRestore(manifest: BackupManifest, database: string, offsetsDir: string | undefined, dirOption?: string): string {
  const taken = manifest.takenAt;
  const brokers = manifest.kafka.brokers.join(",");
  const classpath = `java -cp ".infra/kafka/libs/$(ls .infra/kafka/libs | head -1)/*" ${consumerGroupCommand} --bootstrap-server ${brokers}`;
  const resetOffsets = `npm run backup -- reset-offsets ${manifest.name}${dirOption === undefined ? "" : ` --dir ${shellWord(dirOption)}`}`;
  const steps = [
    `Restored backup ${manifest.name} (the database ${manifest.database} as of ${taken}) into database ${database}.`,
    "What was written after that instant is not in it. Next:",
    "1. Keep every service stopped until step 3: a consumer group can only be reset while none of its members runs.",
  ];
  if (manifest.kafka.reachable && offsetsDir !== undefined) {
    const groups = groupOffsetFiles(manifest);
    steps.push(
      `2. Put each consumer group back to the offsets it had committed at the backup (Kafka kept its newer ones, which would skip the events after ${taken}):`,
      `   ${resetOffsets} --dry-run`,
      `   ${resetOffsets}`,
      "   The first shows each group's offsets before and after, the second sets them; it refuses, naming them, groups with members still running.",
      `   By hand, if it cannot run, with Kafka's tool and the files in ${offsetsDir} (a group not listed here had nothing committed: --to-earliest):`,
      ...groups.map(({ group }) => `   ${classpath} --group ${shellWord(group)} --reset-offsets --from-file ${shellWord(`${offsetsDir}/${offsetFileNameOf(group)}`)} --execute`),
      ...(groups.length === 0 ? ["   (no consumer group had committed offsets on the system's topics)"] : []),
      "   Events the database had already applied come again and are skipped by event id (each consumer's inbox; the archive by its entries' ids).",
      `   Messages past the topics' end offsets in the manifest were published after the backup: republished outbox rows (duplicates, skipped) or work lost with the restore, which the consumers will apply — read them with kafka-console-consumer from those offsets if that matters.`,
    );
  } else {
    const reason = manifest.kafka.reachable ? "" : ` (Kafka was unreachable at the backup: ${manifest.kafka.error})`;
    // With its zone (Z): the tool reads a time without one as the machine's local time.
    const from = byTimeFrom(taken).toISOString();
    steps.push(
      `2. The manifest has no consumer offsets${reason}. Put each group back by time, ${lagMarginBeforeBackupMs / 60_000} minutes before the backup for the lag consumers had then; repeats are skipped by event id:`,
      `   ${resetOffsets} --dry-run`,
      `   ${resetOffsets}`,
      "   By hand, if it cannot run, for each of the system's groups:",
      `   ${classpath} --group <group> --all-topics --reset-offsets --to-datetime ${from} --execute`,
    );
  }
  steps.push(
    `3. Point OMS_DATABASE (or each service's DATABASE_URL) at ${database} and start the services. Each relay publishes the outbox rows the backup held, some of them a second time; consumers skip ids they have.`,
    "4. Once the system runs on it, drop or rename the old database yourself; the restore never touches it.",
  );
  return steps.join("\n");
}
