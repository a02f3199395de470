import type { KafkaMessage } from "kafkajs";
import { toolKafka } from "./tool-servers.ts";

/**
 * Every message on a physical topic, from the beginning up to the end offsets seen when
 * the read starts, with a throwaway consumer group (deleted afterwards). For the
 * invariant checker; works outside vitest (the suite's readTopic needs its context).
 */
export async function dumpTopic(brokers: string[], topic: string, timeoutMs = 60_000): Promise<KafkaMessage[]> {
  const kafka = toolKafka(brokers, "oms-topic-dump");
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const remaining = new Map<number, number>();
    for (const p of ends) if (Number(p.high) > Number(p.low)) remaining.set(p.partition, Number(p.high));
    const messages: KafkaMessage[] = [];
    if (remaining.size === 0) return messages;
    const groupId = `oms-dump-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, maxBytes: 50 * 1024 * 1024 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error(`reading ${topic} timed out after ${timeoutMs} ms`)), timeoutMs);
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              for (const message of batch.messages) {
                const end = remaining.get(batch.partition);
                if (end === undefined || Number(message.offset) >= end) continue;
                messages.push(message);
                if (Number(message.offset) + 1 >= end) remaining.delete(batch.partition);
              }
              if (remaining.size === 0) {
                clearTimeout(timeout);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => {});
    }
    return messages;
  } finally {
    await admin.disconnect();
  }
}
