// Which of kafkajs' errors `backup reset-offsets` may wait out and which it must report at once
// (ADR 031, twenty-eighth-session addendum). Pure: it reads the error objects kafkajs throws.
//
// kafkajs' own retrier (the `retry` option of its client) cannot say this: it retries every
// error not marked `retriable: false` — a TypeError of ours included — and the coordinator's
// OffsetCommit, sent through its cluster (group-offset-commit.ts), is not wrapped by it at all.

/**
 * Kafka's names for what a group coordinator answers while it is not ready (after a restart, a
 * leader move), and COORDINATOR_NOT_FOUND: kafkajs' KafkaJSGroupCoordinatorNotFound, which it
 * throws without a cause once every broker failed FindCoordinator — after its own retries of
 * COORDINATOR_NOT_AVAILABLE, what a broker answers while __consumer_offsets has no leader yet.
 */
export type CoordinatorBusyError = "COORDINATOR_LOAD_IN_PROGRESS" | "COORDINATOR_NOT_AVAILABLE" | "NOT_COORDINATOR" | "REQUEST_TIMED_OUT" | "COORDINATOR_NOT_FOUND";

/**
 * What a partition's broker answers while the partition has no leader or another broker just took
 * it over (a restart moves leaders): the offset reads (fetchTopicOffsets, by timestamp) meet these.
 * kafkajs names NOT_LEADER_OR_FOLLOWER after its older name NOT_LEADER_FOR_PARTITION.
 */
export type LeaderMovingError = "LEADER_NOT_AVAILABLE" | "NOT_LEADER_OR_FOLLOWER";

export type KafkaErrorKind =
  /** The coordinator is loading or moving: passes within seconds. */
  | { kind: "coordinator-busy"; error: CoordinatorBusyError }
  /** A partition's leader is being elected or moved: passes within seconds. */
  | { kind: "leader-moving"; error: LeaderMovingError }
  /** A broker refused or dropped the connection: passes if it was restarting. */
  | { kind: "network"; broker?: string; detail: string }
  /** The coordinator refused a member-less commit: the group has members. Waiting does not help. */
  | { kind: "group-has-members"; error: string }
  | { kind: "other" };

// By error code; kafkajs names three of them after Kafka's older names.
const coordinatorBusyByCode: Record<number, CoordinatorBusyError> = {
  14: "COORDINATOR_LOAD_IN_PROGRESS", // kafkajs GROUP_LOAD_IN_PROGRESS
  15: "COORDINATOR_NOT_AVAILABLE", // kafkajs GROUP_COORDINATOR_NOT_AVAILABLE
  16: "NOT_COORDINATOR", // kafkajs NOT_COORDINATOR_FOR_GROUP
  7: "REQUEST_TIMED_OUT",
};
const leaderMovingByCode: Record<number, LeaderMovingError> = {
  5: "LEADER_NOT_AVAILABLE",
  6: "NOT_LEADER_OR_FOLLOWER", // kafkajs NOT_LEADER_FOR_PARTITION
};
const groupHasMembersTypes = new Set(["UNKNOWN_MEMBER_ID", "ILLEGAL_GENERATION", "REBALANCE_IN_PROGRESS"]);
const networkErrorNames = new Set(["KafkaJSConnectionError", "KafkaJSConnectionClosedError", "KafkaJSBrokerNotFound", "KafkaJSNoBrokerAvailableError"]);
const networkErrorCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  type?: unknown;
  code?: unknown;
  broker?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The first link of the error and its causes (kafkajs wraps what it retried) that says what happened. */
export function kindOfKafkaError(error: unknown): KafkaErrorKind {
  for (const link of causeChain(error)) {
    if (typeof link.type === "string" && groupHasMembersTypes.has(link.type)) return { kind: "group-has-members", error: link.type };
    if (typeof link.type === "string" && typeof link.code === "number" && coordinatorBusyByCode[link.code] !== undefined) return { kind: "coordinator-busy", error: coordinatorBusyByCode[link.code]! };
    if (typeof link.type === "string" && typeof link.code === "number" && leaderMovingByCode[link.code] !== undefined) return { kind: "leader-moving", error: leaderMovingByCode[link.code]! };
    if (link.name === "KafkaJSRequestTimeoutError") return { kind: "coordinator-busy", error: "REQUEST_TIMED_OUT" };
    // Every lookup of a group's coordinator (admin reads, our commit) goes through it; kafkajs'
    // brokerPool.withBroker drops each broker's answer, so a refusal (GROUP_AUTHORIZATION_FAILED)
    // looks the same and is waited out too: the message says the cause is unknown.
    if (link.name === "KafkaJSGroupCoordinatorNotFound") return { kind: "coordinator-busy", error: "COORDINATOR_NOT_FOUND" };
    if ((typeof link.name === "string" && networkErrorNames.has(link.name)) || (typeof link.code === "string" && networkErrorCodes.has(link.code))) {
      return { kind: "network", ...(typeof link.broker === "string" ? { broker: link.broker } : {}), detail: String(link.message) };
    }
  }
  return { kind: "other" };
}

export type TransientKafkaErrorKind = Extract<KafkaErrorKind, { kind: "coordinator-busy" | "leader-moving" | "network" }>;

/** What a bounded wait may get past: a busy coordinator, a partition's leader moving, or a broker that is restarting. */
export function isTransient(kind: KafkaErrorKind): kind is TransientKafkaErrorKind {
  return kind.kind === "coordinator-busy" || kind.kind === "leader-moving" || kind.kind === "network";
}

function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let link: unknown = error;
  // Bounded: a cause chain is short, and a cycle must not hang the reset.
  while (typeof link === "object" && link !== null && chain.length < 10 && !chain.includes(link)) {
    chain.push(link);
    link = (link as ErrorLike).cause ?? (link as ErrorLike).originalError;
  }
  return chain;
}
