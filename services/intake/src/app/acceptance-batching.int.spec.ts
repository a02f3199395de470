import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@oms/observability";
import { loadDemoChain, startService, type DemoChain, type RunningService } from "@oms/service-kit";
import { Topics } from "@oms/contracts";
import { createTestNamespace, readTopic, testServiceConfig, type TestNamespace, testCallerTrust } from "@oms/testing";
import { checkedOrderOf, preCheck } from "../domain/pre-check.ts";
import { anonymousCustomer } from "../ports/http/caller-identity.ts";
import { parseOrderSubmission } from "../ports/http/schemas.ts";
import { createIntakeService } from "../service.ts";
import { peersAt, testOrderContacts } from "../test-fixtures.ts";
import { acceptanceBatcher, type AcceptanceBatching } from "./acceptance-batching.ts";
import { acceptanceOf, type Acceptance } from "./commands/accept-order.ts";
import { catalogueOfChain } from "./commands/seed-demo-catalogue.ts";
import { fingerprintOf } from "./request-fingerprint.ts";

// Real Postgres: intake's schema in a namespace; the batcher under test is built on its pool and outbox.
let namespace: TestNamespace;
let intake: RunningService;
let chain: DemoChain;
const logger = createLogger({ service: "intake-test", level: "silent", pretty: false });

beforeAll(async () => {
  namespace = await createTestNamespace();
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peersAt("127.0.0.1:1")));
  chain = await loadDemoChain();
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

/** A checked demo order ready to commit, as acceptOrder builds it; the same channelOrderId makes it a duplicate. */
function acceptance(channelOrderId = `WEB-${randomUUID()}`, reviewReasons: string[] = []): Acceptance {
  const { stores, priceList } = catalogueOfChain(chain);
  const submission = parseOrderSubmission({ ...structuredClone(chain.demoOrder), channelOrderId });
  const offer = { store: stores.find((s) => s.storeId === submission.storeId), priceList: new Map(priceList.map((i) => [i.sku, i])) };
  const context = { caller: anonymousCustomer, correlationId: randomUUID(), traceparent: "", logger };
  return acceptanceOf(testOrderContacts, checkedOrderOf(preCheck(submission, offer)), {}, fingerprintOf(submission), context, new Date(), reviewReasons);
}

function batcherWith(options: AcceptanceBatching, on: pg.Pool = intake.runtime.pool) {
  const batches: { size: number; fellBack: boolean }[] = [];
  const batcher = acceptanceBatcher({ pool: on, outbox: intake.runtime.outbox, logger, onBatch: (size, fellBack) => batches.push({ size, fellBack }) }, options);
  return { batcher, batches };
}

/** Intake's pool, counting what is asked of it: statements sent on it directly, and clients taken for transactions. */
function countingPool() {
  const asked = { statements: 0, clientsTaken: 0 };
  const real = intake.runtime.pool;
  const counting = Object.create(real) as pg.Pool;
  counting.query = ((...args: Parameters<pg.Pool["query"]>) => {
    asked.statements++;
    return (real.query as (...a: unknown[]) => unknown)(...args);
  }) as pg.Pool["query"];
  counting.connect = ((...args: Parameters<pg.Pool["connect"]>) => {
    asked.clientsTaken++;
    return (real.connect as (...a: unknown[]) => unknown)(...args);
  }) as pg.Pool["connect"];
  return { pool: counting, asked };
}

const pool = () => intake.runtime.pool;
const idsOf = (acceptances: Acceptance[]) => acceptances.map((a) => a.record.orderId);
/** How many transactions wrote these orders (xmin is the writing transaction's id). */
const transactionsOf = async (orderIds: string[]) =>
  (await pool().query<{ n: number }>("SELECT count(DISTINCT xmin::text)::int AS n FROM orders WHERE order_id = ANY($1)", [orderIds])).rows[0]!.n;
const storedOf = async (orderIds: string[]) =>
  (await pool().query<{ order_id: string }>("SELECT order_id FROM orders WHERE order_id = ANY($1)", [orderIds])).rows.map((r) => r.order_id).sort();
/** The orders whose OrderReceived reached the topic (the relay deletes what it published, so the outbox cannot tell). */
const announcedOf = async (orderIds: string[]) => {
  await intake.relay.flush();
  const wanted = new Set(orderIds);
  return (await readTopic(Topics.intakeOrder, namespace.name)).map((m) => String(m.key)).filter((key) => wanted.has(key)).sort();
};

describe("acceptance batching", () => {
  it("commits concurrent acceptances in one transaction, each with its own answer, a duplicate within the batch not new", async () => {
    const { batcher, batches } = batcherWith({ maxWaitMs: 50, maxBatch: 100 });
    const distinct = Array.from({ length: 28 }, () => acceptance());
    const duplicates = [acceptance(distinct[0]!.record.channelOrderId), acceptance(distinct[5]!.record.channelOrderId)];
    const all = [...distinct, ...duplicates];

    const answers = await Promise.all(all.map((a) => batcher.commit(a)));

    expect(answers).toEqual([...distinct.map(() => true), false, false]);
    expect(batches).toEqual([{ size: 30, fellBack: false }]);
    expect(await transactionsOf(idsOf(all))).toBe(1);
    expect(await storedOf(idsOf(all))).toEqual(idsOf(distinct).sort());
    expect(await announcedOf(idsOf(all))).toEqual(idsOf(distinct).sort());
  });

  it("stores a batch, its reviews and its events in one statement: one round trip, no transaction around it", async () => {
    const { pool: counted, asked } = countingPool();
    const { batcher } = batcherWith({ maxWaitMs: 50, maxBatch: 100 }, counted);
    const all = [acceptance(), acceptance(undefined, ["customer flagged"]), acceptance()];

    expect(await Promise.all(all.map((a) => batcher.commit(a)))).toEqual([true, true, true]);

    expect(asked).toEqual({ statements: 1, clientsTaken: 0 });
    expect(await transactionsOf(idsOf(all))).toBe(1);
    const reviews = await pool().query("SELECT order_id FROM reviews WHERE order_id = ANY($1)", [idsOf(all)]);
    expect(reviews.rows).toEqual([{ order_id: all[1]!.record.orderId }]);
    expect(await announcedOf(idsOf(all))).toEqual(idsOf(all).sort());
  });

  it("stores nothing of an order whose last step fails: no order row, no review, no event", async () => {
    const { batcher } = batcherWith({ maxWaitMs: 50, maxBatch: 100 });
    const reviewed = acceptance(undefined, ["customer flagged"]);
    expect(await batcher.commit(reviewed)).toBe(true);
    // A second order whose review reuses the first one's id: its order and event steps succeed, the review step cannot.
    const clashing = acceptance(undefined, ["customer flagged"]);
    clashing.review = { ...clashing.review!, reviewId: reviewed.review!.reviewId };

    await expect(batcher.commit(clashing)).rejects.toMatchObject({ code: "23505" });

    expect(await storedOf([clashing.record.orderId])).toEqual([]);
    expect(await announcedOf([clashing.record.orderId])).toEqual([]);
  });

  it("answers an acceptance of an order committed before as not new, beside new ones in the same batch", async () => {
    const { batcher } = batcherWith({ maxWaitMs: 50, maxBatch: 100 });
    const first = acceptance();
    expect(await batcher.commit(first)).toBe(true);
    const [again, other] = [acceptance(first.record.channelOrderId), acceptance()];
    expect(await Promise.all([batcher.commit(again), batcher.commit(other)])).toEqual([false, true]);
    expect(await storedOf(idsOf([first, again, other]))).toEqual(idsOf([first, other]).sort());
  });

  it("lets two batches race for the same channel orders, in opposite order: each order once, each request its own answer", async () => {
    const one = batcherWith({ maxWaitMs: 50, maxBatch: 60 });
    const other = batcherWith({ maxWaitMs: 50, maxBatch: 60 });
    const keys = Array.from({ length: 60 }, () => `WEB-${randomUUID()}`);
    const [forwards, backwards] = [keys.map((k) => acceptance(k)), [...keys].reverse().map((k) => acceptance(k))];

    const [fromOne, fromOther] = await Promise.all([
      Promise.all(forwards.map((a) => one.batcher.commit(a))),
      Promise.all(backwards.map((a) => other.batcher.commit(a))),
    ]);

    // Both commit as batches: inserted in one key order, they wait for each other but never deadlock.
    expect([...one.batches, ...other.batches]).toEqual([{ size: 60, fellBack: false }, { size: 60, fellBack: false }]);
    keys.forEach((_, i) => expect(fromOne[i]! !== fromOther[keys.length - 1 - i]!).toBe(true));
    expect(await storedOf(idsOf([...forwards, ...backwards]))).toHaveLength(60);
  });

  it("commits a full batch at once, at most maxBatch together, and the rest when drained", async () => {
    const { batcher, batches } = batcherWith({ maxWaitMs: 60_000, maxBatch: 10 });
    const all = Array.from({ length: 25 }, () => acceptance());
    const answers = all.map((a) => batcher.commit(a));
    // The full batches do not wait out the (long) window.
    expect(await Promise.all(answers.slice(0, 20))).toEqual(Array(20).fill(true));
    await batcher.drain();
    expect(await Promise.all(answers)).toEqual(Array(25).fill(true));
    expect(batches.map((b) => b.size)).toEqual([10, 10, 5]);
  });

  it("commits a failed batch one by one, so only the request that cannot be stored fails", async () => {
    const { batcher, batches } = batcherWith({ maxWaitMs: 50, maxBatch: 100 });
    const [good, bad, alsoGood] = [acceptance(), acceptance(), acceptance()];
    // Past the HTTP schema (which refuses it), a NUL character fails the batch's insert: jsonb cannot hold it.
    bad.record.canonical = { ...bad.record.canonical, notes: "\u0000" };

    const answers = await Promise.allSettled([good, bad, alsoGood].map((a) => batcher.commit(a)));

    expect(answers.map((a) => a.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(answers[1]).toMatchObject({ reason: { code: "22P05" } });
    expect(batches).toEqual([{ size: 3, fellBack: true }]);
    expect(await storedOf(idsOf([good, bad, alsoGood]))).toEqual(idsOf([good, alsoGood]).sort());
    expect(await announcedOf(idsOf([good, bad, alsoGood]))).toEqual(idsOf([good, alsoGood]).sort());
  });
});
