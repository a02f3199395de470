import type pg from "pg";
import { withTransaction } from "@oms/postgres";
import { loadDemoChain, type DemoChain } from "@oms/service-kit";
import { catalogueRepository } from "../../adapters/pg/catalogue-repository.ts";
import { platformRepository } from "../../adapters/pg/platform-repository.ts";
import { businessHoursProblem } from "../../domain/business-hours.ts";
import { sameDistrict } from "../../domain/district.ts";
import { defaultReviewLineQuantityAbove } from "../../domain/review.ts";
import type { PriceListItem, Store } from "../../domain/store-catalogue.ts";
import { storeOfProfile, type StoreProfile } from "../../domain/store-profile.ts";
import { platformSettingsOfChain } from "../platform-secrets.ts";

/**
 * Writes the demo chain's stores, price list and marketplaces (infra/demo/chain.json) into
 * intake's schema; seeding again updates only what was never administered (ADR 028: a
 * store or an item someone changed through the API keeps that change).
 */
export async function seedDemoCatalogue(pool: pg.Pool, chain?: DemoChain): Promise<{ stores: number; items: number; platforms: number }> {
  const demo = chain ?? (await loadDemoChain());
  const { profiles, priceList } = catalogueOfChain(demo);
  const platforms = platformSettingsOfChain(demo);
  await withTransaction(pool, async (tx) => {
    await catalogueRepository.upsertStores(tx, profiles);
    await catalogueRepository.upsertPriceList(tx, priceList);
    await platformRepository.upsert(tx, platforms);
  });
  return { stores: profiles.length, items: priceList.length, platforms: platforms.length };
}

/** The chain file's catalogue: each store's whole profile, the same as the order path reads it, and the price list. */
export function catalogueOfChain(chain: DemoChain): { profiles: StoreProfile[]; stores: Store[]; priceList: PriceListItem[] } {
  const profiles = chain.stores.map((s) => profileOfChainStore(chain, s));
  return {
    profiles,
    stores: profiles.map(storeOfProfile),
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

function profileOfChainStore(chain: DemoChain, s: DemoChain["stores"][number]): StoreProfile {
  const located = Object.entries(chain.districts ?? {}).filter(([district]) => s.serviceAreas.some((area) => sameDistrict(area, district)));
  return {
    storeId: s.storeId,
    name: s.name,
    city: s.city,
    timeZone: s.timezone,
    currency: chain.currency,
    acceptingOrders: true,
    serviceAreas: s.serviceAreas,
    orderKinds: s.orderKinds,
    fulfillmentMethods: s.fulfillmentMethods,
    businessHours: businessHoursOf(s),
    shippingFeeMinor: s.shippingFeeMinor,
    freeShippingFromMinor: s.freeShippingFromMinor,
    taxRateBasisPoints: s.taxRateBasisPoints,
    reviewThresholdMinor: s.reviewThresholdMinor,
    // The chain file may name its own limit; the domain's default otherwise.
    reviewLineQuantityAbove: (s as { reviewLineQuantityAbove?: number }).reviewLineQuantityAbove ?? defaultReviewLineQuantityAbove,
    partialShipments: s.partialShipments ?? false,
    routingPriority: s.priority,
    location: s.location,
    // As the warehouse seeds a store without a capacity: routing never turns it down for volume.
    dailyCapacity: s.dailyCapacity ?? 1_000_000_000,
    districtLocations: located.map(([district, location]) => ({ district, location })),
    confirmationFollowUpHours: s.confirmationFollowUpHours,
    // The chain file names no escalation: halfway, as fulfillment's seed sets it.
    confirmationEscalationHours: (s.confirmationFollowUpHours + s.confirmationCancelHours) / 2,
    confirmationCancelHours: s.confirmationCancelHours,
  };
}

/** The store's published hours; a chain file with hours that cannot be used is refused, naming the store. */
function businessHoursOf(store: DemoChain["stores"][number]): StoreProfile["businessHours"] {
  if (!store.businessHours) return undefined;
  const hours = { ...store.businessHours, days: [...store.businessHours.days] };
  const problem = businessHoursProblem({ ...hours, timeZone: store.timezone });
  if (problem) throw new Error(`the chain's store ${store.storeId} has business hours that cannot be used: ${problem}`);
  return hours;
}
