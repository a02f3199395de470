import type pg from "pg";
import { ConflictError } from "@oms/errors";
import type { CatalogueFacts, PlatformSettings } from "../../domain/marketplaces/platform-settings.ts";
import { readSnapshot, replaceRoutesAndItems } from "./platform-repository.ts";

/** A marketplace's settings as they stand, with their version and who published them (version 0: the seed's, never administered). */
export interface StoredPlatform {
  settings: PlatformSettings;
  version: number;
  updatedBy: string | undefined;
  updatedAt: Date;
}

type Db = pg.ClientBase | pg.Pool;
interface PlatformRow {
  platform: string;
  default_store_id: string | null;
  callback_url: string | null;
  version: number;
  updated_by: string | null;
  updated_at: Date;
}

const platformSelect = "SELECT platform, default_store_id, callback_url, version::int AS version, updated_by, updated_at FROM platforms";

/** The rows with their routes and items. */
async function storedOf(db: Db, rows: PlatformRow[]): Promise<StoredPlatform[]> {
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.platform);
  // One after the other: a transaction's client runs one statement at a time.
  const routes = await db.query<{ platform: string; district: string; store_id: string }>(
    "SELECT platform, district, store_id FROM platform_store_routes WHERE platform = ANY($1) ORDER BY district",
    [names],
  );
  const items = await db.query<{ platform: string; item_id: string; sku: string }>("SELECT platform, item_id, sku FROM platform_items WHERE platform = ANY($1) ORDER BY item_id", [names]);
  return rows.map((r) => ({
    settings: {
      platform: r.platform,
      ...(r.default_store_id ? { defaultStoreId: r.default_store_id } : {}),
      storesByDistrict: Object.fromEntries(routes.rows.filter((x) => x.platform === r.platform).map((x) => [x.district, x.store_id])),
      skuByItemId: Object.fromEntries(items.rows.filter((x) => x.platform === r.platform).map((x) => [x.item_id, x.sku])),
      ...(r.callback_url ? { callbackUrl: r.callback_url } : {}),
    },
    version: r.version,
    updatedBy: r.updated_by ?? undefined,
    updatedAt: r.updated_at,
  }));
}

/**
 * Marketplaces' settings administered in intake's schema (ADR 028): each write goes with its
 * version (one more than the row's, checked in the statement) and its entry in
 * catalogue_changes, in the caller's transaction. No event: the settings concern intake alone.
 */
export const platformAdministration = {
  /** The platform's row, locked until the transaction ends: concurrent changes of one platform queue here. */
  async lockPlatform(tx: pg.ClientBase, platform: string): Promise<StoredPlatform | undefined> {
    const { rows } = await tx.query<PlatformRow>(`${platformSelect} WHERE platform = $1 FOR UPDATE`, [platform]);
    return (await storedOf(tx, rows))[0];
  },

  // Unlocked reads see the row, its routes and its items in one snapshot: a change committed
  // between the statements would otherwise show one version's row with the next one's routes.
  async getPlatform(pool: pg.Pool, platform: string): Promise<StoredPlatform | undefined> {
    return readSnapshot(pool, async (tx) => {
      const { rows } = await tx.query<PlatformRow>(`${platformSelect} WHERE platform = $1`, [platform]);
      return (await storedOf(tx, rows))[0];
    });
  },

  async listPlatforms(pool: pg.Pool): Promise<StoredPlatform[]> {
    return readSnapshot(pool, async (tx) => {
      const { rows } = await tx.query<PlatformRow>(`${platformSelect} ORDER BY platform`);
      return storedOf(tx, rows);
    });
  },

  /**
   * What the catalogue holds of the stores and items named, in the caller's transaction:
   * the settings are checked against the catalogue as it stands when they are written.
   */
  async catalogueFacts(tx: pg.ClientBase, named: { storeIds: string[]; skus: string[] }): Promise<CatalogueFacts> {
    const stores = await tx.query<{ store_id: string }>("SELECT store_id FROM stores WHERE store_id = ANY($1)", [named.storeIds]);
    const items = await tx.query<{ sku: string; withdrawn: boolean }>("SELECT sku, withdrawn_at IS NOT NULL AS withdrawn FROM price_list WHERE sku = ANY($1)", [named.skus]);
    return { stores: new Set(stores.rows.map((r) => r.store_id)), items: new Map(items.rows.map((r) => [r.sku, { withdrawn: r.withdrawn }])) };
  },

  /**
   * Writes the settings whole as the version after `previous`, the version of the row read
   * (the seed's are 0); a new row at version 1 when there was none.
   */
  async writePlatform(tx: pg.ClientBase, settings: PlatformSettings, previous: number | undefined, by: string): Promise<number> {
    const version = (previous ?? 0) + 1;
    const values = [settings.platform, settings.defaultStoreId ?? null, settings.callbackUrl ?? null, version, by];
    const { rowCount } =
      previous === undefined
        ? await tx.query(
            `INSERT INTO platforms (platform, default_store_id, callback_url, version, updated_by) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (platform) DO NOTHING`,
            values,
          )
        : await tx.query(
            `UPDATE platforms SET default_store_id = $2, callback_url = $3, version = $4, updated_by = $5, updated_at = now()
             WHERE platform = $1 AND version = $4 - 1`,
            values,
          );
    // Someone else wrote the row between our read and our write: the caller's retry reads it again.
    if (rowCount !== 1) throw new ConflictError("catalogue.concurrent-change", `platform ${settings.platform} was changed at the same moment; try again`);
    await replaceRoutesAndItems(tx, [settings]);
    return version;
  },
};
