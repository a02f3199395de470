import type { KafkaMessage } from "kafkajs";
import type { BatchItem } from "./consumer-options.ts";

/** A partition's fresh messages of a fetch, decoded, under the logical topic they came from. */
export interface FreshPart {
  topic: string;
  items: readonly (Pick<BatchItem, "event" | "envelope"> & { message: KafkaMessage })[];
}

/**
 * What a set-wise handler gets from a fetch: per topic, the fresh items of all its
 * partitions, partition after partition, each partition's in its order. An order's events
 * are all on one partition, so they stay in order; orders are independent of one another.
 */
export function itemsByTopic(parts: readonly FreshPart[]): Map<string, BatchItem[]> {
  const byTopic = new Map<string, BatchItem[]>();
  for (const { topic, items } of parts) {
    const gathered = byTopic.get(topic) ?? [];
    for (const item of items) gathered.push({ event: item.event, envelope: item.envelope, value: item.message.value!, topic });
    byTopic.set(topic, gathered);
  }
  return byTopic;
}
