import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { eventually, orderStatusChanged, publishEvents, testKafka, useMigratedDatabase } from "@oms/testing";
import { EventConsumer, connectProducer, messagingMigrations, type BatchItem } from "@oms/messaging";

/**
 * A set-wise handler that locks rows for several topics' events (fulfillment's) gets a
 * fetch's topics in one call, so that it can lock them in one sorted statement.
 */
const logger = createLogger({ service: "across-topics-test", level: "fatal", pretty: false });
const db = useMigratedDatabase("across-topics-test", messagingMigrations);

/** The calls a consumer of two topics makes, once both topics' events are in. */
async function callsOf(batchAcrossTopics: boolean): Promise<BatchItem[][]> {
  const orders: string[] = Array.from({ length: 6 }, () => randomUUID());
  const onOrders = orders.map((orderId) => orderStatusChanged(orderId, "confirmed"));
  const onStock = orders.map((orderId) => orderStatusChanged(orderId, "allocated"));
  await publishEvents(db.namespace.name, Topics.fulfillmentOrder, onOrders);
  await publishEvents(db.namespace.name, Topics.warehouseStock, onStock);
  const calls: BatchItem[][] = [];
  const kafka = testKafka("across-topics-test");
  const producer = await connectProducer(kafka);
  const consumer = new EventConsumer({
    kafka,
    pool: db.pool,
    producer,
    logger,
    name: `across-${batchAcrossTopics}-${randomUUID()}`,
    topics: [Topics.fulfillmentOrder, Topics.warehouseStock],
    namespace: db.namespace.name,
    batchAcrossTopics,
    handleBatch: async (items) => {
      calls.push(items.filter((item) => item.event && orders.includes(item.event.orderId)));
    },
  });
  await consumer.start();
  try {
    await eventually(async () => (calls.flat().length === orders.length * 2 ? true : undefined));
  } finally {
    await consumer.stop();
    await producer.disconnect();
  }
  return calls.filter((items) => items.length > 0);
}

const topicsOf = (items: BatchItem[]) => [...new Set(items.map((item) => item.topic))].sort();

describe("a set-wise consumer of several topics", () => {
  it("hands a fetch's topics over in one call with batchAcrossTopics, each item naming its topic", async () => {
    const calls = await callsOf(true);
    expect(calls.some((items) => topicsOf(items).length === 2)).toBe(true);
    for (const item of calls.flat()) {
      const toStatus = (item.event!.payload as { toStatus: string }).toStatus;
      expect(item.topic).toBe(toStatus === "confirmed" ? Topics.fulfillmentOrder : Topics.warehouseStock);
    }
  });

  it("hands them over topic by topic without it", async () => {
    const calls = await callsOf(false);
    expect(calls.every((items) => topicsOf(items).length === 1)).toBe(true);
  });
});
