import { districtKey } from "../district.ts";

/**
 * What intake knows of one marketplace (intake's tables, seeded from the demo chain's
 * `platforms`): which of our stores serves a district, and which SKU an item of theirs is.
 */
export interface PlatformRouting {
  platform: string;
  /** Orders from a district no route names go here; undefined: such orders are refused. */
  defaultStoreId: string | undefined;
  /** Keyed by districtKey(district). */
  storesByDistrict: ReadonlyMap<string, string>;
  skuByItemId: ReadonlyMap<string, string>;
  /** Where customer-visible status changes are pushed back, if anywhere. */
  callbackUrl: string | undefined;
}

export function platformRouting(input: {
  platform: string;
  defaultStoreId?: string | undefined;
  storesByDistrict?: Record<string, string>;
  skuByItemId?: Record<string, string>;
  callbackUrl?: string | undefined;
}): PlatformRouting {
  return {
    platform: input.platform,
    defaultStoreId: input.defaultStoreId || undefined,
    storesByDistrict: new Map(Object.entries(input.storesByDistrict ?? {}).map(([district, storeId]) => [districtKey(district), storeId])),
    skuByItemId: new Map(Object.entries(input.skuByItemId ?? {})),
    callbackUrl: input.callbackUrl || undefined,
  };
}

/** The store for an order delivered to this district: the district's route, else the platform's default store. */
export function storeForDistrict(routing: PlatformRouting, district: string): string | undefined {
  return routing.storesByDistrict.get(districtKey(district)) ?? routing.defaultStoreId;
}

/** The channel of a marketplace's orders, as the canonical order spells it. */
export const marketplaceChannel = (platform: string) => `marketplace:${platform}`;

/** A marketplace's order as it arrived, with what intake knows of the marketplace. */
export interface MarketplaceOrder<Payload> {
  order: Payload;
  routing: PlatformRouting;
}

/**
 * Renames the pre-check's fields (canonical: `lines[0].sku`) to the platform's
 * (`orders[0].outer_iid`), so a platform learns which of *its* fields is wrong.
 * Rules are tried in order; the first pattern that matches renames.
 */
export function fieldRenamer(rules: readonly [RegExp, string][]): (field: string) => string {
  return (field) => {
    for (const [pattern, replacement] of rules) if (pattern.test(field)) return field.replace(pattern, replacement);
    return field;
  };
}
