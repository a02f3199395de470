import { describe, expect, it } from "vitest";
import { commitGroupResets, type GroupResetPorts } from "./commit-group-resets.ts";
import { GroupNotEmptyError, type PartitionCommit } from "./group-offset-commit.ts";
import type { OffsetChange } from "./offset-reset-plan.ts";
import { TransientKafkaErrorPersisted } from "./transient-retry.ts";

const change = (group: string, partition: number): OffsetChange => ({ group, topic: "t", partition, before: "9", after: "5" });
const changed = [change("a", 0), change("b", 0), change("b", 1), change("c", 0), change("d", 0), change("e", 0)];

/** Ports whose commit fails for the groups given; what each group's offsets read back as afterwards. */
function ports(failures: Record<string, Error>, readBack: Record<string, Record<string, string>> = {}) {
  const committed: string[] = [];
  const port: GroupResetPorts = {
    commit: async (group: string, commits: readonly PartitionCommit[]) => {
      committed.push(`${group}:${commits.map((c) => c.partition).join(",")}`);
      if (failures[group] !== undefined) throw failures[group];
    },
    membersOf: async (group) => (group === "b" ? [{ clientId: "oms-b", clientHost: "/10.0.0.2" }] : []),
    committedNow: async (group) => {
      if (readBack[group] === undefined) throw new Error("unreadable");
      return new Map(Object.entries(readBack[group]));
    },
  };
  return { port, committed };
}

describe("committing each group's reset and tallying what happened", () => {
  it("goes on past a group with members (it names them), stops at a failure that is not the group's own, and says which groups were reset", async () => {
    const busy = new TransientKafkaErrorPersisted({ kind: "coordinator-busy", error: "COORDINATOR_LOAD_IN_PROGRESS" }, 7, 15_750, new Error("loading"));
    const { port, committed } = ports({ b: new GroupNotEmptyError("b", "UNKNOWN_MEMBER_ID"), d: busy }, { b: { "t:0": "9", "t:1": "9" } });
    const tally = await commitGroupResets(port, changed, ["k:9092"]);
    expect(committed).toEqual(["a:0", "b:0,1", "c:0", "d:0"]);
    expect(tally.reset).toEqual(["a", "c"]);
    expect(tally.notTried).toEqual(["e"]);
    expect(tally.failed).toEqual([
      { group: "b", failure: { kind: "group-has-members", groups: [{ group: "b", members: [{ clientId: "oms-b", clientHost: "/10.0.0.2" }] }] }, moved: { partitions: 0, of: 2 } },
      { group: "d", failure: { kind: "coordinator-busy", error: "COORDINATOR_LOAD_IN_PROGRESS", attempts: 7, waitedMs: 15_750 }, moved: undefined },
    ]);
  });

  it("reads back a failed group's offsets to say how many partitions moved before the failure", async () => {
    const { port } = ports({ b: new Error("UNKNOWN_TOPIC_OR_PARTITION") }, { b: { "t:0": "5", "t:1": "9" } });
    const tally = await commitGroupResets(port, changed, ["k:9092"]);
    expect(tally.failed).toEqual([{ group: "b", failure: { kind: "other", message: "UNKNOWN_TOPIC_OR_PARTITION" }, moved: { partitions: 1, of: 2 } }]);
    expect(tally.notTried).toEqual(["c", "d", "e"]);
  });

  it("every group reset: nothing failed", async () => {
    const tally = await commitGroupResets(ports({}).port, changed, ["k:9092"]);
    expect(tally).toEqual({ reset: ["a", "b", "c", "d", "e"], failed: [], notTried: [] });
  });
});
