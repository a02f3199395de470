import type pg from "pg";
import type { PublishedDeadlines } from "../../domain/store-profile.ts";

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

  /**
   * Writes a store's rules from the service's configuration (the '*' defaults) or the demo
   * chain file, but never over what was administered (ADR 028): a store whose profile was
   * ever published (profile_version > 0) keeps what the publication said.
   */
  async upsert(db: pg.ClientBase | pg.Pool, storeId: string, rules: ConfirmationRules): Promise<void> {
    await db.query(
      `INSERT INTO store_settings (store_id, confirmation_follow_up_hours, confirmation_escalation_hours, confirmation_cancel_hours)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (store_id) DO UPDATE SET confirmation_follow_up_hours = EXCLUDED.confirmation_follow_up_hours,
         confirmation_escalation_hours = EXCLUDED.confirmation_escalation_hours,
         confirmation_cancel_hours = EXCLUDED.confirmation_cancel_hours, updated_at = now()
       WHERE store_settings.profile_version = 0`,
      [storeId, rules.followUpHours, rules.escalationHours, rules.cancelHours],
    );
  },

  /**
   * Applies the stores' published deadlines (one publication per store), each only when
   * newer than the version the row holds. Returns the stores whose rules changed; a
   * re-delivery or a replay changes none. One statement.
   */
  async applyProfiles(tx: pg.ClientBase, published: readonly PublishedDeadlines[]): Promise<string[]> {
    if (published.length === 0) return [];
    const { rows } = await tx.query<{ store_id: string }>({
      name: "fulfillment.store-settings.apply-profiles",
      text: `INSERT INTO store_settings (store_id, confirmation_follow_up_hours, confirmation_escalation_hours, confirmation_cancel_hours, profile_version)
             SELECT store_id, follow_up, escalation, cancel, version
             FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::numeric[], $5::bigint[]) AS p(store_id, follow_up, escalation, cancel, version)
             ORDER BY store_id
             ON CONFLICT (store_id) DO UPDATE SET confirmation_follow_up_hours = EXCLUDED.confirmation_follow_up_hours,
               confirmation_escalation_hours = EXCLUDED.confirmation_escalation_hours,
               confirmation_cancel_hours = EXCLUDED.confirmation_cancel_hours, profile_version = EXCLUDED.profile_version, updated_at = now()
             WHERE store_settings.profile_version < EXCLUDED.profile_version
             RETURNING store_id`,
      values: [
        published.map((p) => p.storeId),
        published.map((p) => p.followUpHours),
        published.map((p) => p.escalationHours),
        published.map((p) => p.cancelHours),
        published.map((p) => p.version),
      ],
    });
    return rows.map((r) => r.store_id);
  },
};
