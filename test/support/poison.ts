import { randomBytes, randomUUID } from "node:crypto";
import { EventEnvelope, EventTypes, Topics, encodeEvent, newEvent, physicalTopic, systemActor } from "@oms/contracts";
import { toolKafka } from "./tool-servers.ts";

/**
 * Messages no consumer can handle: each must end in the dead-letter topic of every
 * service that reads its topic, and the consumer must carry on with the next message.
 */
export interface PoisonMessage {
  /** Logical topic. */
  topic: string;
  kind: "random bytes" | "truncated envelope" | "unknown schema version" | "no value" | "envelope without id";
  key: string;
  value: Buffer | null;
}

/** A valid event of a random order, encoded: the base the malformed ones are cut from. */
function validEventBytes(orderId: string): Uint8Array {
  const event = newEvent(EventTypes.StockReleaseRequested, { reservationId: `poison-${orderId}`, reason: "poison" }, {
    producer: "chaos",
    orderId,
    storeId: "store-sh-jingan",
    actor: systemActor("chaos"),
    correlationId: randomUUID(),
    traceparent: "",
  });
  return encodeEvent(event);
}

export function poisonOfKind(topic: string, kind: PoisonMessage["kind"], seed: Buffer = randomBytes(64)): PoisonMessage {
  const key = randomUUID();
  switch (kind) {
    case "random bytes":
      // Wire type 7 does not exist: no protobuf reader can take the first byte.
      return { topic, kind, key, value: Buffer.concat([Buffer.from([0xff]), seed]) };
    case "truncated envelope": {
      const bytes = validEventBytes(key);
      // The payload (field 12) is written last: without its final byte its length prefix overruns.
      return { topic, kind, key, value: Buffer.from(bytes.subarray(0, bytes.length - 1)) };
    }
    case "unknown schema version": {
      const envelope = EventEnvelope.decode(validEventBytes(key));
      return { topic, kind, key, value: Buffer.from(EventEnvelope.encode({ ...envelope, schemaVersion: 99 }).finish()) };
    }
    case "envelope without id": {
      const envelope = EventEnvelope.decode(validEventBytes(key));
      return { topic, kind, key, value: Buffer.from(EventEnvelope.encode({ ...envelope, eventId: "" }).finish()) };
    }
    case "no value":
      return { topic, kind, key, value: null };
    default: {
      const unknown: never = kind;
      throw new Error(`unknown poison ${String(unknown)}`);
    }
  }
}

/** One of each kind on the topics the services read, as the harness plants them under load. */
export function poisonSet(): PoisonMessage[] {
  const kinds: PoisonMessage["kind"][] = ["random bytes", "truncated envelope", "unknown schema version", "envelope without id"];
  return [Topics.fulfillmentOrder, Topics.intakeOrder].flatMap((topic) => kinds.map((kind) => poisonOfKind(topic, kind)));
}

export async function plantPoison(brokers: string[], namespace: string, messages: readonly PoisonMessage[]): Promise<void> {
  const producer = toolKafka(brokers, "oms-chaos-poison").producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const message of messages) {
      await producer.send({ topic: physicalTopic(message.topic, namespace), acks: -1, messages: [{ key: message.key, value: message.value }] });
    }
  } finally {
    await producer.disconnect();
  }
}

export function samePayload(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) return a === b;
  return a.equals(b);
}
