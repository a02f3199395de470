import { Topics } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { recordOrderFact } from "../../app/commands/record-order-fact.ts";

export function orderFactsConsumer(): ConsumerSpec {
  return {
    name: "after-sales",
    topics: [Topics.fulfillmentOrder],
    handle: (event, { tx }) => recordOrderFact(tx, event),
  };
}
