import type pg from "pg";
import { serviceNames } from "@oms/service-kit";
import type { KafkaMessage } from "kafkajs";
import { allTopics, deadLetterTopicOf, decodeEnvelope, eventOf, physicalTopic, type EventType, type OrderEventOf } from "@oms/contracts";
import type { AcceptedOrder } from "../../../support/intake-load.ts";
import { samePayload, type PoisonMessage } from "../../../support/poison.ts";
import { dumpTopic } from "../../../support/topic-dump.ts";

/**
 * What the invariant checker reads: the namespace's database (every service's schema —
 * the checker is a test tool and may read them all), the topics, and what the load
 * driver recorded as accepted. Each check is a small named function returning a figure.
 */
export type PlantedPoison = Pick<PoisonMessage, "topic" | "kind" | "value">;

export interface OrderShape {
  orderId: string;
  kind: string;
  fulfillmentMethod: string;
  paymentMethod: string;
  prepaid: boolean;
  /** The customer's id as the order names them ("" for a guest): their credit decides an order bought on credit. */
  customerId: string;
  /** The order waited for its customer's confirmation (its timeline says so). */
  awaitedConfirmation?: boolean;
}

/** An exchange the simulated people asked for (ADR 030), as the checker judges it. */
export interface ExchangeRecord {
  orderId: string;
  caseId: string;
  /** The order's store as the case names it: the replacement leaves from there. */
  storeId: string;
  /** What the desk meant to do with its replacement. */
  intent: "ship" | "call-off";
  /** Set once after-sales answered the opening: the case exists. */
  opened?: boolean;
  /** Why the people stopped short of the replacement's end (a refusal, a budget run out): the report shows it. */
  leftOpenBecause?: string;
  /** The desk meant to send it from another store should it wait for stock (ADR 030, third addendum). */
  moveIntended?: boolean;
  /** Where the harness made the order's store run short before the acceptance (a count to what orders hold), until its delivery. */
  shortAt?: { storeId: string; sku: string; location: string; restocked?: boolean };
  /** The store the desk moved it to, the warehouse having answered the move (it ships from there). */
  movedTo?: string;
  /** Why a move the desk asked for was not made (the warehouse's 409, no store with the goods, a budget run out). */
  notMovedBecause?: string;
  /** Expected restock dates the store's clerk set out to record for its SKUs; answered when the warehouse said so. */
  restockDates?: { storeId: string; sku: string; date: string; answered: boolean }[];
  /** The claim the desk meant to file against the carrier (ADR 017), and how far it got. */
  claim?: {
    carrier: string;
    carrierReference: string;
    amountMinor: number;
    answer: "settle" | "reject";
    recoveredMinor: number;
    filed?: boolean;
    answered?: boolean;
    leftBecause?: string;
    /** The carrier's payments finance meant to book in billing once the claim was settled; booked once billing answered. */
    receipts?: { reference: string; amountMinor: number; booked?: boolean; remittance?: string; reversal?: { reason: string; rebookedAs: string; reversed?: boolean } }[];
    /** The order's currency: a remittance names it. */
    currency?: string;
  };
}

export interface CheckContext {
  db: pg.Pool;
  /** Orders intake answered as accepted, by id. */
  accepted: ReadonlyMap<string, AcceptedOrder>;
  /** Channel order ids the driver sent (answered or not). */
  sent: ReadonlySet<string>;
  /** Where the simulated people leave this order ("closed" when every step is offered, "cancelled" when its customer cancels). */
  endOf(order: OrderShape): string;
  /** The goodwill refund finance was to issue on this order once closed (0: none). */
  goodwillAskedFor(order: { orderId: string; grandTotalMinor: number }): number;
  /** What the complaint about this closed order was to be resolved with, refunded (0: no complaint). */
  complaintRefundFor(order: { orderId: string; grandTotalMinor: number }): number;
  /** Each exchange the simulated desk asked for, by case id (none when the run simulates no exchanges). */
  exchanges: ReadonlyMap<string, ExchangeRecord>;
  planted: readonly PlantedPoison[];
  /** Every message of every topic of the namespace, by logical topic (dead-letter topics too). */
  topics: ReadonlyMap<string, KafkaMessage[]>;
}

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** The figure that proves it, e.g. "1,204 orders accepted, 1,204 in fulfillment, 0 lost". */
  figure: string;
  /** The first few counter-examples when it fails. */
  details: string[];
  /** Not checkable on this system yet (a table or a step that does not exist): not ok either, as nothing was proved. */
  skipped?: boolean;
}

export type Invariant = (context: CheckContext) => Promise<InvariantResult>;

export async function readAllTopics(brokers: string[], namespace: string): Promise<Map<string, KafkaMessage[]>> {
  const topics = new Map<string, KafkaMessage[]>();
  for (const topic of allTopics) {
    topics.set(topic, await dumpTopic(brokers, physicalTopic(topic, namespace)));
    topics.set(deadLetterTopicOf(topic), await dumpTopic(brokers, physicalTopic(deadLetterTopicOf(topic), namespace)));
  }
  return topics;
}

/** Every service's schema (a service's name, dashes as underscores), from the one list of services. */
export const serviceSchemas: readonly string[] = serviceNames.map((service) => service.replace(/-/g, "_"));

export async function tableExists(db: pg.Pool, schema: string, table: string): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2", [schema, table]);
  return rows.length > 0;
}

export const n = (value: number) => value.toLocaleString("en-US");

export function result(name: string, failures: string[], figure: string): InvariantResult {
  return { name, ok: failures.length === 0, figure, details: failures.slice(0, 10) };
}

/** Whether a message is one of the poison messages the harness planted (they are the DLQ check's). */
export function isPlanted(context: Pick<CheckContext, "planted">, value: Buffer | null): boolean {
  return context.planted.some((p) => samePayload(p.value, value));
}

/** An invariant that could not be checked holds no more than one that failed: the run must not pass on it. */
export function skipped(name: string, why: string): InvariantResult {
  return { name, ok: false, figure: `not checked: ${why}`, details: [], skipped: true };
}

/**
 * A topic's events of one type, as the harness read them off the topic; only those are
 * decoded past their envelope (the fulfillment topic is the run's largest). Planted poison
 * and anything else that is no event are passed over: the DLQ check accounts for them. A
 * copy republished after a crash comes again, under the same event id.
 */
export function* eventsOf<T extends EventType>(context: Pick<CheckContext, "topics" | "planted">, topic: string, type: T): Generator<OrderEventOf<T>> {
  for (const message of context.topics.get(topic) ?? []) {
    if (!message.value || isPlanted(context, message.value)) continue;
    let envelope;
    try {
      envelope = decodeEnvelope(message.value);
    } catch {
      continue;
    }
    if (envelope.eventType !== type) continue;
    const event = eventOf(envelope);
    if (event) yield event as OrderEventOf<T>;
  }
}
