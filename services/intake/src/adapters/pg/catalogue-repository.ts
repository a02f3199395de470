import type pg from "pg";
import type { FulfillmentMethod, OrderKind } from "../../domain/order-submission.ts";
import type { PriceListItem, Store, StoreOffer } from "../../domain/store-catalogue.ts";

interface StoreRow {
  store_id: string;
  name: string;
  currency: string;
  service_areas: string[];
  order_kinds: OrderKind[];
  fulfillment_methods: FulfillmentMethod[];
  shipping_fee_minor: number;
  free_shipping_from_minor: number;
  tax_rate_basis_points: number;
  review_threshold_minor: number;
  review_line_quantity_above: number;
  timezone: string | null;
  opens_at: string | null;
  closes_at: string | null;
  open_days: number[] | null;
  partial_shipments: boolean;
}

interface PriceListRow {
  sku: string;
  description: string;
  kind: OrderKind;
  unit_price_minor: number;
  handling: string[];
  skills: string[];
}

const storeOf = (r: StoreRow): Store => ({
  storeId: r.store_id,
  name: r.name,
  currency: r.currency,
  serviceAreas: r.service_areas,
  orderKinds: r.order_kinds,
  fulfillmentMethods: r.fulfillment_methods,
  shippingFeeMinor: r.shipping_fee_minor,
  freeShippingFromMinor: r.free_shipping_from_minor,
  taxRateBasisPoints: r.tax_rate_basis_points,
  reviewThresholdMinor: r.review_threshold_minor,
  reviewLineQuantityAbove: r.review_line_quantity_above,
  partialShipments: r.partial_shipments,
  businessHours:
    r.opens_at !== null && r.closes_at !== null && r.open_days !== null && r.timezone !== null
      ? { open: r.opens_at, close: r.closes_at, days: r.open_days, timeZone: r.timezone }
      : undefined,
});

const itemOf = (r: PriceListRow): PriceListItem => ({
  sku: r.sku,
  description: r.description,
  kind: r.kind,
  unitPriceMinor: r.unit_price_minor,
  handling: r.handling,
  skills: r.skills,
});

/** Stores and the price list in intake's schema; writes are set-based upserts. */
export const catalogueRepository = {
  async upsertStores(db: pg.ClientBase | pg.Pool, stores: readonly Store[]): Promise<void> {
    if (stores.length === 0) return;
    const rows: StoreRow[] = stores.map((s) => ({
      store_id: s.storeId,
      name: s.name,
      currency: s.currency,
      service_areas: s.serviceAreas,
      order_kinds: s.orderKinds,
      fulfillment_methods: s.fulfillmentMethods,
      shipping_fee_minor: s.shippingFeeMinor,
      free_shipping_from_minor: s.freeShippingFromMinor,
      tax_rate_basis_points: s.taxRateBasisPoints,
      review_threshold_minor: s.reviewThresholdMinor,
      review_line_quantity_above: s.reviewLineQuantityAbove,
      timezone: s.businessHours?.timeZone ?? null,
      opens_at: s.businessHours?.open ?? null,
      closes_at: s.businessHours?.close ?? null,
      open_days: s.businessHours?.days ?? null,
      partial_shipments: s.partialShipments ?? false,
    }));
    await db.query(
      `INSERT INTO stores (store_id, name, currency, service_areas, order_kinds, fulfillment_methods,
                           shipping_fee_minor, free_shipping_from_minor, tax_rate_basis_points, review_threshold_minor,
                           review_line_quantity_above, timezone, opens_at, closes_at, open_days, partial_shipments)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(store_id text, name text, currency text, service_areas text[],
         order_kinds text[], fulfillment_methods text[], shipping_fee_minor bigint, free_shipping_from_minor bigint,
         tax_rate_basis_points integer, review_threshold_minor bigint, review_line_quantity_above integer,
         timezone text, opens_at text, closes_at text, open_days smallint[], partial_shipments boolean)
       ON CONFLICT (store_id) DO UPDATE SET
         name = EXCLUDED.name, currency = EXCLUDED.currency, service_areas = EXCLUDED.service_areas,
         order_kinds = EXCLUDED.order_kinds, fulfillment_methods = EXCLUDED.fulfillment_methods,
         shipping_fee_minor = EXCLUDED.shipping_fee_minor, free_shipping_from_minor = EXCLUDED.free_shipping_from_minor,
         tax_rate_basis_points = EXCLUDED.tax_rate_basis_points, review_threshold_minor = EXCLUDED.review_threshold_minor,
         review_line_quantity_above = EXCLUDED.review_line_quantity_above, timezone = EXCLUDED.timezone,
         opens_at = EXCLUDED.opens_at, closes_at = EXCLUDED.closes_at, open_days = EXCLUDED.open_days,
         partial_shipments = EXCLUDED.partial_shipments, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  },

  async upsertPriceList(db: pg.ClientBase | pg.Pool, items: readonly PriceListItem[]): Promise<void> {
    if (items.length === 0) return;
    const rows: PriceListRow[] = items.map((i) => ({
      sku: i.sku,
      description: i.description,
      kind: i.kind,
      unit_price_minor: i.unitPriceMinor,
      handling: i.handling,
      skills: i.skills,
    }));
    await db.query(
      `INSERT INTO price_list (sku, description, kind, unit_price_minor, handling, skills)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(sku text, description text, kind text, unit_price_minor bigint,
         handling text[], skills text[])
       ON CONFLICT (sku) DO UPDATE SET
         description = EXCLUDED.description, kind = EXCLUDED.kind, unit_price_minor = EXCLUDED.unit_price_minor,
         handling = EXCLUDED.handling, skills = EXCLUDED.skills, updated_at = now()`,
      [JSON.stringify(rows)],
    );
  },

  async loadAll(db: pg.Pool): Promise<{ stores: Store[]; priceList: PriceListItem[] }> {
    const [stores, items] = await Promise.all([
      db.query<StoreRow>(
        `SELECT store_id, name, currency, service_areas, order_kinds, fulfillment_methods, shipping_fee_minor,
                free_shipping_from_minor, tax_rate_basis_points, review_threshold_minor,
                review_line_quantity_above, timezone, opens_at, closes_at, open_days::int[] AS open_days, partial_shipments
         FROM stores`,
      ),
      db.query<PriceListRow>("SELECT sku, description, kind, unit_price_minor, handling, skills FROM price_list"),
    ]);
    return { stores: stores.rows.map(storeOf), priceList: items.rows.map(itemOf) };
  },
};

export interface StoreCatalogue {
  offerOf(storeId: string): Promise<StoreOffer>;
}

/**
 * The catalogue read on the order path, from memory: it is small and changes rarely,
 * and a database round trip per order would cost more than the order itself. Changes
 * show within `maxAgeMs`; an unknown store triggers an earlier reload (a store added a
 * moment ago), at most once per `missReloadMs`. Concurrent loads share one query.
 */
export function cachedStoreCatalogue(pool: pg.Pool, options: { maxAgeMs?: number; missReloadMs?: number } = {}): StoreCatalogue {
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const missReloadMs = options.missReloadMs ?? 500;
  let snapshot: { stores: Map<string, Store>; priceList: Map<string, PriceListItem>; loadedAt: number } | undefined;
  let loading: Promise<NonNullable<typeof snapshot>> | undefined;

  const load = () =>
    (loading ??= catalogueRepository
      .loadAll(pool)
      .then(({ stores, priceList }) => {
        snapshot = {
          stores: new Map(stores.map((s) => [s.storeId, s])),
          priceList: new Map(priceList.map((i) => [i.sku, i])),
          loadedAt: Date.now(),
        };
        return snapshot;
      })
      .finally(() => {
        loading = undefined;
      }));

  return {
    async offerOf(storeId) {
      let current = snapshot && Date.now() - snapshot.loadedAt < maxAgeMs ? snapshot : await load();
      if (!current.stores.has(storeId) && Date.now() - current.loadedAt >= missReloadMs) current = await load();
      return { store: current.stores.get(storeId), priceList: current.priceList };
    },
  };
}
