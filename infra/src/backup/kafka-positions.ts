// Where the system's topics and consumer groups stood at a backup: what an operator needs
// to put the consumer groups back after a restore (ADR 031). Kafka's own state is not
// backed up; only these numbers are.
import { Kafka, logLevel, type Admin } from "kafkajs";
import { physicalTopic, systemConsumerGroups, topicSpecs } from "@oms/contracts";
import type { KafkaPositions, PartitionOffset } from "./manifest.ts";

export interface KafkaTarget {
  brokers: string[];
  /** OMS_NAMESPACE: prefixes the topics and consumer groups (empty in production). */
  namespace: string;
}

/** How long the first connection is waited for: the operation's one try, or tries under a backoff. */
export type Patience = <T>(operation: () => Promise<T>) => Promise<T>;
const oneTry: Patience = (operation) => operation();

/**
 * An admin session on the brokers, or why there is none. Short timeouts and one retry:
 * an unreachable broker must cost the backup seconds, not kafkajs' default minutes. A restore's
 * reset-offsets, run right after the brokers were started, passes its backoff as `patience`.
 */
export async function connectKafkaAdmin(target: KafkaTarget, patience: Patience = oneTry): Promise<{ admin: Admin; kafka: Kafka } | { error: string; cause: unknown }> {
  const kafka = new Kafka({ brokers: target.brokers, clientId: "oms-backup", logLevel: logLevel.NOTHING, connectionTimeout: 2_000, requestTimeout: 10_000, retry: { retries: 1, initialRetryTime: 200 } });
  const admin = kafka.admin();
  try {
    await patience(async () => {
      await admin.connect();
      await admin.describeCluster();
    });
    return { admin, kafka };
  } catch (error) {
    await admin.disconnect().catch(() => {});
    return { error: (error as Error).message || String(error), cause: error };
  }
}

/** The system's topics (event topics and their dead letters) that exist on the broker. */
export async function systemTopics(admin: Admin, namespace: string): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  return topicSpecs(namespace).map((spec) => spec.name).filter((name) => existing.has(name));
}

/**
 * Committed offsets of the system's consumer groups on its topics: only the groups the services
 * consume as (`systemConsumerGroups`, named like topics, `<namespace>.<name>`), so analytics
 * teams' groups reading the same topics are neither recorded nor rewound by a restore's
 * procedure. A group with nothing committed on our topics is left out.
 */
export async function committedOffsets(admin: Admin, namespace: string, topics: readonly string[]): Promise<Extract<KafkaPositions, { reachable: true }>["consumerGroups"]> {
  const system = new Set(Object.keys(systemConsumerGroups).map((name) => physicalTopic(name, namespace)));
  const { groups } = await admin.listGroups();
  // No protocol type: a group that only holds offsets, as a member-less commit (reset-offsets,
  // Kafka's tool) creates one that did not exist; it is the system's until a service joins it.
  const ours = groups.filter((g) => (g.protocolType === "consumer" || g.protocolType === "") && system.has(g.groupId)).map((g) => g.groupId).sort();
  const result = [];
  for (const group of ours) {
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
    const committed = offsets
      .map(({ topic, partitions }) => ({ topic, partitions: partitions.filter((p) => Number(p.offset) >= 0).map((p) => ({ partition: p.partition, offset: p.offset })) }))
      .filter((t) => t.partitions.length > 0);
    if (committed.length > 0) result.push({ group, topics: committed });
  }
  return result;
}

/** Each topic's end offset per partition (the offset the next message will get). */
export async function topicEnds(admin: Admin, topics: readonly string[]): Promise<{ topic: string; partitions: PartitionOffset[] }[]> {
  const ends = [];
  for (const topic of topics) {
    const partitions = await admin.fetchTopicOffsets(topic);
    ends.push({ topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: p.high })).sort((a, b) => a.partition - b.partition) });
  }
  return ends;
}
