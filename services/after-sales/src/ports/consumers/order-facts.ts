import { Topics, type OrderEvent } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { orderFactEventTypes, recordOrderFacts } from "../../app/commands/record-order-facts.ts";

/** Fulfillment's order events keep the order facts current, a whole batch in two statements. */
export function orderFactsConsumer(): ConsumerSpec {
  return {
    name: "after-sales",
    topics: [Topics.fulfillmentOrder],
    eventTypes: orderFactEventTypes,
    handleBatch: (items, { tx }) => recordOrderFacts(tx, items.flatMap((item): OrderEvent[] => (item.event ? [item.event] : []))),
  };
}
