import type pg from "pg";
import { platformRouting, type PlatformRouting } from "../../domain/marketplaces/platform-routing.ts";

/** A marketplace's settings as they are written: plain records, turned into PlatformRouting when read. */
export interface PlatformSettings {
  platform: string;
  defaultStoreId?: string | undefined;
  storesByDistrict: Record<string, string>;
  skuByItemId: Record<string, string>;
  callbackUrl?: string | undefined;
}

/** Marketplaces, their store routes and item mappings in intake's schema; writes replace a platform's routes and items. */
export const platformRepository = {
  async upsert(tx: pg.ClientBase, platforms: readonly PlatformSettings[]): Promise<void> {
    if (platforms.length === 0) return;
    const names = platforms.map((p) => p.platform);
    await tx.query(
      `INSERT INTO platforms (platform, default_store_id, callback_url)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (platform) DO UPDATE SET default_store_id = EXCLUDED.default_store_id, callback_url = EXCLUDED.callback_url, updated_at = now()`,
      [names, platforms.map((p) => p.defaultStoreId ?? null), platforms.map((p) => p.callbackUrl ?? null)],
    );
    await tx.query("DELETE FROM platform_store_routes WHERE platform = ANY($1)", [names]);
    await tx.query("DELETE FROM platform_items WHERE platform = ANY($1)", [names]);
    const routes = platforms.flatMap((p) => Object.entries(p.storesByDistrict).map(([district, storeId]) => [p.platform, district, storeId] as const));
    const items = platforms.flatMap((p) => Object.entries(p.skuByItemId).map(([itemId, sku]) => [p.platform, itemId, sku] as const));
    await tx.query("INSERT INTO platform_store_routes (platform, district, store_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])", [
      routes.map((r) => r[0]),
      routes.map((r) => r[1]),
      routes.map((r) => r[2]),
    ]);
    await tx.query("INSERT INTO platform_items (platform, item_id, sku) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])", [
      items.map((i) => i[0]),
      items.map((i) => i[1]),
      items.map((i) => i[2]),
    ]);
  },

  async loadAll(db: pg.Pool): Promise<PlatformRouting[]> {
    const [platforms, routes, items] = await Promise.all([
      db.query<{ platform: string; default_store_id: string | null; callback_url: string | null }>("SELECT platform, default_store_id, callback_url FROM platforms"),
      db.query<{ platform: string; district: string; store_id: string }>("SELECT platform, district, store_id FROM platform_store_routes"),
      db.query<{ platform: string; item_id: string; sku: string }>("SELECT platform, item_id, sku FROM platform_items"),
    ]);
    return platforms.rows.map((p) =>
      platformRouting({
        platform: p.platform,
        defaultStoreId: p.default_store_id ?? undefined,
        callbackUrl: p.callback_url ?? undefined,
        storesByDistrict: Object.fromEntries(routes.rows.filter((r) => r.platform === p.platform).map((r) => [r.district, r.store_id])),
        skuByItemId: Object.fromEntries(items.rows.filter((i) => i.platform === p.platform).map((i) => [i.item_id, i.sku])),
      }),
    );
  },
};

/** Read on the order path from memory, refreshed like the store catalogue (at most `maxAgeMs` old). */
export interface PlatformDirectory {
  routingOf(platform: string): Promise<PlatformRouting | undefined>;
}

export function cachedPlatformDirectory(pool: pg.Pool, options: { maxAgeMs?: number } = {}): PlatformDirectory {
  return cachedSnapshot(
    async () => new Map((await platformRepository.loadAll(pool)).map((p) => [p.platform, p])),
    options.maxAgeMs ?? 10_000,
    (snapshot) => ({ routingOf: async (platform: string) => (await snapshot()).get(platform) }),
  );
}

/** Customers whose orders always go to manual review. Intake owns the table; nothing seeds it. */
export interface FlaggedCustomers {
  anyFlagged(keys: readonly string[]): Promise<boolean>;
}

export const flaggedCustomerRepository = {
  async flag(db: pg.Pool | pg.ClientBase, customerKey: string, reason: string): Promise<void> {
    await db.query("INSERT INTO flagged_customers (customer_key, reason) VALUES ($1, $2) ON CONFLICT (customer_key) DO UPDATE SET reason = EXCLUDED.reason", [
      customerKey,
      reason,
    ]);
  },
};

/** The flagged keys from memory: a query per order would cost more than the order, and the list is short and changes rarely. */
export function cachedFlaggedCustomers(pool: pg.Pool, options: { maxAgeMs?: number } = {}): FlaggedCustomers {
  return cachedSnapshot(
    async () => new Set((await pool.query<{ customer_key: string }>("SELECT customer_key FROM flagged_customers")).rows.map((r) => r.customer_key)),
    options.maxAgeMs ?? 10_000,
    (snapshot) => ({
      anyFlagged: async (keys: readonly string[]) => {
        if (keys.length === 0) return false;
        const flagged = await snapshot();
        return keys.some((key) => flagged.has(key));
      },
    }),
  );
}

function cachedSnapshot<T, R>(load: () => Promise<T>, maxAgeMs: number, use: (snapshot: () => Promise<T>) => R): R {
  let value: { data: T; loadedAt: number } | undefined;
  let loading: Promise<T> | undefined;
  const snapshot = async () => {
    if (value && Date.now() - value.loadedAt < maxAgeMs) return value.data;
    loading ??= load()
      .then((data) => {
        value = { data, loadedAt: Date.now() };
        return data;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  return use(snapshot);
}
