import type pg from "pg";

/** A store's dispatch rules; what is unset falls back to the service's defaults. */
export interface StoreDispatchSettings {
  storeId: string;
  acknowledgeWithinSeconds?: number;
  preferredStaffId?: string;
}

type Db = pg.Pool | pg.ClientBase;

export const storeSettingsRepository = {
  async find(db: Db, storeId: string): Promise<StoreDispatchSettings> {
    const { rows } = await db.query<{ acknowledge_within_seconds: number | null; preferred_staff_id: string | null }>(
      "SELECT acknowledge_within_seconds, preferred_staff_id FROM store_settings WHERE store_id = $1",
      [storeId],
    );
    const row = rows[0];
    return {
      storeId,
      ...(row?.acknowledge_within_seconds ? { acknowledgeWithinSeconds: row.acknowledge_within_seconds } : {}),
      ...(row?.preferred_staff_id ? { preferredStaffId: row.preferred_staff_id } : {}),
    };
  },

  async upsert(db: Db, settings: StoreDispatchSettings): Promise<void> {
    await db.query(
      `INSERT INTO store_settings (store_id, acknowledge_within_seconds, preferred_staff_id) VALUES ($1, $2, $3)
       ON CONFLICT (store_id) DO UPDATE SET acknowledge_within_seconds = EXCLUDED.acknowledge_within_seconds,
         preferred_staff_id = EXCLUDED.preferred_staff_id, updated_at = now()`,
      [settings.storeId, settings.acknowledgeWithinSeconds ?? null, settings.preferredStaffId ?? null],
    );
  },
};
