import type { Kafka, Producer } from "kafkajs";
import { javaCompatiblePartitioner } from "./partitioner.ts";

/**
 * The one producer of a process: idempotent with acks=all, so a retried send never
 * writes a partition twice (FACTS.md: a non-idempotent retry right after topic
 * creation duplicated messages). Keys go to partitions as every Kafka client's default
 * partitioner sends them, computed without kafkajs's allocations (partitioner.ts).
 */
export async function connectProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: javaCompatiblePartitioner });
  await producer.connect();
  return producer;
}
