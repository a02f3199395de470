// Why `backup reset-offsets` failed, in words that name the real cause and what to do about it
// (ADR 031, twenty-eighth-session addendum): members to stop, brokers that were tried, a busy
// coordinator to rerun after, or the error as it came. Pure: the adapter gathers the facts.
import { GroupNotEmptyError } from "./group-offset-commit.ts";
import { kindOfKafkaError, type CoordinatorBusyError, type LeaderMovingError } from "./kafka-error-kind.ts";
import { TransientKafkaErrorPersisted } from "./transient-retry.ts";

/** A consumer group member as the broker describes it. */
export interface GroupMember {
  clientId: string;
  clientHost: string;
}

export type ResetFailure =
  /** `members` empty: a member the commit's coordinator refused for, gone or unlisted when described. */
  | { kind: "group-has-members"; groups: { group: string; members: GroupMember[] }[] }
  | { kind: "unreachable"; brokers: readonly string[]; failedBroker?: string; detail: string; attempts?: number; waitedMs?: number }
  | { kind: "coordinator-busy"; error: CoordinatorBusyError; attempts: number; waitedMs: number }
  | { kind: "leader-moving"; error: LeaderMovingError; attempts: number; waitedMs: number }
  | { kind: "other"; message: string };

/** What an error thrown while reading or committing means; `brokers` are the ones the run was given. */
export function resetFailureOf(error: unknown, brokers: readonly string[]): ResetFailure {
  if (error instanceof GroupNotEmptyError) return { kind: "group-has-members", groups: [{ group: error.group, members: [] }] };
  if (error instanceof TransientKafkaErrorPersisted) {
    const { kind, attempts, waitedMs } = error;
    if (kind.kind === "coordinator-busy") return { kind: "coordinator-busy", error: kind.error, attempts, waitedMs };
    if (kind.kind === "leader-moving") return { kind: "leader-moving", error: kind.error, attempts, waitedMs };
    return { kind: "unreachable", brokers, ...(kind.broker === undefined ? {} : { failedBroker: kind.broker }), detail: kind.detail, attempts, waitedMs };
  }
  const kind = kindOfKafkaError(error);
  if (kind.kind === "network") return { kind: "unreachable", brokers, ...(kind.broker === undefined ? {} : { failedBroker: kind.broker }), detail: kind.detail };
  return { kind: "other", message: (error as Error)?.message || String(error) };
}

const rerunIsSafe = "run reset-offsets again: that is safe, it moves only what still differs";
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export function describeResetFailure(failure: ResetFailure): string {
  switch (failure.kind) {
    case "group-has-members": {
      const named = failure.groups.map(({ group, members }) =>
        members.length === 0
          ? `${group} (members joined after the check)`
          : `${group} (${members.length} member${members.length === 1 ? "" : "s"}: ${members.map((m) => `${m.clientId} on ${m.clientHost}`).join(", ")})`,
      );
      return `consumer group(s) with members running: ${named.join(", ")} — stop those services and run reset-offsets again`;
    }
    case "unreachable": {
      const which = failure.failedBroker === undefined ? " " : `: ${failure.failedBroker} failed `;
      const tries = failure.attempts === undefined ? "" : ` through ${failure.attempts} attempts over ${seconds(failure.waitedMs ?? 0)}`;
      return `Kafka is unreachable${which}(${failure.detail})${tries}; brokers tried: ${failure.brokers.join(", ")} — check KAFKA_BROKERS and that the brokers run`;
    }
    case "coordinator-busy": {
      const tries = `after ${failure.attempts} attempts over ${seconds(failure.waitedMs)}`;
      // kafkajs drops the brokers' answers to FindCoordinator: say so rather than name one.
      if (failure.error === "COORDINATOR_NOT_FOUND") {
        return `no broker named the group coordinator ${tries} (as for a while after a broker restarts; kafkajs drops the brokers' answers, so if this persists their logs say why) — ${rerunIsSafe}`;
      }
      return `the group coordinator still answered ${failure.error} ${tries} (as it does for a while after a broker restarts) — ${rerunIsSafe}`;
    }
    case "leader-moving":
      return `a partition's leader still answered ${failure.error} after ${failure.attempts} attempts over ${seconds(failure.waitedMs)} (as while a restarted broker's partitions elect their leaders) — ${rerunIsSafe}`;
    case "other":
      return failure.message;
    default:
      return failure satisfies never;
  }
}

/** Groups whose commit failed, with how many of the partitions to move did move (read back; undefined: could not be read). */
export interface GroupResetTally {
  reset: string[];
  failed: { group: string; failure: ResetFailure; moved: { partitions: number; of: number } | undefined }[];
  /** Not attempted: a failure that was not the group's own (the broker, its coordinator) stops the run. */
  notTried: string[];
}

export function incompleteResetMessage(tally: GroupResetTally): string {
  const lines = ["not every consumer group was reset:"];
  for (const { group, failure, moved } of tally.failed) {
    lines.push(`  ${group}: ${describeResetFailure(failure)}`);
    if (moved === undefined) lines.push("    its offsets: could not be read back; --dry-run shows where they stand once the broker answers");
    else if (moved.partitions === 0) lines.push(`    its offsets: none of its ${moved.of} partition${moved.of === 1 ? "" : "s"} moved`);
    else lines.push(`    its offsets: ${moved.partitions} of its ${moved.of} partitions moved before the failure (run reset-offsets again to move the rest)`);
  }
  const notReset = [...tally.failed.map((f) => f.group), ...tally.notTried];
  const lastFailed = tally.failed.at(-1)?.group;
  lines.push(`groups reset: ${tally.reset.join(", ") || "none"}`);
  lines.push(`groups not reset: ${notReset.join(", ")}${tally.notTried.length === 0 ? "" : ` (${tally.notTried.join(", ")} not tried after ${lastFailed} failed)`}`);
  return lines.join("\n");
}
