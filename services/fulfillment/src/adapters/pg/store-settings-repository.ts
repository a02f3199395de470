import type pg from "pg";

export interface ConfirmationRules {
  followUpHours: number;
  escalationHours: number;
  cancelHours: number;
}

export const DEFAULT_STORE = "*";

export const storeSettingsRepository = {
  /** The store's rules, or the defaults ('*') when it has none of its own. */
  async confirmationRulesOf(db: pg.ClientBase | pg.Pool, storeId: string): Promise<ConfirmationRules> {
    const { rows } = await db.query<{ f: string; e: string; c: string }>(
      `SELECT confirmation_follow_up_hours AS f, confirmation_escalation_hours AS e, confirmation_cancel_hours AS c
       FROM store_settings WHERE store_id IN ($1, $2) ORDER BY store_id = $2 LIMIT 1`,
      [storeId, DEFAULT_STORE],
    );
    const row = rows[0];
    if (!row) throw new Error("store_settings has no default row; the service writes it at start");
    return { followUpHours: Number(row.f), escalationHours: Number(row.e), cancelHours: Number(row.c) };
  },

  async upsert(db: pg.ClientBase | pg.Pool, storeId: string, rules: ConfirmationRules): Promise<void> {
    await db.query(
      `INSERT INTO store_settings (store_id, confirmation_follow_up_hours, confirmation_escalation_hours, confirmation_cancel_hours)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (store_id) DO UPDATE SET confirmation_follow_up_hours = EXCLUDED.confirmation_follow_up_hours,
         confirmation_escalation_hours = EXCLUDED.confirmation_escalation_hours,
         confirmation_cancel_hours = EXCLUDED.confirmation_cancel_hours, updated_at = now()`,
      [storeId, rules.followUpHours, rules.escalationHours, rules.cancelHours],
    );
  },
};
