import { describe, expect, it } from "vitest";
import type { KafkaMessage } from "kafkajs";
import type { EventEnvelope } from "@oms/contracts";
import { itemsByTopic } from "./items-by-topic.ts";

/** An item as the consumer decodes it; only its event id matters here. */
const item = (eventId: string) => ({
  event: undefined,
  envelope: { eventId } as EventEnvelope,
  message: { value: Buffer.from(eventId) } as KafkaMessage,
});
const idsOf = (byTopic: ReturnType<typeof itemsByTopic>) => Object.fromEntries([...byTopic].map(([topic, items]) => [topic, items.map((i) => i.envelope.eventId)]));

describe("a fetch's fresh items by topic", () => {
  it("gathers every partition of a topic into one list, partition after partition, each in its order", () => {
    const byTopic = itemsByTopic([
      { topic: "orders", items: [item("o1"), item("o2")] },
      { topic: "stock", items: [item("s1")] },
      { topic: "orders", items: [item("o3"), item("o4")] },
    ]);
    expect(idsOf(byTopic)).toEqual({ orders: ["o1", "o2", "o3", "o4"], stock: ["s1"] });
    expect([...byTopic.keys()]).toEqual(["orders", "stock"]);
    expect(byTopic.get("stock")![0]!.value.toString()).toBe("s1");
    expect([...byTopic].every(([topic, items]) => items.every((i) => i.topic === topic))).toBe(true);
  });

  it("keeps a topic whose partitions brought nothing fresh, so its handler is still called", () => {
    expect(idsOf(itemsByTopic([{ topic: "orders", items: [] }]))).toEqual({ orders: [] });
  });
});
