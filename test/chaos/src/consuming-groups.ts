import { allTopics } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { caseRefundsConsumer } from "../../../services/after-sales/src/ports/consumers/case-refunds.ts";
import { caseVisitsConsumer } from "../../../services/after-sales/src/ports/consumers/case-visits.ts";
import { orderFactsConsumer } from "../../../services/after-sales/src/ports/consumers/order-facts.ts";
import { returnedGoodsConsumer } from "../../../services/after-sales/src/ports/consumers/returned-goods.ts";
import { dossierFilingConsumer } from "../../../services/archive/src/ports/consumers/dossier-filing.ts";
import { moneyEventsConsumer as billingConsumer } from "../../../services/billing/src/ports/consumers/money-events.ts";
import { afterSalesCasesConsumer as dispatchVisitsConsumer } from "../../../services/dispatch/src/ports/consumers/after-sales-cases.ts";
import { fulfillmentRequestsConsumer as dispatchConsumer } from "../../../services/dispatch/src/ports/consumers/fulfillment-requests.ts";
import { orderFlowConsumer } from "../../../services/fulfillment/src/ports/consumers/order-flow.ts";
import { storeProfilesConsumer as fulfillmentCatalogueConsumer } from "../../../services/fulfillment/src/ports/consumers/store-profiles.ts";
import { fulfillmentStatusConsumer } from "../../../services/intake/src/ports/consumers/fulfillment-status.ts";
import { afterSalesCasesConsumer as warehouseReturnsConsumer } from "../../../services/warehouse/src/ports/consumers/after-sales-cases.ts";
import { fulfillmentRequestsConsumer as warehouseConsumer } from "../../../services/warehouse/src/ports/consumers/fulfillment-requests.ts";
import { storeProfilesConsumer as warehouseCatalogueConsumer } from "../../../services/warehouse/src/ports/consumers/store-profiles.ts";

/**
 * Which consumer groups read each topic, taken from the services' own consumer specs
 * (the `consumers` each service.ts builds), so that the harness cannot forget one: a
 * poison message must be dead-lettered by every group of its topic. A spec only closes
 * over its dependencies until it handles a batch, so none is needed to read its name and
 * topics; a factory that starts using one at construction fails here, loudly.
 */
const unused = undefined as never;

export function consumerSpecs(): ConsumerSpec[] {
  return [
    fulfillmentStatusConsumer(unused),
    orderFlowConsumer(unused, unused),
    fulfillmentCatalogueConsumer(),
    warehouseConsumer(unused, unused),
    warehouseCatalogueConsumer(),
    warehouseReturnsConsumer(unused, unused),
    dispatchConsumer({} as never),
    dispatchVisitsConsumer({} as never),
    billingConsumer(unused),
    orderFactsConsumer(),
    returnedGoodsConsumer(),
    caseVisitsConsumer(),
    caseRefundsConsumer(),
    dossierFilingConsumer(unused),
  ];
}

/** Logical topic → the consumer groups (service names, `<namespace>.<name>` on the broker) that read it. */
export function consumingGroupsByTopic(specs: readonly ConsumerSpec[] = consumerSpecs()): ReadonlyMap<string, readonly string[]> {
  const groups = new Map<string, string[]>(allTopics.map((topic) => [topic, []]));
  for (const spec of specs) {
    for (const topic of spec.topics) groups.set(topic, [...(groups.get(topic) ?? []), spec.name]);
  }
  return groups;
}

let services: ReadonlyMap<string, readonly string[]> | undefined;

/** The groups of one topic; a topic nobody reads has none. */
export function consumingGroupsOf(topic: string): readonly string[] {
  services ??= consumingGroupsByTopic();
  return services.get(topic) ?? [];
}
