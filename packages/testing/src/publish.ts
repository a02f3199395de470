import { encodeEvent, physicalTopic, type OrderEvent } from "@oms/contracts";
import { testKafka } from "./namespace.ts";

/** Puts events on a namespace's topic as a producing service's relay would (keyed by order id). */
export async function publishEvents(namespace: string, topic: string, events: OrderEvent[]): Promise<void> {
  await publishRaw(
    namespace,
    topic,
    events.map((e) => ({ key: e.orderId, value: Buffer.from(encodeEvent(e)), headers: { "event-id": e.eventId, "event-type": e.type } })),
  );
}

/** Arbitrary bytes on a topic: for poison messages and fuzzing consumers. */
export async function publishRaw(
  namespace: string,
  topic: string,
  messages: { key: string; value: Buffer | null; headers?: Record<string, string> }[],
): Promise<void> {
  const producer = testKafka("oms-test-publisher").producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic: physicalTopic(topic, namespace), acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}
