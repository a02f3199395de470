import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { Admin } from "kafkajs";
import type pg from "pg";
import { EventEnvelope, EventTypes, deadLetterTopicOf, encodeEvent, newEvent, physicalTopic, systemActor, type OrderEvent } from "@oms/contracts";
import { samePayload } from "../../../support/poison.ts";
import { dumpTopic } from "../../../support/topic-dump.ts";
import { toolKafka } from "../../../support/tool-servers.ts";
import { consumingGroupsByTopic } from "../consuming-groups.ts";
import { failureOf, type FuzzFigure } from "./http-properties.ts";

/**
 * Property-based fuzzing of every consumer: malformed bytes, truncated envelopes,
 * unknown schema versions and envelopes without an id, published on each topic, must
 * each end in that topic's dead-letter topic once per consuming service — and every
 * consumer must still take the valid event published right after them.
 */
export const consumersOf: ReadonlyMap<string, readonly string[]> = consumingGroupsByTopic();

/** The topics some service reads: each gets its poison. */
const consumedTopics = () => [...consumersOf].filter(([, groups]) => groups.length > 0).map(([topic]) => topic);

/**
 * A valid event every consumer of any topic takes without acting on it (dispatch's
 * TaskQueued, for an order nobody knows): proof that the consumer still runs.
 */
function sentinel(): OrderEvent {
  const orderId = randomUUID();
  return newEvent(EventTypes.TaskQueued, { taskId: `fuzz-${orderId}`, reason: "fuzz sentinel" }, {
    producer: "fuzz",
    orderId,
    storeId: "store-sh-jingan",
    actor: systemActor("fuzz"),
    correlationId: randomUUID(),
  });
}

const validBytes = () => encodeEvent(sentinel());

/** Undecodable by construction: each kind is sure to fail the envelope or payload decoding. */
const poison = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 300 }).map((bytes) => ({ kind: "random bytes", value: Buffer.concat([Buffer.from([0xff]), bytes]) })),
  fc.integer({ min: 1, max: 20 }).map((cut) => {
    const bytes = validBytes();
    return { kind: "truncated envelope", value: Buffer.from(bytes.subarray(0, bytes.length - cut)) };
  }),
  fc.integer({ min: 2, max: 1_000_000 }).map((version) => ({ kind: "unknown schema version", value: Buffer.from(EventEnvelope.encode({ ...EventEnvelope.decode(validBytes()), schemaVersion: version }).finish()) })),
  fc.constant(null).map(() => ({ kind: "envelope without id", value: Buffer.from(EventEnvelope.encode({ ...EventEnvelope.decode(validBytes()), eventId: "" }).finish()) })),
);

export interface ConsumerFuzzTarget {
  brokers: string[];
  namespace: string;
  db: pg.Pool;
}

/** For each topic: batches of poison then a sentinel; every consumer dead-letters each poison once and takes the sentinel. */
export async function fuzzConsumers(target: ConsumerFuzzTarget, numRuns: number, topics: string[] = consumedTopics()): Promise<FuzzFigure> {
  const kafka = toolKafka(target.brokers, "oms-fuzz");
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const admin = kafka.admin();
  await producer.connect();
  await admin.connect();
  let published = 0;
  let deadLetters = 0;
  const kinds = new Map<string, number>();
  try {
    for (const topic of topics) {
      await fc.assert(
        fc.asyncProperty(fc.array(poison, { minLength: 1, maxLength: 6 }), async (messages) => {
          const next = sentinel();
          // The sentinel shares the poison's partition (one key), and is sent after it.
          const key = randomUUID();
          const physical = physicalTopic(topic, target.namespace);
          await producer.send({ topic: physical, acks: -1, messages: messages.map((m) => ({ key, value: m.value })) });
          const [sent] = await producer.send({
            topic: physical,
            acks: -1,
            messages: [{ key, value: Buffer.from(encodeEvent(next)), headers: { "event-id": next.eventId, "event-type": next.type } }],
          });
          published += messages.length;
          for (const m of messages) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
          await waitUntilConsumedPast(admin, target.namespace, topic, sent!.partition, Number(sent!.baseOffset));
          const letters = await dumpTopic(target.brokers, physicalTopic(deadLetterTopicOf(topic), target.namespace));
          for (const m of messages) {
            for (const service of consumersOf.get(topic)!) {
              const found = letters.filter((l) => samePayload(l.value, m.value) && String(l.headers?.["x-dlq-consumer"] ?? "") === service).length;
              if (found < 1) throw new Error(`${m.kind} on ${topic}: ${service} did not dead-letter it (found ${found})`);
            }
          }
          deadLetters += messages.length * consumersOf.get(topic)!.length;
        }),
        { numRuns },
      );
    }
    const mix = [...kinds].map(([k, v]) => `${k} ${v}`).join(", ");
    return { name: "every consumer: poison to the DLQ, the next valid event still taken", runs: numRuns * topics.length, figure: `${published} poison messages on ${topics.length} topics (${mix}), ${deadLetters} dead letters as expected`, ok: true };
  } catch (error) {
    return { name: "every consumer: poison to the DLQ, the next valid event still taken", runs: numRuns * topics.length, figure: failureOf(error), ok: false };
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

/**
 * Every consumer group of the topic committed past the sentinel, within a bound: it got
 * over the poison and took the next valid event (acting on it, or passing over a type it
 * has nothing to do with). A hang fails.
 */
async function waitUntilConsumedPast(admin: Admin, namespace: string, topic: string, partition: number, offset: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const physical = physicalTopic(topic, namespace);
  let missing: string[] = [];
  while (Date.now() < deadline) {
    missing = [];
    for (const service of consumersOf.get(topic)!) {
      const [committed] = await admin.fetchOffsets({ groupId: physicalTopic(service, namespace), topics: [physical] });
      const at = committed?.partitions.find((p) => p.partition === partition);
      if (!at || Number(at.offset) <= offset) missing.push(service);
    }
    if (missing.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`after poison on ${topic}, ${missing.join(", ")} did not take the next valid event within ${timeoutMs / 1000} s`);
}
