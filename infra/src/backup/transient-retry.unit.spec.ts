import { KafkaJSProtocolError } from "kafkajs";
import { describe, expect, it } from "vitest";
import { backoffDelays, retryWhileTransient, TransientKafkaErrorPersisted, type BackoffPolicy } from "./transient-retry.ts";

const loading = () => new KafkaJSProtocolError(Object.assign(new Error("The coordinator is loading"), { type: "GROUP_LOAD_IN_PROGRESS", code: 14, retriable: true }));
const policy: BackoffPolicy = { attempts: 4, firstDelayMs: 100, maxDelayMs: 250 };

/** An operation failing with the given errors in turn, then answering "done". */
function failingWith(...errors: Error[]) {
  let calls = 0;
  return {
    operation: async () => {
      calls++;
      const error = errors.shift();
      if (error !== undefined) throw error;
      return "done";
    },
    calls: () => calls,
  };
}

describe("waiting out a busy group coordinator", () => {
  it("doubles the wait from the first, never past the most, one wait fewer than attempts", () => {
    expect(backoffDelays(policy)).toEqual([100, 200, 250]);
    expect(backoffDelays({ attempts: 1, firstDelayMs: 100, maxDelayMs: 250 })).toEqual([]);
  });

  it("retries a transient error with the backoff and answers what the operation finally answers", async () => {
    const waits: number[] = [];
    const op = failingWith(loading(), loading());
    await expect(retryWhileTransient(op.operation, policy, async (ms) => void waits.push(ms))).resolves.toBe("done");
    expect(op.calls()).toBe(3);
    expect(waits).toEqual([100, 200]);
  });

  it("stops after the last attempt, saying which error it kept getting, how often and for how long", async () => {
    const op = failingWith(loading(), loading(), loading(), loading(), loading());
    const failure = await retryWhileTransient(op.operation, policy, async () => {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransientKafkaErrorPersisted);
    expect(failure).toMatchObject({ kind: { kind: "coordinator-busy", error: "COORDINATOR_LOAD_IN_PROGRESS" }, attempts: 4, waitedMs: 550 });
    expect(op.calls()).toBe(4);
  });

  it("does not retry anything else: it fails at once with the error as it was", async () => {
    const refused = new KafkaJSProtocolError(Object.assign(new Error("unknown member"), { type: "UNKNOWN_MEMBER_ID", code: 25, retriable: false }));
    const op = failingWith(refused);
    await expect(retryWhileTransient(op.operation, policy, async () => {})).rejects.toBe(refused);
    const other = new Error("something else");
    await expect(retryWhileTransient(failingWith(other).operation, policy, async () => {})).rejects.toBe(other);
    expect(op.calls()).toBe(1);
  });
});
