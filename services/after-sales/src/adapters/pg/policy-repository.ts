import type pg from "pg";
import type { CaseKind, Policy, PublishedPolicy } from "../../domain/policy.ts";

interface PolicyRow {
  store_id: string;
  warranty_days: number;
  return_days: number;
  complaint_response_hours: number;
  kinds: CaseKind[];
  process: string;
  liability: string;
  updated_at: Date;
  updated_by: string;
}

const columns = "store_id, warranty_days, return_days, complaint_response_hours, kinds, process, liability, updated_at, updated_by";

function fromRow(row: PolicyRow): Policy {
  return {
    storeId: row.store_id,
    warrantyDays: row.warranty_days,
    returnDays: row.return_days,
    complaintResponseHours: row.complaint_response_hours,
    kinds: row.kinds,
    process: row.process,
    liability: row.liability,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** The stores' published policies; a store without one has the chain's defaults (the caller's to apply). */
export const policyRepository = {
  async find(db: pg.Pool | pg.ClientBase, storeId: string): Promise<Policy | undefined> {
    const { rows } = await db.query<PolicyRow>(`SELECT ${columns} FROM policies WHERE store_id = $1`, [storeId]);
    return rows[0] && fromRow(rows[0]);
  },

  /**
   * Appends the policy, whole, to the store's versions (append-only: the table refuses
   * changes). In the transaction of `save`, so what is in force always has its version.
   */
  async appendVersion(tx: pg.ClientBase, policy: PublishedPolicy): Promise<void> {
    await tx.query(
      `INSERT INTO policy_versions (store_id, warranty_days, return_days, complaint_response_hours, kinds, process, liability, published_at, published_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [policy.storeId, policy.warrantyDays, policy.returnDays, policy.complaintResponseHours, policy.kinds, policy.process, policy.liability, policy.updatedAt, policy.updatedBy],
    );
  },

  /** Publishes the store's policy, replacing the one it had. */
  async save(db: pg.Pool | pg.ClientBase, policy: PublishedPolicy): Promise<Policy> {
    const { rows } = await db.query<PolicyRow>(
      `INSERT INTO policies (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (store_id) DO UPDATE SET warranty_days = EXCLUDED.warranty_days, return_days = EXCLUDED.return_days,
         complaint_response_hours = EXCLUDED.complaint_response_hours, kinds = EXCLUDED.kinds, process = EXCLUDED.process,
         liability = EXCLUDED.liability, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
       RETURNING ${columns}`,
      [
        policy.storeId,
        policy.warrantyDays,
        policy.returnDays,
        policy.complaintResponseHours,
        policy.kinds,
        policy.process,
        policy.liability,
        policy.updatedAt,
        policy.updatedBy,
      ],
    );
    return fromRow(rows[0]!);
  },
};
