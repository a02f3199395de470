import type { Kafka, KafkaMessage } from "kafkajs";
import { deadLetterTopicOf, physicalTopic } from "@oms/contracts";
import { DeadLetterHeaders } from "../dead-letter.ts";
import { javaCompatiblePartitioner } from "../partitioner.ts";

export interface DeadLetterEntry {
  partition: number;
  offset: string;
  eventId: string;
  eventType: string;
  error: string;
  consumer: string;
  failedAt: string;
  attempts: string;
  originalTopic: string;
  message: KafkaMessage;
}

const header = (message: KafkaMessage, name: string) => {
  const value = message.headers?.[name];
  return value === undefined ? "" : String(value);
};

/** Every letter now on `<topic>.dlq`, read with a throwaway group (commits nothing). */
export async function readDeadLetters(kafka: Kafka, topic: string, namespace = ""): Promise<DeadLetterEntry[]> {
  const dlq = physicalTopic(deadLetterTopicOf(topic), namespace);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(dlq).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]));
  const entries: DeadLetterEntry[] = [];
  if (remaining.size === 0) return entries;
  const consumer = kafka.consumer({ groupId: `oms-dlq-reader-${Date.now()}-${Math.random().toString(36).slice(2)}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [dlq], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            entries.push({
              partition,
              offset: message.offset,
              eventId: header(message, "event-id"),
              eventType: header(message, "event-type"),
              error: header(message, DeadLetterHeaders.error),
              consumer: header(message, DeadLetterHeaders.consumer),
              failedAt: header(message, DeadLetterHeaders.failedAt),
              attempts: header(message, DeadLetterHeaders.attempts),
              originalTopic: header(message, DeadLetterHeaders.originalTopic),
              message,
            });
            if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return entries;
}

/**
 * Puts letters back on the topic they came from, as they were (the dlq headers removed).
 * Consumers that already applied the event skip it by its id; the one that failed gets
 * it again. Returns how many were replayed.
 */
export async function replayDeadLetters(kafka: Kafka, letters: DeadLetterEntry[]): Promise<number> {
  if (letters.length === 0) return 0;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: javaCompatiblePartitioner });
  await producer.connect();
  try {
    for (const letter of letters) {
      const headers = Object.fromEntries(
        Object.entries(letter.message.headers ?? {}).filter(([name]) => !Object.values(DeadLetterHeaders).includes(name as never)),
      );
      await producer.send({ topic: letter.originalTopic, acks: -1, messages: [{ key: letter.message.key, value: letter.message.value, headers }] });
    }
  } finally {
    await producer.disconnect();
  }
  return letters.length;
}
