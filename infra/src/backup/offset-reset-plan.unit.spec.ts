import { describe, expect, it } from "vitest";
import { byTimeFrom, changesToCommit, groupsToReset, lagMarginBeforeBackupMs, plannedByTime, plannedFromBackup, type PartitionNow } from "./offset-reset-plan.ts";
import type { BackupManifest } from "./manifest.ts";

const partition = (n: number, low: string, high: string, committed: string | null): PartitionNow => ({ partition: n, low, high, committed });

describe("putting a group back to a backup's recorded offsets", () => {
  it("sets a recorded partition to its recorded offset and says nothing more", () => {
    const [row] = plannedFromBackup({ group: "g", topic: "t", recorded: new Map([[0, "5"]]), partitionsAtBackup: new Set([0]) }, [partition(0, "0", "9", "8")]);
    expect(row).toEqual({ group: "g", topic: "t", partition: 0, before: "8", after: "5" });
  });

  it("starts a partition nothing was committed on at the backup, or one created since, from the log's start, naming which", () => {
    const rows = plannedFromBackup({ group: "g", topic: "t", recorded: new Map([[0, "5"]]), partitionsAtBackup: new Set([0, 1]) }, [
      partition(0, "0", "9", "9"),
      partition(1, "2", "7", "6"),
      partition(2, "0", "3", null),
    ]);
    expect(rows.map((r) => [r.partition, r.before, r.after])).toEqual([[0, "9", "5"], [1, "6", "2"], [2, null, "0"]]);
    expect(rows[1]!.note).toMatch(/nothing committed at the backup/);
    expect(rows[2]!.note).toMatch(/partition created after the backup/);
  });

  it("starts every partition of a topic created after the backup from its start", () => {
    const rows = plannedFromBackup({ group: "g", topic: "t", recorded: undefined, partitionsAtBackup: undefined }, [partition(0, "0", "4", "4")]);
    expect(rows[0]).toMatchObject({ after: "0", note: expect.stringMatching(/topic created after the backup/) });
  });

  it("names a recorded offset that retention has deleted and starts from what is left", () => {
    const [row] = plannedFromBackup({ group: "g", topic: "t", recorded: new Map([[0, "2"]]), partitionsAtBackup: new Set([0]) }, [partition(0, "4", "9", "9")]);
    expect(row).toMatchObject({ before: "9", after: "4" });
    expect(row!.note).toMatch(/retention deleted offsets 2 to 3/);
  });

  it("names a recorded offset past the partition's end (a recreated topic) and starts from the start", () => {
    const [row] = plannedFromBackup({ group: "g", topic: "t", recorded: new Map([[0, "50"]]), partitionsAtBackup: new Set([0]) }, [partition(0, "0", "3", "3")]);
    expect(row).toMatchObject({ after: "0", note: expect.stringMatching(/past the partition's end 3/) });
  });
});

describe("putting a group back by time", () => {
  it("takes the offset at the time, and names a log whose start retention has moved past it", () => {
    const rows = plannedByTime({ group: "g", topic: "t", atTime: new Map([[0, "3"], [1, "2"]]) }, [partition(0, "0", "9", "9"), partition(1, "2", "5", "5")]);
    expect(rows.map((r) => [r.before, r.after, r.note])).toEqual([["9", "3", undefined], ["5", "2", expect.stringMatching(/log starts at 2/)]]);
  });

  it("uses the documented margin before the backup's time", () => {
    expect(lagMarginBeforeBackupMs).toBe(10 * 60_000);
    expect(byTimeFrom("2026-12-07T03:15:00.000Z").toISOString()).toBe("2026-12-07T03:05:00.000Z");
  });
});

describe("what a reset commits", () => {
  it("only the partitions that move, so a second run commits nothing", () => {
    const rows = plannedFromBackup({ group: "g", topic: "t", recorded: new Map([[0, "5"], [1, "3"]]), partitionsAtBackup: new Set([0, 1]) }, [partition(0, "0", "9", "5"), partition(1, "0", "9", "7")]);
    expect(changesToCommit(rows).map((r) => r.partition)).toEqual([1]);
  });
});

describe("which groups a reset covers", () => {
  const manifest = (kafka: BackupManifest["kafka"]) => ({ kafka }) as BackupManifest;

  it("covers every system group on the topics it reads, and a recorded group's recorded topics too", () => {
    const groups = groupsToReset(
      manifest({ reachable: true, brokers: [], namespace: "ns", consumerGroups: [{ group: "ns.old-group", topics: [{ topic: "ns.x", partitions: [] }] }], topicEnds: [] }),
      { intake: ["oms.fulfillment.order.v1"], archive: ["oms.intake.order.v1", "oms.fulfillment.order.v1"] },
    );
    expect(groups).toEqual([
      { group: "ns.archive", topics: ["ns.oms.fulfillment.order.v1", "ns.oms.intake.order.v1"] },
      { group: "ns.intake", topics: ["ns.oms.fulfillment.order.v1"] },
      { group: "ns.old-group", topics: ["ns.x"] },
    ]);
  });

  it("covers the system groups without a namespace in production, from a backup without offsets", () => {
    expect(groupsToReset(manifest({ reachable: false, brokers: [], namespace: "", error: "down" }), { intake: ["a"] })).toEqual([{ group: "intake", topics: ["a"] }]);
  });
});
