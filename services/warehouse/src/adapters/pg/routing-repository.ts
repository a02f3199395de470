import type pg from "pg";
import type { DemoChain } from "@oms/service-kit";
import { districtKey } from "../../domain/geography.ts";
import type { RoutingSlice } from "../../domain/store-profile.ts";

/** A store as routing weighs it; `routedToday` counts the orders routing sent it since midnight (UTC). */
export interface RoutingStore {
  storeId: string;
  priority: number;
  location: { lat: number; lon: number } | undefined;
  serviceAreas: string[];
  dailyCapacity: number;
  /** False: the store takes no new orders and routing sends it none (ADR 028). */
  acceptingOrders: boolean;
  routedToday: number;
}

export interface RoutingRules {
  stores: RoutingStore[];
  districtLocations: Record<string, { lat: number; lon: number }>;
}

interface StoreRow {
  store_id: string;
  priority: number;
  lat: number | null;
  lon: number | null;
  service_areas: string[];
  daily_capacity: number;
  accepting_orders: boolean;
  routed_today: number;
}

export const routingRepository = {
  /**
   * Whether the store takes orders as its last profile says (ADR 028); undefined when no profile
   * or seed put it on record (a store known only by its stock). Read unlocked: a publication
   * closing it a moment later is as if it came after the step asking.
   */
  async acceptingOrders(db: pg.ClientBase, storeId: string): Promise<boolean | undefined> {
    const { rows } = await db.query<{ accepting_orders: boolean }>("SELECT accepting_orders FROM store_routing WHERE store_id = $1", [storeId]);
    return rows[0]?.accepting_orders;
  },

  /** The chain's stores with their routing rules, in store order. */
  async rules(db: pg.ClientBase): Promise<RoutingRules> {
    const stores = await db.query<StoreRow>({
      name: "warehouse.routing.stores",
      text: `SELECT s.store_id, s.priority, s.lat, s.lon, s.service_areas, s.daily_capacity, s.accepting_orders,
                    coalesce((SELECT d.routed FROM store_routed_per_day d
                              WHERE d.store_id = s.store_id AND d.day = (now() AT TIME ZONE 'UTC')::date), 0) AS routed_today
             FROM store_routing s ORDER BY s.store_id`,
    });
    const districts = await db.query<{ district: string; lat: number; lon: number }>({ name: "warehouse.routing.districts", text: "SELECT district, lat, lon FROM district_locations" });
    return {
      stores: stores.rows.map((r) => ({
        storeId: r.store_id,
        priority: r.priority,
        location: r.lat === null || r.lon === null ? undefined : { lat: r.lat, lon: r.lon },
        serviceAreas: r.service_areas,
        dailyCapacity: r.daily_capacity,
        acceptingOrders: r.accepting_orders,
        routedToday: r.routed_today,
      })),
      districtLocations: Object.fromEntries(districts.rows.map((d) => [d.district, { lat: d.lat, lon: d.lon }])),
    };
  },

  /** Orders routed to each store today, added to its count (in the reservations' transaction). */
  async countRouted(tx: pg.ClientBase, routed: ReadonlyMap<string, number>): Promise<void> {
    if (routed.size === 0) return;
    // Store order: concurrent batches take the counter rows' locks in the same order.
    const stores = [...routed.keys()].sort();
    await tx.query({
      name: "warehouse.routing.count",
      text: `INSERT INTO store_routed_per_day (store_id, day, routed)
             SELECT store_id, (now() AT TIME ZONE 'UTC')::date, routed FROM unnest($1::text[], $2::int[]) AS r(store_id, routed)
             ON CONFLICT (store_id, day) DO UPDATE SET routed = store_routed_per_day.routed + EXCLUDED.routed`,
      values: [stores, stores.map((id) => routed.get(id)!)],
    });
  },

  /** What is free to promise per store and SKU: on hand less reserved less safety stock, over all locations. */
  async availability(db: pg.ClientBase, storeIds: readonly string[], skus: readonly string[]): Promise<Map<string, Map<string, number>>> {
    const { rows } = await db.query<{ store_id: string; sku: string; free: number }>({
      name: "warehouse.routing.availability",
      text: `SELECT store_id, sku, sum(greatest(on_hand - reserved - safety_stock, 0))::int AS free
             FROM stock WHERE store_id = ANY($1::text[]) AND sku = ANY($2::text[]) GROUP BY store_id, sku`,
      values: [[...storeIds], [...skus]],
    });
    const byStore = new Map<string, Map<string, number>>();
    for (const row of rows) {
      if (!byStore.has(row.store_id)) byStore.set(row.store_id, new Map());
      byStore.get(row.store_id)!.set(row.sku, row.free);
    }
    return byStore;
  },

  /**
   * Writes the chain's routing rules from the demo chain file (its stores' priority, place,
   * areas and capacity; its districts' places), but never over what was administered (ADR
   * 028): a store whose profile was ever published (profile_version > 0), or a district a
   * publication placed, keeps what the publication said.
   */
  async writeChain(db: pg.ClientBase | pg.Pool, chain: DemoChain): Promise<void> {
    for (const store of chain.stores) {
      await db.query(
        `INSERT INTO store_routing (store_id, priority, lat, lon, service_areas, daily_capacity) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (store_id) DO UPDATE SET priority = EXCLUDED.priority, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
           service_areas = EXCLUDED.service_areas, daily_capacity = EXCLUDED.daily_capacity, updated_at = now()
         WHERE store_routing.profile_version = 0`,
        // No capacity configured: routing never turns the store down for volume.
        [store.storeId, store.priority, store.location?.lat ?? null, store.location?.lon ?? null, store.serviceAreas, store.dailyCapacity ?? 1_000_000_000],
      );
    }
    for (const [district, at] of Object.entries(chain.districts ?? {})) {
      await db.query(
        `INSERT INTO district_locations (district, lat, lon) VALUES ($1, $2, $3)
         ON CONFLICT (district) DO UPDATE SET lat = EXCLUDED.lat, lon = EXCLUDED.lon WHERE district_locations.published_by IS NULL`,
        [district, at.lat, at.lon],
      );
    }
  },

  /**
   * Applies the stores' published profiles (one per store, ADR 028), each only when newer
   * than the version the row holds, and places the districts the applied ones name (the
   * later publication wins). Returns the stores whose rules changed; a re-delivery or a
   * replay changes none. One statement per table.
   */
  async applyProfiles(tx: pg.ClientBase, slices: readonly RoutingSlice[]): Promise<string[]> {
    if (slices.length === 0) return [];
    const rows = slices.map((s) => ({
      store_id: s.storeId,
      priority: s.priority,
      lat: s.location?.lat ?? null,
      lon: s.location?.lon ?? null,
      service_areas: s.serviceAreas,
      daily_capacity: s.dailyCapacity,
      accepting_orders: s.acceptingOrders,
      profile_version: s.version,
    }));
    const { rows: applied } = await tx.query<{ store_id: string }>({
      name: "warehouse.routing.apply-profiles",
      text: `INSERT INTO store_routing (store_id, priority, lat, lon, service_areas, daily_capacity, accepting_orders, profile_version)
             SELECT store_id, priority, lat, lon, service_areas, daily_capacity, accepting_orders, profile_version
             FROM jsonb_to_recordset($1::jsonb) AS p(store_id text, priority int, lat float8, lon float8, service_areas text[],
                                                     daily_capacity int, accepting_orders boolean, profile_version bigint)
             ORDER BY store_id
             ON CONFLICT (store_id) DO UPDATE SET priority = EXCLUDED.priority, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
               service_areas = EXCLUDED.service_areas, daily_capacity = EXCLUDED.daily_capacity,
               accepting_orders = EXCLUDED.accepting_orders, profile_version = EXCLUDED.profile_version, updated_at = now()
             WHERE store_routing.profile_version < EXCLUDED.profile_version
             RETURNING store_id`,
      values: [JSON.stringify(rows)],
    });
    const changed = new Set(applied.map((r) => r.store_id));
    // In the order heard: a district two applied publications place differently ends where the later one put it.
    // (The stores are one row each: the caller keeps each store's newest publication.) A district is one however
    // it is spelled (districtKey, as routing locates it): "Jingan" placed moves "Jing'an" too, else routing would
    // find whichever spelling sorts first, the seed's or an earlier publication's.
    const placed = new Map<string, { lat: number; lon: number; published_by: string }>();
    const spellings = new Map<string, string>();
    for (const slice of slices) {
      if (!changed.has(slice.storeId)) continue;
      for (const { district, location } of slice.districtLocations) {
        placed.set(districtKey(district), { lat: location.lat, lon: location.lon, published_by: slice.storeId });
        spellings.set(district, districtKey(district));
      }
    }
    if (placed.size > 0) {
      const { rows: held } = await tx.query<{ district: string }>({ name: "warehouse.routing.districts-held", text: "SELECT district FROM district_locations" });
      for (const { district } of held) if (placed.has(districtKey(district))) spellings.set(district, districtKey(district));
    }
    const districts = [...spellings].map(([district, key]) => ({ district, ...placed.get(key)! }));
    if (districts.length > 0) {
      await tx.query({
        name: "warehouse.routing.place-districts",
        text: `INSERT INTO district_locations (district, lat, lon, published_by)
               SELECT district, lat, lon, published_by FROM jsonb_to_recordset($1::jsonb) AS d(district text, lat float8, lon float8, published_by text)
               ORDER BY district
               ON CONFLICT (district) DO UPDATE SET lat = EXCLUDED.lat, lon = EXCLUDED.lon, published_by = EXCLUDED.published_by`,
        values: [JSON.stringify(districts)],
      });
    }
    return [...changed];
  },
};
