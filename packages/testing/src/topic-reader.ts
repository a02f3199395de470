import type { KafkaMessage } from "kafkajs";
import { physicalTopic } from "@oms/contracts";
import { testKafka } from "./namespace.ts";

/** Every message currently on a topic, read from the beginning with a throwaway group. */
export async function readTopic(topic: string, namespace: string): Promise<KafkaMessage[]> {
  const kafka = testKafka("oms-test-reader");
  const name = physicalTopic(topic, namespace);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(name);
  await admin.disconnect();
  const remaining = new Map(ends.map((p) => [p.partition, Number(p.high)]));
  for (const [partition, high] of remaining) if (high === 0) remaining.delete(partition);
  const messages: KafkaMessage[] = [];
  if (remaining.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `reader-${Math.random().toString(36).slice(2)}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topics: [name], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error(`reading ${name} timed out`)), 15_000);
    consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          messages.push(message);
          if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
          if (remaining.size === 0) {
            clearTimeout(timeout);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return messages;
}
