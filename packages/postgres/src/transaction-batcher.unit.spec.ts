import type pg from "pg";
import { describe, expect, it } from "vitest";
import { TransactionBatcher } from "./transaction-batcher.ts";

/** A pool whose clients only count the transactions open at once. */
function countingPool() {
  let open = 0;
  const counts = { most: 0 };
  const client = {
    query: async (sql: string) => {
      if (sql === "BEGIN") counts.most = Math.max(counts.most, ++open);
      if (sql === "COMMIT" || sql === "ROLLBACK") open--;
      return { rows: [] };
    },
    release: () => {},
  };
  return { pool: { connect: async () => client } as unknown as pg.Pool, counts };
}

describe("a batch that fails as a whole", () => {
  it("is retried one by one within maxInFlight transactions at a time", async () => {
    const { pool, counts } = countingPool();
    const batcher = new TransactionBatcher<number, number>(
      {
        pool,
        applyTogether: async (_tx, inputs) => {
          // Together they break (a constraint one of them trips); alone each goes through.
          if (inputs.length > 1) throw new Error("a batch breaker");
          await new Promise((resolve) => setTimeout(resolve, 2));
          return [{ ok: true, value: inputs[0]! * 10 }];
        },
      },
      { maxInFlight: 2, maxBatch: 10 },
    );

    const answers = await batcher.runAll([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

    expect(answers.map((a) => (a.status === "fulfilled" ? a.value : a.reason))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(counts.most).toBeLessThanOrEqual(2);
  });

  it("answers each of its requests, the one that fails alone with its own error", async () => {
    const { pool } = countingPool();
    const batcher = new TransactionBatcher<number, number>(
      {
        pool,
        applyTogether: async (_tx, inputs) => {
          if (inputs.includes(3)) throw new Error("request 3 breaks its transaction");
          return inputs.map((input) => ({ ok: true as const, value: input }));
        },
      },
      { maxInFlight: 1, maxBatch: 5 },
    );

    const answers = await batcher.runAll([1, 2, 3, 4, 5]);

    expect(answers.map((a) => (a.status === "fulfilled" ? a.value : (a.reason as Error).message))).toEqual([1, 2, "request 3 breaks its transaction", 4, 5]);
  });
});
