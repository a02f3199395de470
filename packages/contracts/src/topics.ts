/**
 * Topic names: the one place they are spelled. Every order event is keyed by order id,
 * so one order's events stay in order on one partition.
 */
export const Topics = {
  intakeOrder: "oms.intake.order.v1",
  /** The chain's stores and price list (ADR 028), keyed by store id or item code, not by order. */
  intakeCatalogue: "oms.intake.catalogue.v1",
  fulfillmentOrder: "oms.fulfillment.order.v1",
  warehouseStock: "oms.warehouse.stock.v1",
  dispatchAssignment: "oms.dispatch.assignment.v1",
  billingSettlement: "oms.billing.settlement.v1",
  afterSalesCase: "oms.aftersales.case.v1",
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export const allTopics: readonly Topic[] = Object.values(Topics);

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TopicSpec {
  name: string;
  partitions: number;
  retentionMs: number;
  /**
   * Kept by key instead of by age (Kafka's log compaction): the latest message of each key
   * stays for good. For a topic of current state, such as the catalogue (ADR 028), whose
   * publications a consumer rebuilt from an empty schema must still find years later.
   */
  compacted?: boolean;
}

/** Dead letters of `topic` go to `<topic>.dlq`, with the error in the headers. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

/**
 * A namespace prefixes every physical topic name so that several isolated systems
 * (test runs, benchmark runs) can share one broker. Production runs without one.
 */
export function physicalTopic(topic: string, namespace = ""): string {
  return namespace ? `${namespace}.${topic}` : topic;
}

/** How long an event topic keeps its messages. */
export const eventRetentionMs = 7 * DAY_MS;
/** How long a dead-letter topic keeps its letters: the time there is to mend a consumer and replay them. */
export const deadLetterRetentionMs = 30 * DAY_MS;

/**
 * Topics of current state, keyed by what they describe: each store's latest profile and each
 * item's latest price must outlive any retention, or a warehouse rebuilt from an empty schema
 * would never hear of a store published more than a week before.
 */
const compactedTopics: ReadonlySet<string> = new Set<Topic>([Topics.intakeCatalogue]);

/** Every topic the system needs, with explicit partitions and retention (no auto-create). */
export function topicSpecs(namespace = "", partitions = 6): TopicSpec[] {
  return allTopics.flatMap((topic) => [
    { name: physicalTopic(topic, namespace), partitions, retentionMs: eventRetentionMs, ...(compactedTopics.has(topic) ? { compacted: true } : {}) },
    { name: physicalTopic(deadLetterTopicOf(topic), namespace), partitions: 1, retentionMs: deadLetterRetentionMs },
  ]);
}
