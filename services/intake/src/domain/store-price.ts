import { ValidationError } from "@oms/errors";
import { fieldErrorList, type FieldErrorList } from "./field-errors.ts";
import { isUnitPriceMinor } from "./price-list-item.ts";
import type { PriceListItem } from "./store-catalogue.ts";

/**
 * A store's own price for an item of the chain's list (ADR 028, addendum): a store in a
 * dearer city, or one clearing stock, charges its own unit price for the same item. The item
 * stays the chain's (description, kind, handling, skills, whether it is on sale); only the
 * price is the store's. Removing it puts the store back on the chain's price.
 */
export interface StorePrice {
  storeId: string;
  sku: string;
  unitPriceMinor: number;
}

/** What the check of a store's price needs to know of the catalogue, read in the writing transaction. */
export interface StorePriceSubject {
  storeExists: boolean;
  /** The chain's item, withdrawn or not; undefined when the chain never listed it. */
  item: Pick<PriceListItem, "sku" | "withdrawn"> | undefined;
}

/**
 * What is wrong with setting `unitPriceMinor` as the store's price of the item, field by
 * field (named as in the path and the body): a store of the chain, an item on the chain's
 * list and on sale (a price nobody could order at would look offered), a usable price.
 */
export function storePriceProblems(subject: StorePriceSubject, unitPriceMinor: number): FieldErrorList {
  const errors = fieldErrorList();
  if (!subject.storeExists) errors.add("storeId", "is not a store of this chain");
  if (!subject.item) errors.add("sku", "is not on the chain's price list: a store prices only items the chain lists");
  else if (subject.item.withdrawn) errors.add("sku", `is withdrawn from sale (${subject.item.withdrawn.reason}): no store may offer it until the chain puts it back`);
  if (!isUnitPriceMinor(unitPriceMinor)) errors.add("unitPriceMinor", "must be a positive whole amount in minor units");
  return errors;
}

export function assertValidStorePrice(subject: StorePriceSubject, unitPriceMinor: number): void {
  const errors = storePriceProblems(subject, unitPriceMinor);
  if (errors.count > 0) throw new ValidationError(errors.list(), undefined, "store-price.invalid");
}

/**
 * The chain's list as one store charges it: each item the store prices at its own price (the
 * chain's kept beside it, so a refusal can say whose price it is), the others as the chain
 * lists them. Withdrawn items stay withdrawn whatever the store charges; a store price of an
 * item the chain no longer lists is nothing to order. Without prices of its own the store
 * charges the chain's list itself (the same map, no copy).
 */
export function priceListAtStore(chain: ReadonlyMap<string, PriceListItem>, ownPrices: ReadonlyMap<string, number> | undefined): ReadonlyMap<string, PriceListItem> {
  if (!ownPrices || ownPrices.size === 0) return chain;
  const atStore = new Map(chain);
  for (const [sku, unitPriceMinor] of ownPrices) {
    const item = chain.get(sku);
    if (item) atStore.set(sku, { ...item, unitPriceMinor, chainUnitPriceMinor: item.unitPriceMinor });
  }
  return atStore;
}

/** Each store's own prices, by store and item: how the order path keeps them in memory. */
export function pricesByStore(prices: readonly StorePrice[]): Map<string, Map<string, number>> {
  const byStore = new Map<string, Map<string, number>>();
  for (const { storeId, sku, unitPriceMinor } of prices) {
    let own = byStore.get(storeId);
    if (!own) byStore.set(storeId, (own = new Map()));
    own.set(sku, unitPriceMinor);
  }
  return byStore;
}

/** The key of a store's price on the catalogue topic: store ids and item codes hold no "/", so it names one pair. */
export const storePriceKey = (storeId: string, sku: string) => `${storeId}/${sku}`;
