// `backup reset-offsets <name>`: after a restore, puts the system's consumer groups back to
// where they stood at the backup, with kafkajs' admin client — what operators did by hand
// with Kafka's ConsumerGroupCommand (ADR 031, twenty-seventh-session addendum).
import type { Admin, Kafka } from "kafkajs";
import { systemConsumerGroups } from "@oms/contracts";
import { readManifest } from "./backup-folder.ts";
import { commitGroupResets } from "./commit-group-resets.ts";
import { openGroupOffsetCommitter } from "./group-offset-commit.ts";
import { connectKafkaAdmin } from "./kafka-positions.ts";
import type { BackupManifest } from "./manifest.ts";
import { describeResetFailure, incompleteResetMessage, resetFailureOf, type GroupMember, type GroupResetTally, type ResetFailure } from "./offset-reset-failure.ts";
import { byTimeFrom, changesToCommit, groupsToReset, plannedByTime, plannedFromBackup, type OffsetChange, type PartitionNow } from "./offset-reset-plan.ts";
import { retryWhileTransient, TransientKafkaErrorPersisted } from "./transient-retry.ts";

/** The broker cannot be reached: nothing was changed. */
export class KafkaUnreachableError extends Error {
  override readonly name = "KafkaUnreachableError";
}

/** Groups with members running: Kafka resets only an empty group, and a live system's must not be rewound. */
export class ActiveConsumerGroupsError extends Error {
  override readonly name = "ActiveConsumerGroupsError";
  readonly groups: string[];
  constructor(groups: { group: string; members: GroupMember[] }[]) {
    super(`${describeResetFailure({ kind: "group-has-members", groups })}; no group was changed`);
    this.groups = groups.map((g) => g.group);
  }
}

/** Reading where the groups stand failed before any commit: what went wrong, and that nothing was changed. */
export class OffsetResetReadError extends Error {
  override readonly name = "OffsetResetReadError";
}

/** Some groups' commits failed: each failure's cause, and which groups were reset and which were not. */
export class ConsumerGroupsNotResetError extends Error {
  override readonly name = "ConsumerGroupsNotResetError";
  readonly tally: GroupResetTally;
  constructor(tally: GroupResetTally) {
    super(incompleteResetMessage(tally));
    this.tally = tally;
  }
}

/** The broker has none of the topics the groups read: the wrong brokers or namespace, nothing was changed. */
export class NoSystemTopicsError extends Error {
  override readonly name = "NoSystemTopicsError";
  constructor(brokers: readonly string[], namespace: string) {
    super(
      `none of the system's topics${namespace === "" ? "" : ` (namespace ${namespace})`} is on Kafka at ${brokers.join(",")}: ` +
        "check that KAFKA_BROKERS names the services' brokers; no consumer group was changed " +
        "(a rebuilt, empty broker has nothing to put back: the services create the topics and read them from the start)",
    );
  }
}

export interface ResetOffsetsOptions {
  dir: string;
  name: string;
  /** KAFKA_BROKERS; the brokers the backup recorded when not given. */
  brokers?: string[];
  dryRun: boolean;
}

export interface OffsetResetOutcome {
  manifest: BackupManifest;
  /** Set for a backup without recorded offsets: the time the groups are put back to. */
  byTime?: Date;
  rows: OffsetChange[];
  /** The rows that moved (or, in a dry run, would have). */
  changed: OffsetChange[];
  /** Topics a group reads that the broker does not have: nothing to reset there. */
  absentTopics: string[];
  dryRun: boolean;
}

export async function resetConsumerOffsets(options: ResetOffsetsOptions): Promise<OffsetResetOutcome> {
  const manifest = await readManifest(options.dir, options.name);
  const brokers = options.brokers && options.brokers.length > 0 ? options.brokers : manifest.kafka.brokers;
  // Run right after a restore started the brokers: the first connection waits them out as every call does.
  const connected = await connectKafkaAdmin({ brokers, namespace: manifest.kafka.namespace }, patiently);
  if ("error" in connected) {
    throw new KafkaUnreachableError(`${describeResetFailure(unreachableOf(connected.cause, connected.error, brokers))}; no consumer group was changed`);
  }
  const { admin, kafka } = connected;
  try {
    const planned = await plannedChanges(admin, manifest, brokers).catch((error: unknown) => {
      if (error instanceof ActiveConsumerGroupsError || error instanceof NoSystemTopicsError) throw error;
      throw new OffsetResetReadError(`${describeResetFailure(resetFailureOf(error, brokers))}; no consumer group was changed`, { cause: error });
    });
    if (!options.dryRun) await commitConsumerGroupResets(admin, kafka, planned.changed, brokers);
    return { manifest, ...planned, dryRun: options.dryRun };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** A first connection that failed, as unreachable: through how many attempts, and the broker that failed when kafkajs says. */
function unreachableOf(cause: unknown, message: string, brokers: readonly string[]): ResetFailure {
  const failure = resetFailureOf(cause, brokers);
  if (failure.kind === "unreachable") return failure;
  if (!(cause instanceof TransientKafkaErrorPersisted)) return { kind: "unreachable", brokers, detail: message };
  const detail = (cause.cause as Error | undefined)?.message || message;
  return { kind: "unreachable", brokers, detail, attempts: cause.attempts, waitedMs: cause.waitedMs };
}

/** Each admin call waits out a busy coordinator, as the commits do: right after a broker restart the reads fail first. */
const patiently = <T>(operation: () => Promise<T>) => retryWhileTransient(operation);

/** Where every group stands and where the backup puts it; reads only. */
export async function plannedChanges(admin: Admin, manifest: BackupManifest, brokers: readonly string[]) {
  const groups = groupsToReset(manifest, systemConsumerGroups);
  await refuseActiveGroups(admin, groups.map((g) => g.group));
  const existing = new Set(await patiently(() => admin.listTopics()));
  const topics = [...new Set(groups.flatMap((g) => g.topics))];
  const absentTopics = topics.filter((topic) => !existing.has(topic)).sort();
  // Not one of them there: another cluster (KAFKA_BROKERS) or namespace, not a system to put
  // back. "Nothing to change" with exit 0 would let the services resume past the backup.
  if (absentTopics.length === topics.length) throw new NoSystemTopicsError(brokers, manifest.kafka.namespace);
  const byTime = manifest.kafka.reachable ? undefined : byTimeFrom(manifest.takenAt);
  const broker = brokerReadings(admin, byTime);
  const rows: OffsetChange[] = [];
  for (const { group, topics } of groups) {
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length === 0) continue;
    const committed = await patiently(() => admin.fetchOffsets({ groupId: group, topics: present }));
    for (const topic of present) {
      const committedHere = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, p.offset]));
      const now: PartitionNow[] = (await broker.ends(topic)).map((p) => ({ ...p, committed: Number(committedHere.get(p.partition) ?? -1) >= 0 ? committedHere.get(p.partition)! : null }));
      rows.push(...(byTime === undefined ? plannedFromBackup(recordedTarget(manifest, group, topic), now) : plannedByTime({ group, topic, atTime: await broker.atTime(topic) }, now)));
    }
  }
  return { ...(byTime === undefined ? {} : { byTime }), rows, changed: changesToCommit(rows), absentTopics };
}

/** Every group checked before any is touched: a refusal leaves all of them as they were. */
async function refuseActiveGroups(admin: Admin, groups: string[]): Promise<void> {
  const { groups: described } = await patiently(() => admin.describeGroups(groups));
  const active = described.filter((g) => g.members.length > 0).map((g) => ({ group: g.groupId, members: g.members.map(({ clientId, clientHost }) => ({ clientId, clientHost })) }));
  if (active.length > 0) throw new ActiveConsumerGroupsError(active.sort((a, b) => a.group.localeCompare(b.group)));
}

/** Each topic's log start and end, and its offsets at the time, read once however many groups read it. */
function brokerReadings(admin: Admin, byTime: Date | undefined) {
  const ends = new Map<string, Promise<{ partition: number; low: string; high: string }[]>>();
  const atTimes = new Map<string, Promise<Map<number, string>>>();
  return {
    ends: (topic: string) => {
      if (!ends.has(topic)) ends.set(topic, patiently(() => admin.fetchTopicOffsets(topic)).then((ps) => ps.map(({ partition, low, high }) => ({ partition, low, high })).sort((a, b) => a.partition - b.partition)));
      return ends.get(topic)!;
    },
    atTime: (topic: string) => {
      // kafkajs answers a partition with nothing that recent with its end: the group then waits for new events.
      if (!atTimes.has(topic)) atTimes.set(topic, patiently(() => admin.fetchTopicOffsetsByTimestamp(topic, byTime!.getTime())).then((ps) => new Map(ps.map((p) => [p.partition, p.offset]))));
      return atTimes.get(topic)!;
    },
  };
}

function recordedTarget(manifest: BackupManifest, group: string, topic: string) {
  if (!manifest.kafka.reachable) throw new Error("a backup without recorded offsets is reset by time");
  const recorded = manifest.kafka.consumerGroups.find((g) => g.group === group)?.topics.find((t) => t.topic === topic)?.partitions;
  const ends = manifest.kafka.topicEnds.find((t) => t.topic === topic)?.partitions;
  return {
    group,
    topic,
    recorded: recorded === undefined ? undefined : new Map(recorded.map((p) => [p.partition, p.offset])),
    partitionsAtBackup: ends === undefined ? undefined : new Set(ends.map((p) => p.partition)),
  };
}

/**
 * One commit per group, all its topics and partitions at once (commit-group-resets.ts). Any
 * group that did not go back fails the run, naming why and which groups were reset.
 */
export async function commitConsumerGroupResets(admin: Admin, kafka: Kafka, changed: readonly OffsetChange[], brokers: readonly string[]): Promise<void> {
  if (changed.length === 0) return;
  const committer = await openGroupOffsetCommitter(kafka).catch((error: unknown) => {
    throw new OffsetResetReadError(`${describeResetFailure(resetFailureOf(error, brokers))}; no consumer group was changed`, { cause: error });
  });
  try {
    const tally = await commitGroupResets(
      {
        commit: (group, commits) => committer.commit(group, commits),
        membersOf: async (group) => (await admin.describeGroups([group])).groups.flatMap((g) => g.members.map(({ clientId, clientHost }) => ({ clientId, clientHost }))),
        committedNow: async (group, topics) => {
          const offsets = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
          return new Map(offsets.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}:${p.partition}`, p.offset] as const)));
        },
      },
      changed,
      brokers,
    );
    if (tally.failed.length > 0) throw new ConsumerGroupsNotResetError(tally);
  } finally {
    await committer.close();
  }
}
