import { Topics } from "./topics.ts";

/**
 * The system's consumer groups and the topics each reads: the services' own (their consumer
 * specs name them; test/chaos/src/consuming-groups.unit.spec.ts holds this list to them).
 * Group ids are named like topics, `<namespace>.<name>` under a namespace, the bare name in
 * production. What reads the chain's topics besides — analytics teams' groups — is not the
 * system's: the bench and the harness wait only for these, and a backup records and a restore
 * rewinds only these (ADR 031).
 */
export const systemConsumerGroups: Readonly<Record<string, readonly string[]>> = {
  intake: [Topics.fulfillmentOrder],
  fulfillment: [Topics.intakeOrder, Topics.warehouseStock, Topics.dispatchAssignment, Topics.billingSettlement],
  "fulfillment-catalogue": [Topics.intakeCatalogue],
  warehouse: [Topics.fulfillmentOrder],
  "warehouse-catalogue": [Topics.intakeCatalogue],
  "warehouse-returns": [Topics.afterSalesCase],
  dispatch: [Topics.fulfillmentOrder],
  "dispatch-after-sales": [Topics.afterSalesCase],
  billing: [Topics.fulfillmentOrder, Topics.afterSalesCase],
  "after-sales": [Topics.fulfillmentOrder],
  "after-sales-returns": [Topics.warehouseStock],
  "after-sales-visits": [Topics.dispatchAssignment],
  "after-sales-refunds": [Topics.billingSettlement],
  archive: Object.values(Topics),
};
