import type pg from "pg";
import { withTransaction } from "@oms/postgres";
import { platformRouting, type PlatformRouting } from "../../domain/marketplaces/platform-routing.ts";
import type { PlatformSettings } from "../../domain/marketplaces/platform-settings.ts";

export type { PlatformSettings } from "../../domain/marketplaces/platform-settings.ts";

/**
 * Marketplaces, their store routes and item mappings in intake's schema, as the demo seed
 * writes them: a platform's routes and items are replaced whole, and only while it was never
 * administered (version 0, ADR 028: a platform someone changed through the API keeps that change).
 */
export const platformRepository = {
  async upsert(tx: pg.ClientBase, given: readonly PlatformSettings[]): Promise<void> {
    if (given.length === 0) return;
    const { rows } = await tx.query<{ platform: string }>(
      `INSERT INTO platforms (platform, default_store_id, callback_url)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (platform) DO UPDATE SET default_store_id = EXCLUDED.default_store_id, callback_url = EXCLUDED.callback_url, updated_at = now()
       WHERE platforms.version = 0
       RETURNING platform`,
      [given.map((p) => p.platform), given.map((p) => p.defaultStoreId ?? null), given.map((p) => p.callbackUrl ?? null)],
    );
    const written = new Set(rows.map((r) => r.platform));
    const platforms = given.filter((p) => written.has(p.platform));
    if (platforms.length === 0) return;
    await replaceRoutesAndItems(tx, platforms);
  },

  async loadAll(db: pg.Pool): Promise<PlatformRouting[]> {
    // A platform's settings span three tables, and head office replaces them while orders are
    // read against them: one snapshot for the three, so a change is seen whole or not at all.
    const { platforms, routes, items } = await readSnapshot(db, async (tx) => ({
      platforms: await tx.query<{ platform: string; default_store_id: string | null; callback_url: string | null }>("SELECT platform, default_store_id, callback_url FROM platforms"),
      routes: await tx.query<{ platform: string; district: string; store_id: string }>("SELECT platform, district, store_id FROM platform_store_routes"),
      items: await tx.query<{ platform: string; item_id: string; sku: string }>("SELECT platform, item_id, sku FROM platform_items"),
    }));
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

/** Runs reads in one read-only transaction seeing one snapshot (REPEATABLE READ): rows of several tables as of one moment. */
export function readSnapshot<T>(pool: pg.Pool, read: (tx: pg.ClientBase) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return read(tx);
  });
}

/** Replaces the platforms' routes and items with the ones given (in the caller's transaction, their platforms' rows written first). */
export async function replaceRoutesAndItems(tx: pg.ClientBase, platforms: readonly PlatformSettings[]): Promise<void> {
  const names = platforms.map((p) => p.platform);
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
}

/** Read on the order path from memory, refreshed like the store catalogue (at most `maxAgeMs` old). */
export interface PlatformDirectory {
  routingOf(platform: string): Promise<PlatformRouting | undefined>;
  /** The settings changed (administered through this instance): the next order reads them afresh. */
  invalidate(): void;
}

export function cachedPlatformDirectory(pool: pg.Pool, options: { maxAgeMs?: number } = {}): PlatformDirectory {
  const cache = invalidatableSnapshot(async () => new Map((await platformRepository.loadAll(pool)).map((p) => [p.platform, p])), options.maxAgeMs ?? 10_000);
  return { routingOf: async (platform: string) => (await cache.snapshot()).get(platform), invalidate: cache.invalidate };
}

/**
 * A value loaded at most every `maxAgeMs`, concurrent readers sharing one load.
 * `invalidate` drops it, and a load already under way when it is called is not kept:
 * it may have read the table before the change.
 */
export function invalidatableSnapshot<T>(load: () => Promise<T>, maxAgeMs: number): { snapshot: () => Promise<T>; invalidate: () => void } {
  let value: { data: T; loadedAt: number } | undefined;
  let loading: Promise<T> | undefined;
  let generation = 0;
  const snapshot = async () => {
    if (value && Date.now() - value.loadedAt < maxAgeMs) return value.data;
    if (!loading) {
      const startedIn = generation;
      const current: Promise<T> = load()
        .then((data) => {
          if (startedIn === generation) value = { data, loadedAt: Date.now() };
          return data;
        })
        .finally(() => {
          if (loading === current) loading = undefined;
        });
      loading = current;
    }
    return loading;
  };
  const invalidate = () => {
    generation++;
    value = undefined;
    loading = undefined;
  };
  return { snapshot, invalidate };
}
