import type pg from "pg";
import type { PriceListItem, Pricing, Store, StoreOffer } from "../../domain/store-catalogue.ts";
import { priceListAtStore, pricesByStore, type StorePrice } from "../../domain/store-price.ts";
import { storeOfProfile, type StoreProfile } from "../../domain/store-profile.ts";
import { itemColumns, itemOfRow, profileOfRow, rowOfProfile, storeColumns, storeProfileColumnNames, storeRecordColumns, type PriceListRow, type StoreRow } from "./catalogue-rows.ts";
import { storePriceAdministration } from "./store-price-administration.ts";

const storeUpdates = storeProfileColumnNames.filter((c) => c !== "store_id").map((c) => `${c} = EXCLUDED.${c}`).join(", ");

/**
 * Stores and the price list in intake's schema, as the seed writes them and the order path
 * reads them; writes are set-based upserts. The seed never writes over what was administered
 * (ADR 028): a row above version 0 is left as it is.
 */
export const catalogueRepository = {
  async upsertStores(db: pg.ClientBase | pg.Pool, stores: readonly StoreProfile[]): Promise<void> {
    if (stores.length === 0) return;
    await db.query(
      `INSERT INTO stores (${storeProfileColumnNames.join(", ")})
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(${storeRecordColumns})
       ON CONFLICT (store_id) DO UPDATE SET ${storeUpdates}, updated_at = now()
       WHERE stores.version = 0`,
      [JSON.stringify(stores.map(rowOfProfile))],
    );
  },

  async upsertPriceList(db: pg.ClientBase | pg.Pool, items: readonly PriceListItem[]): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map((i) => ({ sku: i.sku, description: i.description, kind: i.kind, unit_price_minor: i.unitPriceMinor, handling: i.handling, skills: i.skills }));
    await db.query(
      `INSERT INTO price_list (sku, description, kind, unit_price_minor, handling, skills)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(sku text, description text, kind text, unit_price_minor bigint,
         handling text[], skills text[])
       ON CONFLICT (sku) DO UPDATE SET
         description = EXCLUDED.description, kind = EXCLUDED.kind, unit_price_minor = EXCLUDED.unit_price_minor,
         handling = EXCLUDED.handling, skills = EXCLUDED.skills, updated_at = now()
       WHERE price_list.version = 0`,
      [JSON.stringify(rows)],
    );
  },

  /**
   * The whole catalogue as the order path reads it: withdrawn items too, marked, so that a
   * refusal can say why; and the stores' own prices in force (ADR 028, addendum).
   */
  async loadAll(db: pg.Pool): Promise<{ stores: Store[]; priceList: PriceListItem[]; storePrices: StorePrice[] }> {
    const [stores, items, storePrices] = await Promise.all([
      db.query<StoreRow>(`SELECT ${storeColumns} FROM stores`),
      db.query<PriceListRow>(`SELECT ${itemColumns} FROM price_list`),
      storePriceAdministration.loadInForce(db),
    ]);
    return { stores: stores.rows.map((row) => storeOfProfile(profileOfRow(row))), priceList: items.rows.map(itemOfRow), storePrices };
  },
};

export interface StoreCatalogue {
  /**
   * The store and the chain's list at that store's prices (`pricing` "store", the default), or
   * at the chain's own (`"chain"`: a marketplace's order, domain/store-catalogue.ts pricingOf):
   * acceptance and substitutions price from it.
   */
  offerOf(storeId: string, pricing?: Pricing): Promise<StoreOffer>;
  /** Forgets what was read: the next order reads the catalogue again (this replica just changed it). */
  invalidate(): void;
}

/**
 * The catalogue read on the order path, from memory: it is small and changes rarely,
 * and a database round trip per order would cost more than the order itself. Changes
 * show within `maxAgeMs`; an unknown store triggers an earlier reload (a store added a
 * moment ago), at most once per `missReloadMs`. Concurrent loads share one query.
 * A store's own prices are applied to the chain's list once per snapshot (the first order
 * at that store after a load), so an order costs a map lookup, never a query more.
 */
export function cachedStoreCatalogue(pool: pg.Pool, options: { maxAgeMs?: number; missReloadMs?: number } = {}): StoreCatalogue {
  const maxAgeMs = options.maxAgeMs ?? 10_000;
  const missReloadMs = options.missReloadMs ?? 500;
  let snapshot:
    | {
        stores: Map<string, Store>;
        priceList: Map<string, PriceListItem>;
        storePrices: Map<string, Map<string, number>>;
        /** The list as each store charges it, made on the first order there. */
        atStore: Map<string, ReadonlyMap<string, PriceListItem>>;
        loadedAt: number;
      }
    | undefined;
  let loading: Promise<NonNullable<typeof snapshot>> | undefined;
  // A load begun before an invalidation may have read the catalogue before the change: it
  // answers those already waiting for it, but is not kept as the snapshot.
  let generation = 0;

  const load = () => {
    if (loading) return loading;
    const started = generation;
    const current: Promise<NonNullable<typeof snapshot>> = catalogueRepository
      .loadAll(pool)
      .then(({ stores, priceList, storePrices }) => {
        const loaded = {
          stores: new Map(stores.map((s) => [s.storeId, s])),
          priceList: new Map(priceList.map((i) => [i.sku, i])),
          storePrices: pricesByStore(storePrices),
          atStore: new Map<string, ReadonlyMap<string, PriceListItem>>(),
          loadedAt: Date.now(),
        };
        if (started === generation) snapshot = loaded;
        return loaded;
      })
      .finally(() => {
        if (loading === current) loading = undefined;
      });
    loading = current;
    return current;
  };

  return {
    async offerOf(storeId, pricing = "store") {
      let current = snapshot && Date.now() - snapshot.loadedAt < maxAgeMs ? snapshot : await load();
      if (!current.stores.has(storeId) && Date.now() - current.loadedAt >= missReloadMs) current = await load();
      if (pricing === "chain") return { store: current.stores.get(storeId), priceList: current.priceList };
      let priceList = current.atStore.get(storeId);
      if (!priceList) current.atStore.set(storeId, (priceList = priceListAtStore(current.priceList, current.storePrices.get(storeId))));
      return { store: current.stores.get(storeId), priceList };
    },
    invalidate() {
      generation++;
      snapshot = undefined;
      loading = undefined;
    },
  };
}
