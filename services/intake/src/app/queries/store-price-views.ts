import { NotFoundError } from "@oms/errors";
import { catalogueAdministration, type StoredItem } from "../../adapters/pg/catalogue-administration.ts";
import { storePriceAdministration, type StoredStorePrice } from "../../adapters/pg/store-price-administration.ts";
import { priceListAtStore } from "../../domain/store-price.ts";
import type { CatalogueDeps } from "../catalogue-events.ts";
import type { RequestContext } from "../request-context.ts";
import { priceListItemView } from "./catalogue-views.ts";

/** A store's own price of an item (ADR 028, addendum), with the chain's beside it when the item is listed. */
export const storePriceView = ({ price, version, removed, updatedBy, updatedAt }: StoredStorePrice, currency: string, chainItem?: StoredItem) => ({
  storeId: price.storeId,
  sku: price.sku,
  unitPriceMinor: price.unitPriceMinor,
  currency,
  ...(chainItem ? { description: chainItem.item.description, chainUnitPriceMinor: chainItem.item.unitPriceMinor } : {}),
  version,
  updatedBy,
  updatedAt: updatedAt.toISOString(),
  ...(removed ? { removed: { reason: removed.reason, at: removed.at.toISOString() } } : {}),
});

async function assertStoreExists(deps: CatalogueDeps, storeId: string): Promise<void> {
  if (!(await catalogueAdministration.getStore(deps.pool, storeId))) throw new NotFoundError("store.not-found", `${storeId} is not a store of this chain`);
}

/**
 * The store's own prices in force, for anyone (what a store charges is part of what it
 * publishes): those of items on sale only, as the public price list shows only those. Who
 * set each price is left out: like the rest of what a store publishes (storeOfferView,
 * priceListItemView), the list shows what is charged, not which member of staff set it —
 * that is the catalogue's trail, for auditors and store managers (list-catalogue-changes).
 */
export async function listStorePrices(deps: CatalogueDeps, _context: RequestContext, storeId: string) {
  await assertStoreExists(deps, storeId);
  const [prices, items] = await Promise.all([storePriceAdministration.listPrices(deps.pool, storeId), catalogueAdministration.listItems(deps.pool, false)]);
  const onSale = new Map(items.map((i) => [i.item.sku, i]));
  return {
    storeId,
    prices: prices.flatMap((p) => {
      const item = onSale.get(p.price.sku);
      if (!item) return [];
      const { updatedBy: _staff, ...published } = storePriceView(p, deps.chainCurrency, item);
      return [published];
    }),
  };
}

/**
 * The chain's list as one store charges it (`GET /v1/price-list?storeId=`): each item at the
 * store's price where it has one (the chain's beside it, `chainUnitPriceMinor`), the chain's
 * otherwise; priced by the same rule as the pre-check (domain/store-price.ts).
 */
export async function priceListAt(deps: CatalogueDeps, storeId: string, includeWithdrawn: boolean) {
  await assertStoreExists(deps, storeId);
  const [prices, items] = await Promise.all([storePriceAdministration.listPrices(deps.pool, storeId), catalogueAdministration.listItems(deps.pool, includeWithdrawn)]);
  const charged = priceListAtStore(new Map(items.map((i) => [i.item.sku, i.item])), new Map(prices.map((p) => [p.price.sku, p.price.unitPriceMinor])));
  return {
    storeId,
    items: items.map((stored) => {
      const item = charged.get(stored.item.sku)!;
      return { ...priceListItemView({ ...stored, item }, deps.chainCurrency), ...(item.chainUnitPriceMinor !== undefined ? { chainUnitPriceMinor: item.chainUnitPriceMinor } : {}) };
    }),
  };
}
