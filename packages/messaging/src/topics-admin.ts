import type { Kafka } from "kafkajs";
import type { TopicSpec } from "@oms/contracts";

/**
 * Creates the topics that do not exist yet, with their partitions and retention (or
 * compaction), and
 * waits until every partition has a leader: right after creation a send can otherwise
 * fail with "not the leader" (FACTS.md).
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.name));
    if (missing.length > 0) {
      // Leaders are awaited below with our own retries: kafkajs's waitForLeaders gives up
      // on the first "does not host this topic-partition" while the controller catches up.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((s) => ({
          topic: s.name,
          numPartitions: s.partitions,
          replicationFactor: 1,
          configEntries: s.compacted ? [{ name: "cleanup.policy", value: "compact" }] : [{ name: "retention.ms", value: String(s.retentionMs) }],
        })),
      });
    }
    for (const spec of specs) await waitForLeaders(() => admin.fetchTopicOffsets(spec.name));
    return missing.map((s) => s.name);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(probe: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await probe();
      return;
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
