import type pg from "pg";
import { withTransaction } from "@oms/postgres";
import { loadDemoChain, type DemoChain } from "@oms/service-kit";
import { catalogueRepository } from "../../adapters/pg/catalogue-repository.ts";
import { platformRepository } from "../../adapters/pg/platform-repository.ts";
import { businessHoursProblem, type BusinessHours } from "../../domain/business-hours.ts";
import { defaultReviewLineQuantityAbove } from "../../domain/review.ts";
import type { PriceListItem, Store } from "../../domain/store-catalogue.ts";
import { platformSettingsOfChain } from "../platform-secrets.ts";

/**
 * Writes the demo chain's stores, price list and marketplaces (infra/demo/chain.json) into
 * intake's schema; seeding again only updates them.
 */
export async function seedDemoCatalogue(pool: pg.Pool, chain?: DemoChain): Promise<{ stores: number; items: number; platforms: number }> {
  const demo = chain ?? (await loadDemoChain());
  const { stores, priceList } = catalogueOfChain(demo);
  const platforms = platformSettingsOfChain(demo);
  await withTransaction(pool, async (tx) => {
    await catalogueRepository.upsertStores(tx, stores);
    await catalogueRepository.upsertPriceList(tx, priceList);
    await platformRepository.upsert(tx, platforms);
  });
  return { stores: stores.length, items: priceList.length, platforms: platforms.length };
}

export function catalogueOfChain(chain: DemoChain): { stores: Store[]; priceList: PriceListItem[] } {
  return {
    stores: chain.stores.map((s) => ({
      storeId: s.storeId,
      name: s.name,
      currency: chain.currency,
      serviceAreas: s.serviceAreas,
      orderKinds: s.orderKinds,
      fulfillmentMethods: s.fulfillmentMethods,
      shippingFeeMinor: s.shippingFeeMinor,
      freeShippingFromMinor: s.freeShippingFromMinor,
      taxRateBasisPoints: s.taxRateBasisPoints,
      reviewThresholdMinor: s.reviewThresholdMinor,
      // The chain file may name its own limit; the domain's default otherwise.
      reviewLineQuantityAbove: (s as { reviewLineQuantityAbove?: number }).reviewLineQuantityAbove ?? defaultReviewLineQuantityAbove,
      businessHours: businessHoursOf(s),
      partialShipments: s.partialShipments ?? false,
    })),
    priceList: chain.priceList.map((i) => ({
      sku: i.sku,
      description: i.description,
      kind: i.kind,
      unitPriceMinor: i.unitPriceMinor,
      handling: i.handling ?? [],
      skills: i.skills ?? [],
    })),
  };
}

/** The store's published hours on its clock; a chain file with hours that cannot be used is refused, naming the store. */
function businessHoursOf(store: DemoChain["stores"][number]): BusinessHours | undefined {
  if (!store.businessHours) return undefined;
  const hours = { ...store.businessHours, days: [...store.businessHours.days], timeZone: store.timezone };
  const problem = businessHoursProblem(hours);
  if (problem) throw new Error(`the chain's store ${store.storeId} has business hours that cannot be used: ${problem}`);
  return hours;
}
