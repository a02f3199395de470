import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { statementsSentByThisProcess, withTransaction } from "@oms/postgres";
import { eventually, orderStatusChanged, testKafka, useMigratedDatabase } from "@oms/testing";
import { OutboxRelay, OutboxWriter, connectProducer, createOutboxBell, messagingMigrations } from "@oms/messaging";

/**
 * How the outbox relay learns of new rows and what a pass costs, on the real broker and
 * database: the bell rings only after a commit, a pass is four round trips, a flush waits
 * out another replica's pass, and a commit is published at once instead of at the poll.
 * (Redelivery after a relay dies mid-pass is in messaging.int.spec.ts, with the consumers.)
 */

const logger = createLogger({ service: "outbox-bell-test", level: "fatal", pretty: false });
const db = useMigratedDatabase("outbox-bell-test", messagingMigrations);
const kafka = () => testKafka("outbox-bell-test");

describe("outbox bell", () => {
  /** Published: sent, and so gone from the outbox (every event here was appended first). */
  async function isPublished(eventId: string): Promise<boolean> {
    const { rows } = await db.pool.query<{ left: boolean }>("SELECT EXISTS (SELECT 1 FROM outbox WHERE event_id = $1) AS left", [eventId]);
    return !rows[0]!.left;
  }

  it("rings once the appending transaction commits, never for one rolled back", async () => {
    const bell = createOutboxBell();
    let rings = 0;
    bell.listen(() => rings++);
    const outbox = new OutboxWriter({ topic: Topics.fulfillmentOrder, bell });

    await expect(
      withTransaction(db.pool, async (tx) => {
        await outbox.append(tx, [orderStatusChanged(randomUUID())]);
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    await new Promise((resolve) => setImmediate(resolve));
    expect(rings).toBe(0);

    await withTransaction(db.pool, async (tx) => {
      await outbox.append(tx, [orderStatusChanged(randomUUID())]);
      expect(rings).toBe(0);
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(rings).toBe(1);
  });

  it("publishes a batch in four round trips: begin, lock and read, delete, commit", async () => {
    const outbox = new OutboxWriter({ topic: Topics.fulfillmentOrder, bell: createOutboxBell() });
    const events = [orderStatusChanged(randomUUID()), orderStatusChanged(randomUUID())];
    await withTransaction(db.pool, (tx) => outbox.append(tx, events));
    const producer = await connectProducer(kafka());
    const relay = new OutboxRelay({ pool: db.pool, schema: "public", producer, logger, namespace: db.namespace.name });
    try {
      await relay.flush(); // whatever earlier tests left, and these two
      await withTransaction(db.pool, (tx) => outbox.append(tx, [orderStatusChanged(randomUUID())]));
      const before = statementsSentByThisProcess();
      expect(await relay.publishOnce()).toBe(1);
      expect(statementsSentByThisProcess() - before).toBe(4);
      expect(await Promise.all(events.map((e) => isPublished(e.eventId)))).toEqual([true, true]);
    } finally {
      await producer.disconnect();
    }
  });

  it("flushes after waiting for a pass in progress elsewhere, which holds the schema's relay lock", async () => {
    const outbox = new OutboxWriter({ topic: Topics.fulfillmentOrder, bell: createOutboxBell() });
    const event = orderStatusChanged(randomUUID());
    await withTransaction(db.pool, (tx) => outbox.append(tx, [event]));
    const producer = await connectProducer(kafka());
    const relay = new OutboxRelay({ pool: db.pool, schema: "public", producer, logger, namespace: db.namespace.name });
    const other = await db.pool.connect();
    try {
      // Another replica's pass: it holds the lock (and, say, has not seen this event).
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["outbox:public"]);
      const flushed = relay.flush();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await isPublished(event.eventId)).toBe(false);
      await other.query("COMMIT");
      expect(await flushed).toBeGreaterThanOrEqual(1);
      expect(await isPublished(event.eventId)).toBe(true);
    } finally {
      other.release();
      await producer.disconnect();
    }
  });

  it("wakes the relay to publish a commit at once instead of at its next poll", async () => {
    const bell = createOutboxBell();
    const outbox = new OutboxWriter({ topic: Topics.fulfillmentOrder, bell });
    const producer = await connectProducer(kafka());
    // A poll a minute apart: only the bell can make the relay publish within the test.
    const relay = new OutboxRelay({ pool: db.pool, schema: "public", producer, logger, namespace: db.namespace.name, bell, pollIntervalMs: 60_000 });
    await relay.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // the relay's first pass is over; it sleeps
      const event = orderStatusChanged(randomUUID());
      await withTransaction(db.pool, (tx) => outbox.append(tx, [event]));
      await eventually(async () => ((await isPublished(event.eventId)) ? true : undefined), 10_000, 20);

      const unheard = orderStatusChanged(randomUUID());
      await withTransaction(db.pool, (tx) => new OutboxWriter({ topic: Topics.fulfillmentOrder, bell: createOutboxBell() }).append(tx, [unheard]));
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await isPublished(unheard.eventId)).toBe(false);
    } finally {
      await relay.stop();
      await producer.disconnect();
    }
  });

  it("lets the commits of the gathering time after a pass go out together in the next one (OMS_OUTBOX_GATHER_MS)", async () => {
    const bell = createOutboxBell();
    const outbox = new OutboxWriter({ topic: Topics.fulfillmentOrder, bell });
    const producer = await connectProducer(kafka());
    const sends: number[] = [];
    const counting = new Proxy(producer, {
      get: (target, key) =>
        key === "sendBatch"
          ? (batch: Parameters<typeof producer.sendBatch>[0]) => {
              sends.push(batch.topicMessages!.reduce((n, t) => n + t.messages.length, 0));
              return target.sendBatch(batch);
            }
          : Reflect.get(target, key),
    });
    const gatherMs = 1_000;
    const relay = new OutboxRelay({ pool: db.pool, schema: "public", producer: counting, logger, namespace: db.namespace.name, bell, pollIntervalMs: 60_000, gatherMs });
    await relay.start();
    try {
      // The first pass publishes what earlier tests left; count from an empty outbox and a sleeping relay on.
      await eventually(async () => ((await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox")).rows[0]!.n === 0 ? true : undefined), 10_000, 20);
      await new Promise((resolve) => setTimeout(resolve, gatherMs + 200));
      sends.length = 0;
      const first = orderStatusChanged(randomUUID());
      await withTransaction(db.pool, (tx) => outbox.append(tx, [first]));
      await eventually(async () => ((await isPublished(first.eventId)) ? true : undefined), 10_000, 10);
      // Three commits, each ringing the bell, while the relay gathers after publishing the first.
      const gathered = [orderStatusChanged(randomUUID()), orderStatusChanged(randomUUID()), orderStatusChanged(randomUUID())];
      for (const event of gathered) await withTransaction(db.pool, (tx) => outbox.append(tx, [event]));
      await eventually(async () => ((await Promise.all(gathered.map((e) => isPublished(e.eventId)))).every(Boolean) ? true : undefined), 10_000, 20);

      expect(sends).toEqual([1, 3]);
    } finally {
      await relay.stop();
      await producer.disconnect();
    }
  });
});
