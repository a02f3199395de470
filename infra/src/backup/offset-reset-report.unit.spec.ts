import { describe, expect, it } from "vitest";
import type { BackupManifest } from "./manifest.ts";
import { offsetResetReport } from "./offset-reset-report.ts";
import type { OffsetResetOutcome } from "./reset-offsets.ts";

const manifest = { name: "oms-1", takenAt: "2026-12-07T03:15:00.000Z", kafka: { reachable: true, brokers: [], namespace: "", consumerGroups: [], topicEnds: [] } } as unknown as BackupManifest;
const moved = { group: "archive", topic: "t", partition: 0, before: "9", after: "5" };
const kept = { group: "billing", topic: "t", partition: 1, before: null, after: "0", note: "nothing committed at the backup: from the log's start" };
const outcome = (over: Partial<OffsetResetOutcome>): OffsetResetOutcome => ({ manifest, rows: [moved, { ...kept, before: "0" }], changed: [moved], absentTopics: [], dryRun: false, ...over });

describe("what reset-offsets prints", () => {
  it("each partition's offset before and after, whether it moved, and why where the backup's offset was not used", () => {
    const report = offsetResetReport(outcome({ absentTopics: ["gone"] }));
    expect(report).toContain("back to the offsets recorded in backup oms-1 (2026-12-07T03:15:00.000Z)");
    expect(report).toContain("  archive  t[0]  9 -> 5  changed\n");
    expect(report).toContain("  billing  t[1]  0 -> 0  unchanged  (nothing committed at the backup: from the log's start)");
    expect(report).toContain("topic gone is not on the broker: nothing to reset there");
    expect(report).toMatch(/1 partition of 2 groups reset/);
  });

  it("in a dry run says nothing was changed, and a run with nothing to move says so", () => {
    expect(offsetResetReport(outcome({ dryRun: true }))).toMatch(/9 -> 5  would change[\s\S]*dry run: 1 partition would change; nothing was changed/);
    expect(offsetResetReport(outcome({ changed: [], rows: [{ ...moved, before: "5" }] }))).toMatch(/nothing to change: each of 1 group already stands where the backup puts it$/);
  });

  it("names the time a backup without offsets is put back to, and why it has none", () => {
    const byTime = offsetResetReport(outcome({ manifest: { ...manifest, kafka: { reachable: false, brokers: [], namespace: "ns", error: "ECONNREFUSED" } }, byTime: new Date("2026-12-07T03:05:00.000Z") }));
    expect(byTime).toContain("Backup oms-1 has no recorded offsets (Kafka was unreachable at the backup: ECONNREFUSED); consumer groups (namespace ns) back to the offsets at 2026-12-07T03:05:00.000Z, 10 minutes before the backup");
  });
});
