import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Topics, physicalTopic } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { eventually, orderStatusChanged, publishEvents, testKafka, useMigratedDatabase } from "@oms/testing";
import { EventConsumer, connectProducer, messagingMigrations } from "@oms/messaging";

/**
 * Offsets are committed on an interval, not after every batch (patches/kafkajs@2.2.4.patch:
 * unpatched, kafkajs's runner commits after each partition's batch whatever
 * autoCommitInterval says), yet an idle consumer commits its last batch within the
 * interval and a stopping one commits before it leaves.
 */

const logger = createLogger({ service: "offset-commits-test", level: "fatal", pretty: false });
const kafka = () => testKafka("offset-commits-test");
const db = useMigratedDatabase("offset-commits-test", messagingMigrations);

/** A consumer that counts the commits it sends to the broker and the events it applied. */
async function startCountingConsumer(group: string, commitIntervalMs: number) {
  const producer = await connectProducer(kafka());
  const applied = new Set<string>();
  const consumer = new EventConsumer({
    kafka: kafka(),
    pool: db.pool,
    producer,
    logger,
    name: group,
    topics: [Topics.fulfillmentOrder],
    namespace: db.namespace.name,
    commitIntervalMs,
    handle: async (event) => {
      applied.add(event.eventId);
    },
  });
  const commits = { count: 0 };
  consumer.kafkaConsumer.on(consumer.kafkaConsumer.events.COMMIT_OFFSETS, () => commits.count++);
  await consumer.start();
  return {
    applied,
    commits,
    stop: async () => {
      await consumer.stop();
      await producer.disconnect();
    },
  };
}

/** Committed minus end offsets summed over the topic's partitions: 0 when everything is committed. */
async function uncommitted(group: string): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const topic = physicalTopic(Topics.fulfillmentOrder, db.namespace.name);
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: physicalTopic(group, db.namespace.name), topics: [topic] });
    return ends.reduce((sum, end) => {
      const at = Number(committed!.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      return sum + Number(end.offset) - Math.max(at, 0);
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

/** Publishes events one at a time, each once the one before was applied: one batch each. */
async function publishOneBatchAtATime(consumer: { applied: Set<string> }, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const event = orderStatusChanged();
    await publishEvents(db.namespace.name, Topics.fulfillmentOrder, [event]);
    await eventually(async () => (consumer.applied.has(event.eventId) ? true : undefined), 20_000, 10);
  }
}

describe("consumer offset commits", () => {
  it("are not sent after every batch, and a stopping consumer commits what it applied", async () => {
    const group = `interval-${randomUUID()}`;
    const consumer = await startCountingConsumer(group, 120_000);
    try {
      await publishOneBatchAtATime(consumer, 8);
      // Unpatched kafkajs commits after each of the eight batches.
      expect(consumer.commits.count).toBe(0);
      expect(await uncommitted(group)).toBe(8);
    } finally {
      await consumer.stop();
    }
    expect(await uncommitted(group)).toBe(0);
  });

  it("are sent within the interval by an idle consumer", async () => {
    const group = `idle-${randomUUID()}`;
    const consumer = await startCountingConsumer(group, 1_000);
    try {
      await publishOneBatchAtATime(consumer, 8);
      await eventually(async () => ((await uncommitted(group)) === 0 ? true : undefined), 10_000, 200);
      // Eight batches in well under the interval each: fewer commits than batches.
      expect(consumer.commits.count).toBeLessThan(8);
    } finally {
      await consumer.stop();
    }
  });
});
