import type { Kafka, Producer } from "kafkajs";

/**
 * The one producer of a process: idempotent with acks=all, so a retried send never
 * writes a partition twice (FACTS.md: a non-idempotent retry right after topic
 * creation duplicated messages).
 */
export async function connectProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}
