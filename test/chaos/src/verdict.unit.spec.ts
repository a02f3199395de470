import { describe, expect, it } from "vitest";
import { skipped, type InvariantResult } from "./invariants/context.ts";
import { verdictOf } from "./verdict.ts";

/** A run passes only when every fault went in, nothing crashed, the drain completed and every invariant was checked and holds. */
describe("the run's verdict", () => {
  const holds: InvariantResult = { name: "no order lost, none duplicated", ok: true, figure: "10 accepted", details: [] };
  const clean = { invariants: [holds], faults: [{ name: "kill -9 intake", startedAt: 0, durationMs: 1, ordersInFlight: 3 }], crashes: [], drain: { drainedInMs: 4_000, complete: true, lagAtEnd: {} } };

  it("passes a clean run", () => {
    expect(verdictOf(clean)).toEqual({ passed: true, headline: "every invariant holds", reasons: [] });
  });

  it("fails a run with an invariant that could not be checked", () => {
    const unchecked = skipped("no task ever had two assignees", "dispatch has no assignments table");
    expect(unchecked.ok).toBe(false);
    expect(verdictOf({ ...clean, invariants: [holds, unchecked] })).toEqual({
      passed: false,
      headline: "FAILED: 1 invariant not checked",
      reasons: ["invariant not checked: no task ever had two assignees (not checked: dispatch has no assignments table)"],
    });
  });

  it("fails a run whose fault was not injected, whose service crashed, or whose drain did not complete, though every invariant holds", () => {
    const verdict = verdictOf({
      ...clean,
      faults: [{ ...clean.faults[0]!, error: "intake has no process" }],
      crashes: [{ service: "billing", at: 0, during: "steady load after kill -9 intake", code: "exit 1" }],
      drain: { drainedInMs: 120_000, complete: false, lagAtEnd: { billing: 12 } },
    });
    expect(verdict.passed).toBe(false);
    expect(verdict.headline).toBe("FAILED: 1 fault not injected, 1 service crash, drain incomplete");
    expect(verdict.reasons).toEqual([
      "fault not injected: kill -9 intake: intake has no process",
      'billing exited by itself (exit 1) during "steady load after kill -9 intake"',
      "the drain did not complete in 120 s: the invariants were checked on a system still moving",
    ]);
  });

  it("fails a run whose bad-input property failed", () => {
    expect(verdictOf(clean, [{ name: "every consumer: poison to the DLQ", ok: false }]).reasons).toEqual(["bad input property failed: every consumer: poison to the DLQ"]);
  });
});
