// The commit half of `backup reset-offsets`: each group's moves in one request, and a tally of
// which groups were reset and which were not, each failure with its real cause (ADR 031,
// twenty-eighth-session addendum). The broker is reached through the ports given.
import type { PartitionCommit } from "./group-offset-commit.ts";
import { resetFailureOf, type GroupMember, type GroupResetTally } from "./offset-reset-failure.ts";
import type { OffsetChange } from "./offset-reset-plan.ts";

export interface GroupResetPorts {
  /** One group's offsets in one request, transient errors already waited out (group-offset-commit.ts). */
  commit(group: string, commits: readonly PartitionCommit[]): Promise<void>;
  /** The group's members as the broker describes them, to name them in the failure. */
  membersOf(group: string): Promise<GroupMember[]>;
  /** The group's committed offsets by `topic:partition`, read back after a failure. */
  committedNow(group: string, topics: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/**
 * A group that gained a member is that group's problem alone: the others are still reset, and
 * the operator learns every group to stop. Any other failure (the broker, its coordinator, the
 * unknown) stops the run there: the next groups would only fail the same way, each after the
 * full backoff. A rerun moves only what still differs, so it finishes either way.
 */
export async function commitGroupResets(ports: GroupResetPorts, changed: readonly OffsetChange[], brokers: readonly string[]): Promise<GroupResetTally> {
  const groups = [...new Set(changed.map((c) => c.group))];
  const tally: GroupResetTally = { reset: [], failed: [], notTried: [] };
  for (const [index, group] of groups.entries()) {
    const rows = changed.filter((c) => c.group === group);
    try {
      await ports.commit(group, rows.map(({ topic, partition, after }) => ({ topic, partition, offset: after })));
      tally.reset.push(group);
    } catch (error) {
      let failure = resetFailureOf(error, brokers);
      if (failure.kind === "group-has-members") failure = { ...failure, groups: [{ group, members: await ports.membersOf(group).catch(() => []) }] };
      tally.failed.push({ group, failure, moved: await movedBeforeFailure(ports, group, rows) });
      if (failure.kind !== "group-has-members") {
        tally.notTried = groups.slice(index + 1);
        break;
      }
    }
  }
  return tally;
}

/**
 * A refusal (members, a busy coordinator) writes none of the request, but a connection lost
 * after sending, or a partition refused alone, may have written some: read back, not assumed.
 */
async function movedBeforeFailure(ports: GroupResetPorts, group: string, rows: readonly OffsetChange[]): Promise<{ partitions: number; of: number } | undefined> {
  try {
    const now = await ports.committedNow(group, [...new Set(rows.map((r) => r.topic))]);
    return { partitions: rows.filter((r) => now.get(`${r.topic}:${r.partition}`) === r.after).length, of: rows.length };
  } catch {
    return undefined;
  }
}
