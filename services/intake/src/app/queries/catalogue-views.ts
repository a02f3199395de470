import { NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import { catalogueAdministration, type CatalogueChange, type StoredItem, type StoredStore } from "../../adapters/pg/catalogue-administration.ts";
import type { StoreProfile } from "../../domain/store-profile.ts";
import type { CatalogueDeps } from "../catalogue-events.ts";
import type { PermittedContext, RequestContext } from "../request-context.ts";
import { catalogueChangePageOf, nextCatalogueChangePageToken } from "./catalogue-change-pages.ts";

/**
 * What a store publishes: anyone may read it (customers and platforms ask what a store serves).
 * The profile's public fields only: review thresholds, routing and deadlines are the store's own.
 */
export type StoreOfferView = Pick<
  StoreProfile,
  | "storeId"
  | "name"
  | "city"
  | "timeZone"
  | "currency"
  | "acceptingOrders"
  | "serviceAreas"
  | "orderKinds"
  | "fulfillmentMethods"
  | "businessHours"
  | "shippingFeeMinor"
  | "freeShippingFromMinor"
  | "taxRateBasisPoints"
  | "partialShipments"
> & { version: number };

export const storeOfferView = ({ profile: p, version }: StoredStore): StoreOfferView => ({
  storeId: p.storeId,
  name: p.name,
  city: p.city,
  timeZone: p.timeZone,
  currency: p.currency,
  acceptingOrders: p.acceptingOrders,
  serviceAreas: p.serviceAreas,
  orderKinds: p.orderKinds,
  fulfillmentMethods: p.fulfillmentMethods,
  ...(p.businessHours ? { businessHours: p.businessHours } : {}),
  shippingFeeMinor: p.shippingFeeMinor,
  freeShippingFromMinor: p.freeShippingFromMinor,
  taxRateBasisPoints: p.taxRateBasisPoints,
  partialShipments: p.partialShipments,
  version,
});

/** The whole profile with its internal policy, for those who run and check the store. */
export const storeProfileView = ({ profile, version, updatedBy, updatedAt }: StoredStore) => ({
  ...profile,
  version,
  ...(updatedBy ? { updatedBy } : {}),
  updatedAt: updatedAt.toISOString(),
});

export const priceListItemView = ({ item, version, withdrawnAt }: StoredItem, currency: string) => ({
  sku: item.sku,
  description: item.description,
  kind: item.kind,
  unitPriceMinor: item.unitPriceMinor,
  currency,
  handling: item.handling,
  skills: item.skills,
  version,
  ...(item.withdrawn ? { withdrawn: { reason: item.withdrawn.reason, ...(withdrawnAt ? { at: withdrawnAt.toISOString() } : {}) } } : {}),
});

const changeView = (c: CatalogueChange) => ({
  changeId: String(c.changeId),
  subjectKind: c.subjectKind,
  subjectId: c.subjectId,
  version: c.version,
  changedBy: c.actor,
  changedAt: c.changedAt.toISOString(),
  ...(c.previous === undefined ? {} : { previous: c.previous }),
  current: c.current,
  correlationId: c.correlationId,
});

async function storeNamed(deps: CatalogueDeps, storeId: string): Promise<StoredStore> {
  const store = await catalogueAdministration.getStore(deps.pool, storeId);
  if (!store) throw new NotFoundError("store.not-found", `${storeId} is not a store of this chain`);
  return store;
}

export async function listStores(deps: CatalogueDeps, _context: RequestContext) {
  return { stores: (await catalogueAdministration.listStores(deps.pool)).map(storeOfferView) };
}

export async function getStoreOffer(deps: CatalogueDeps, _context: RequestContext, storeId: string) {
  return storeOfferView(await storeNamed(deps, storeId));
}

export async function getStoreProfile(deps: CatalogueDeps, _context: PermittedContext<"view-store-profile">, storeId: string) {
  return storeProfileView(await storeNamed(deps, storeId));
}

/** The price list on sale; withdrawn items too for staff who ask (includeWithdrawn is the route's, after its permission). */
export async function listPriceList(deps: CatalogueDeps, _context: RequestContext, includeWithdrawn: boolean) {
  return { items: (await catalogueAdministration.listItems(deps.pool, includeWithdrawn)).map((i) => priceListItemView(i, deps.chainCurrency)) };
}

/**
 * A page of the catalogue's trail, newest first, and the token of the next while there is more
 * (absent on the last page); `limit` is the page size's older name.
 */
export async function listCatalogueChanges(
  deps: CatalogueDeps,
  _context: PermittedContext<"list-catalogue-changes">,
  query: { storeId?: string | undefined; sku?: string | undefined; platform?: string | undefined; pageSize: number; limit: number; pageToken: string },
) {
  const fields: FieldError[] = [];
  const page = catalogueChangePageOf(query, fields);
  if (fields.length > 0) throw new ValidationError(fields);
  // One more than the page tells whether another follows.
  const read = await catalogueAdministration.listChanges(deps.pool, query, { size: page.size + 1, after: page.after });
  const changes = read.slice(0, page.size);
  return { changes: changes.map(changeView), nextPageToken: nextCatalogueChangePageToken(changes.at(-1), read.length > page.size) || undefined };
}
