import { describe, expect, it } from "vitest";
import { IllegalStateError } from "@oms/errors";
import type { Logger } from "@oms/observability";
import { settle, TransactionBatcher, type TransactionBatching } from "@oms/postgres";
import { useMigratedDatabase } from "@oms/testing";

/** The batcher on the real database: which requests share a transaction, and what each one is told. */

const db = useMigratedDatabase("batcher-test", [{ id: "test/001_items", sql: "CREATE TABLE items (id text PRIMARY KEY, note text NOT NULL)" }]);

/** Stores each item; "refused" is a domain refusal, "bad" a database error (a NUL in text). */
function itemBatcher(options: TransactionBatching) {
  const transactions: string[][] = [];
  const fallbacks: number[] = [];
  const warnings: unknown[] = [];
  const logger = { warn: (fields: unknown) => warnings.push(fields) } as unknown as Logger;
  const batcher = new TransactionBatcher<string, string>(
    {
      pool: db.pool,
      applyTogether: async (tx, ids) => {
        transactions.push([...ids]);
        const settled = [];
        for (const id of ids) {
          settled.push(
            await settle(async () => {
              if (id.startsWith("refused")) throw new IllegalStateError("item.refused", `${id} is refused`);
              await tx.query("INSERT INTO items (id, note) VALUES ($1, $2)", [id, id.startsWith("bad") ? "\u0000" : "ok"]);
              return `stored ${id}`;
            }),
          );
        }
        return settled;
      },
      onFallback: (size) => fallbacks.push(size),
      logger,
      name: "items",
    },
    options,
  );
  return { batcher, transactions, fallbacks, warnings };
}

const stored = async (ids: string[]) =>
  (await db.pool.query<{ id: string }>("SELECT id FROM items WHERE id = ANY($1) ORDER BY id", [ids])).rows.map((r) => r.id);
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

describe("committing people's requests together under load", () => {
  it("starts a lone request at once, and puts the requests that arrive while it commits into one transaction", async () => {
    const { batcher, transactions } = itemBatcher({ maxInFlight: 1, maxBatch: 100 });
    const ids = Array.from({ length: 11 }, (_, i) => unique(`item${i}`));

    const answers = await Promise.all(ids.map((id) => batcher.run(id)));

    expect(answers).toEqual(ids.map((id) => `stored ${id}`));
    expect(transactions).toEqual([[ids[0]], ids.slice(1)]);
    expect(await stored(ids)).toEqual([...ids].sort());
  });

  it("puts at most maxBatch requests in a transaction and keeps maxInFlight transactions going", async () => {
    const { batcher, transactions } = itemBatcher({ maxInFlight: 2, maxBatch: 4 });
    const ids = Array.from({ length: 12 }, (_, i) => unique(`item${i}`));

    await Promise.all(ids.map((id) => batcher.run(id)));

    // Two start alone at once; the ten that queue behind them go four, four, two.
    expect(transactions.map((t) => t.length).sort()).toEqual([1, 1, 2, 4, 4]);
  });

  it("puts requests that come together (a wave) into shared transactions from the first, each with its own answer", async () => {
    const { batcher, transactions } = itemBatcher({ maxInFlight: 2, maxBatch: 4 });
    const ids = Array.from({ length: 6 }, (_, i) => unique(i === 2 ? "refused" : `item${i}`));

    const answers = await batcher.runAll(ids);

    // Run one by one, the first two would each have started a transaction alone (above).
    // The two batches commit side by side, so either may reach the database first.
    expect(transactions).toHaveLength(2);
    expect(transactions).toEqual(expect.arrayContaining([ids.slice(0, 4), ids.slice(4)]));
    expect(answers.map((a) => a.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(answers[0]).toEqual({ status: "fulfilled", value: `stored ${ids[0]}` });
    expect(answers[2]).toMatchObject({ reason: { code: "item.refused" } });
    expect(await stored(ids)).toEqual(ids.filter((id) => !id.startsWith("refused")).sort());
  });

  it("answers a refused request with its own error while the others in its transaction commit", async () => {
    const { batcher, transactions, fallbacks } = itemBatcher({ maxInFlight: 1, maxBatch: 100 });
    const [first, good, refused, alsoGood] = [unique("first"), unique("good"), unique("refused"), unique("also")];

    const answers = await Promise.allSettled([first, good, refused, alsoGood].map((id) => batcher.run(id)));

    expect(answers.map((a) => a.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(answers[2]).toMatchObject({ reason: { code: "item.refused" } });
    expect(transactions).toEqual([[first], [good, refused, alsoGood]]);
    expect(fallbacks).toEqual([]);
    expect(await stored([first, good, refused, alsoGood])).toEqual([first, good, alsoGood].sort());
  });

  it("retries each request alone when a database error fails the batch, so only that request fails", async () => {
    const { batcher, fallbacks, warnings } = itemBatcher({ maxInFlight: 1, maxBatch: 100 });
    const [first, good, bad, alsoGood] = [unique("first"), unique("good"), unique("bad"), unique("also")];

    const answers = await Promise.allSettled([first, good, bad, alsoGood].map((id) => batcher.run(id)));

    expect(answers.map((a) => a.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(answers[2]).toMatchObject({ reason: { code: "22021" } }); // invalid byte sequence: the NUL
    expect(fallbacks).toEqual([3]);
    // Logged for operations by what and how many, with the SQLSTATE, never the content.
    expect(warnings).toEqual([{ batch: "items", size: 3, code: "22021" }]);
    expect(await stored([first, good, bad, alsoGood])).toEqual([first, good, alsoGood].sort());
  });
});
