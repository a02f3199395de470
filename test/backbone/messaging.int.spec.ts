import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EventEnvelope, EventTypes, Topics, deadLetterTopicOf, encodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { eventually, orderStatusChanged, publishEvents, publishRaw, readTopic, testKafka, useMigratedDatabase } from "@oms/testing";
import {
  DeadLetterHeaders,
  EventConsumer,
  OutboxRelay,
  OutboxWriter,
  connectProducer,
  messagingMigrations,
  readDeadLetters,
  replayDeadLetters,
  type BatchItem,
  type EventConsumerOptions,
} from "@oms/messaging";

/**
 * The backbone's guarantees, on the real broker and database: redelivery changes
 * nothing, a relay that dies between publish and mark causes no second effect, and a
 * poison message goes to the DLQ while the messages after it are still processed.
 */

// Dead letters are logged at error level on purpose; here they are the expected outcome.
const logger = createLogger({ service: "messaging-test", level: "fatal", pretty: false });
const db = useMigratedDatabase("messaging-test", [
  ...messagingMigrations,
  { id: "test/001_effects", sql: "CREATE TABLE effects (id bigserial PRIMARY KEY, order_id text NOT NULL, event_id text NOT NULL)" },
]);
const kafka = () => testKafka("messaging-test");

/** A consumer of fulfillment's topic in this test's namespace, with the given handler. */
async function startTestConsumer(name: string, options: Pick<EventConsumerOptions, "handle" | "handleBatch" | "eventTypes" | "actsOn" | "maxAttempts" | "deduplication" | "envelopeOnly">) {
  const producer = await connectProducer(kafka());
  const consumer = new EventConsumer({ kafka: kafka(), pool: db.pool, producer, logger, name, topics: [Topics.fulfillmentOrder], namespace: db.namespace.name, ...options });
  await consumer.start();
  return {
    stop: async () => {
      await consumer.stop();
      await producer.disconnect();
    },
  };
}

/** A consumer whose effect is one row per applied event; `failOn` makes its handler throw for one order. */
function startRecordingConsumer(name: string, failOn?: string, eventTypes?: readonly string[], actsOn?: EventConsumerOptions["actsOn"]) {
  return startTestConsumer(name, {
    maxAttempts: 2,
    ...(eventTypes ? { eventTypes } : {}),
    ...(actsOn ? { actsOn } : {}),
    handle: async (event, { tx }) => {
      if (event.orderId === failOn) throw new Error(`handler refuses order ${event.orderId}`);
      await tx.query("INSERT INTO effects (order_id, event_id) VALUES ($1, $2)", [event.orderId, event.eventId]);
    },
  });
}

/** The event ids a consumer group recorded in its inbox. */
async function inboxOf(group: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ event_id: string }>("SELECT event_id FROM processed_events WHERE consumer = $1", [group]);
  return rows.map((r) => r.event_id);
}

async function effectsOf(orderId: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM effects WHERE order_id = $1", [orderId]);
  return rows[0]!.n;
}

describe("idempotent consumer", () => {
  it("applies an event delivered twice, and again after a restart from offset zero, exactly once", async () => {
    const orderId = randomUUID();
    const event = orderStatusChanged(orderId);
    const group = `redelivery-${randomUUID()}`;
    const first = await startRecordingConsumer(group);
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [event, event]);
    await eventually(async () => ((await effectsOf(orderId)) === 1 ? true : undefined));
    await first.stop();

    // Forget the committed offsets: the whole topic is delivered again.
    const admin = kafka().admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `${db.namespace.name}.${group}`, topic: `${db.namespace.name}.${Topics.fulfillmentOrder}`, earliest: true });
    await admin.disconnect();

    const marker = orderStatusChanged(randomUUID(), "marker");
    const second = await startRecordingConsumer(group);
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [marker]);
    await eventually(async () => ((await effectsOf(marker.orderId)) === 1 ? true : undefined));
    await second.stop();
    expect(await effectsOf(orderId)).toBe(1);
  });
});

describe("a consumer whose handler deduplicates by itself", () => {
  it("keeps no inbox: an id twice in one transaction reaches the handler once, a later redelivery again", async () => {
    const orderId = randomUUID();
    const event = orderStatusChanged(orderId);
    // Both copies wait on one partition before the consumer joins, so one fetch brings them.
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [event, event]);
    const group = `handler-dedup-${randomUUID()}`;
    const handed: string[] = [];
    const consumer = await startTestConsumer(group, {
      deduplication: "handler",
      handleBatch: async (items) => {
        handed.push(...items.flatMap((item) => (item.event?.orderId === orderId ? [item.envelope.eventId] : [])));
      },
    });
    try {
      await eventually(async () => (handed.length === 1 ? true : undefined));
      await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [event]);
      await eventually(async () => (handed.length === 2 ? true : undefined));
    } finally {
      await consumer.stop();
    }
    expect(handed).toEqual([event.eventId, event.eventId]);
    expect(await inboxOf(group)).toEqual([]);
  });
});

describe("the partitions of one fetch", () => {
  it("are applied in one transaction, and on their own when that fails: the poison dead-lettered, the rest applied once", async () => {
    // Keys spread the events over the topic's partitions; they wait there before the consumer joins.
    const events = Array.from({ length: 24 }, () => orderStatusChanged(randomUUID()));
    const refused = events[7]!;
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, events.filter((e) => e !== refused));
    const group = `together-${randomUUID()}`;
    const ids = events.filter((e) => e !== refused).map((e) => e.eventId);
    const consumer = await startRecordingConsumer(group);
    try {
      await eventually(async () => {
        const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM processed_events WHERE consumer = $1 AND event_id = ANY($2)", [group, ids]);
        return rows[0]!.n === ids.length ? true : undefined;
      });
    } finally {
      await consumer.stop();
    }
    // One transaction wrote every inbox row of the fetch: they share the writing transaction's id.
    const { rows } = await db.pool.query<{ transactions: number }>(
      "SELECT count(DISTINCT xmin::text)::int AS transactions FROM processed_events WHERE consumer = $1 AND event_id = ANY($2)",
      [group, ids],
    );
    expect(rows[0]!.transactions).toBe(1);

    // A fetch whose batches fail together (one handler refuses its order) is applied batch by batch.
    const failing = await startRecordingConsumer(group, refused.orderId);
    const next = Array.from({ length: 12 }, () => orderStatusChanged(randomUUID()));
    try {
      await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [refused, ...next]);
      await eventually(async () => ((await Promise.all(next.map((e) => effectsOf(e.orderId)))).every((n) => n === 1) ? true : undefined));
      await eventually(async () =>
        (await readTopic(deadLetterTopicOf(Topics.fulfillmentOrder), db.namespace.name)).some((m) => String(m.headers?.["event-id"]) === refused.eventId) ? true : undefined,
      );
    } finally {
      await failing.stop();
    }
    expect(await effectsOf(refused.orderId)).toBe(0);
    for (const event of events.filter((e) => e !== refused)) expect(await effectsOf(event.orderId)).toBe(1);
  });

  it("reach a set-wise handler in one call per topic, each partition's events in their order", async () => {
    // Two events per order, so that an order's order can be checked; keys spread the orders over the partitions.
    const orders: string[] = Array.from({ length: 12 }, () => randomUUID());
    const events = orders.flatMap((orderId) => [orderStatusChanged(orderId, "confirmed"), orderStatusChanged(orderId, "allocated")]);
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, events);
    const calls: OrderEvent[][] = [];
    const consumer = await startTestConsumer(`set-wise-${randomUUID()}`, {
      handleBatch: async (items) => {
        calls.push(items.flatMap((item) => (item.event ? [item.event] : [])));
      },
    });
    try {
      await eventually(async () => (calls.flat().filter((e) => orders.includes(e.orderId)).length === events.length ? true : undefined));
    } finally {
      await consumer.stop();
    }
    // The partitions of the fetch came in one call, not one call per partition.
    const call = calls.find((c) => c.some((e) => orders.includes(e.orderId)))!;
    expect(call.filter((e) => orders.includes(e.orderId))).toHaveLength(events.length);
    for (const orderId of orders) {
      const statuses = call.filter((e) => e.orderId === orderId).map((e) => (e.payload as { toStatus: string }).toStatus);
      expect(statuses).toEqual(["confirmed", "allocated"]);
    }
  });
});

describe("a consumer that acts on a few event types", () => {
  it("passes the others over without a transaction or an inbox row, and still applies its own", async () => {
    const orderId = randomUUID();
    const other = newEvent(EventTypes.OrderFollowUpRequested, { reason: "call the customer", nextStepAt: "" }, {
      producer: "test",
      orderId,
      storeId: "store-test",
      actor: { kind: "system", id: "test", role: "system" },
    });
    const own = orderStatusChanged(orderId);
    const group = `selective-${randomUUID()}`;
    const consumer = await startRecordingConsumer(group, undefined, [EventTypes.OrderStatusChanged]);
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [other, own, other]);
    await eventually(async () => ((await effectsOf(orderId)) === 1 ? true : undefined));
    await consumer.stop();
    // The topic holds other tests' status changes too: those are this consumer's type and recorded.
    const recorded = await inboxOf(group);
    expect(recorded).toContain(own.eventId);
    expect(recorded).not.toContain(other.eventId);
  });

  it("passes over events of its types that it does not act on, with no inbox row", async () => {
    const orderId = randomUUID();
    const confirmed = orderStatusChanged(orderId, "confirmed");
    const accepted = orderStatusChanged(orderId, "accepted");
    const group = `acts-on-${randomUUID()}`;
    const actsOn = (event: OrderEvent) => event.type === EventTypes.OrderStatusChanged && event.payload.toStatus === "accepted";
    const consumer = await startRecordingConsumer(group, undefined, [EventTypes.OrderStatusChanged], actsOn);
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [confirmed, accepted, confirmed]);
    await eventually(async () => ((await effectsOf(orderId)) === 1 ? true : undefined));
    await consumer.stop();
    const recorded = await inboxOf(group);
    expect(recorded).toContain(accepted.eventId);
    expect(recorded).not.toContain(confirmed.eventId);
    expect(await effectsOf(orderId)).toBe(1);
  });
});

describe("outbox relay", () => {
  it("republishes after dying between publish and mark, and the consumer applies the event once", async () => {
    const orderId = randomUUID();
    const event = orderStatusChanged(orderId);
    const outbox = new OutboxWriter({ topic: Topics.fulfillmentOrder, schema: "public" });
    await withTransaction(db.pool, (tx) => outbox.append(tx, [event]));

    const producer = await connectProducer(kafka());
    let crashes = 0;
    const dyingRelay = new OutboxRelay({
      pool: db.pool,
      schema: "public",
      producer,
      logger,
      namespace: db.namespace.name,
      afterPublish: async () => {
        crashes++;
        throw new Error("relay killed between publish and mark");
      },
    });
    await expect(dyingRelay.publishOnce()).rejects.toThrow("relay killed");
    const healthyRelay = new OutboxRelay({ pool: db.pool, schema: "public", producer, logger, namespace: db.namespace.name });
    expect(await healthyRelay.flush()).toBeGreaterThanOrEqual(1);
    await producer.disconnect();

    const copies = (await readTopic(Topics.fulfillmentOrder, db.namespace.name)).filter((m) => String(m.headers?.["event-id"]) === event.eventId);
    expect(crashes).toBe(1);
    expect(copies).toHaveLength(2);

    const consumer = await startRecordingConsumer(`relay-${randomUUID()}`);
    await eventually(async () => ((await effectsOf(orderId)) >= 1 ? true : undefined));
    const marker = orderStatusChanged(randomUUID(), "marker");
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [marker]);
    await eventually(async () => ((await effectsOf(marker.orderId)) === 1 ? true : undefined));
    await consumer.stop();
    expect(await effectsOf(orderId)).toBe(1);
  });
});

describe("dead letters", () => {
  it("sends unreadable bytes and a message whose handler keeps failing to the DLQ, and processes the next message", async () => {
    const refused = orderStatusChanged(randomUUID());
    const next = orderStatusChanged(randomUUID());
    const consumer = await startRecordingConsumer(`dlq-${randomUUID()}`, refused.orderId);
    await publishRaw(db.namespace.name, Topics.fulfillmentOrder, [{ key: "poison", value: Buffer.from("definitely not protobuf \u0000\u00ff") }]);
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [refused, next]);

    await eventually(async () => ((await effectsOf(next.orderId)) === 1 ? true : undefined));
    // Other tests dead-letter into the same topic: wait for this test's two letters.
    const letters = await eventually(async () => {
      const messages = await readTopic(deadLetterTopicOf(Topics.fulfillmentOrder), db.namespace.name);
      const ours = messages.some((m) => String(m.key) === "poison") && messages.some((m) => String(m.headers?.["event-id"]) === refused.eventId);
      return ours ? messages : undefined;
    });
    await consumer.stop();

    const poison = letters.find((m) => String(m.key) === "poison");
    expect(String(poison?.headers?.[DeadLetterHeaders.error])).toMatch(/MalformedEventError/);
    const failed = letters.find((m) => String(m.headers?.["event-id"]) === refused.eventId);
    expect(String(failed?.headers?.[DeadLetterHeaders.error])).toContain("handler refuses order");
    expect(String(failed?.headers?.[DeadLetterHeaders.attempts])).toBe("2");
    expect(await effectsOf(refused.orderId)).toBe(0);
  });
});

describe("dead-letter replay", () => {
  it("puts a letter back on its topic, where the mended consumer applies it once", async () => {
    const refused = orderStatusChanged(randomUUID());
    const group = `replay-${randomUUID()}`;
    const failing = await startRecordingConsumer(group, refused.orderId);
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [refused]);
    const letter = await eventually(async () =>
      (await readDeadLetters(kafka(), Topics.fulfillmentOrder, db.namespace.name)).find((l) => l.eventId === refused.eventId),
    );
    await failing.stop();
    expect(letter.consumer).toBe(group);

    const mended = await startRecordingConsumer(group);
    expect(await replayDeadLetters(kafka(), [letter])).toBe(1);
    await eventually(async () => ((await effectsOf(refused.orderId)) === 1 ? true : undefined));
    await mended.stop();
    expect(await effectsOf(refused.orderId)).toBe(1);
  });
});

// Publishes poison on the shared topic: after the tests whose consumers read it from the start.
describe("a consumer that reads envelopes only", () => {
  it("hands over envelopes without decoding payloads: one its type cannot read reaches it, an unreadable envelope goes to the DLQ", async () => {
    const orderId = randomUUID();
    const event = orderStatusChanged(orderId);
    // A valid envelope whose payload is not an OrderStatusChanged: readers of the payload dead-letter it.
    const unreadablePayload = Buffer.from(EventEnvelope.encode({ ...EventEnvelope.decode(encodeEvent(event)), payload: Buffer.from([0xff, 0xff, 0xff]) }).finish());
    const handed: BatchItem[] = [];
    const consumer = await startTestConsumer(`envelopes-${randomUUID()}`, {
      envelopeOnly: true,
      handleBatch: async (items) => {
        handed.push(...items.filter((item) => item.envelope.orderId === orderId));
      },
    });
    try {
      await publishRaw(db.namespace.name, Topics.fulfillmentOrder, [
        { key: orderId, value: Buffer.from("not an envelope \u00ff") },
        { key: orderId, value: unreadablePayload },
      ]);
      await eventually(async () => (handed.length === 1 ? true : undefined));
    } finally {
      await consumer.stop();
    }
    expect(handed[0]).toMatchObject({ event: undefined, envelope: { eventId: event.eventId, eventType: EventTypes.OrderStatusChanged } });
    const letters = await readTopic(deadLetterTopicOf(Topics.fulfillmentOrder), db.namespace.name);
    expect(letters.some((m) => m.key?.toString() === orderId)).toBe(true);
  });

  it("is refused for a per-event handler, which would get no events", () => {
    const options = { kafka: kafka(), pool: db.pool, producer: {} as never, logger, name: "refused", topics: [Topics.fulfillmentOrder] };
    expect(() => new EventConsumer({ ...options, envelopeOnly: true, handle: async () => {} })).toThrow(/envelopeOnly is for handleBatch/);
  });
});
