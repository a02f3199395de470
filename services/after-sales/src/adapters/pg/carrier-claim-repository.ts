import type pg from "pg";
import type { CarrierClaimPosition } from "../../app/queries/carrier-claim-pages.ts";
import type { CarrierClaim, CarrierClaimStatus, CaseWithCarrierClaim } from "../../domain/carrier-claim.ts";
import { microsOf, timeOfMicrosParam } from "./list-keysets.ts";

/** A case's claim against the carrier as its row holds it (migration 016): all null until one is filed. */
export interface CarrierClaimRow {
  carrier_claim_status: CarrierClaimStatus | null;
  carrier_claim_carrier: string | null;
  carrier_claim_reference: string | null;
  /** bigint: pg hands it over as text. */
  carrier_claim_claimed_minor: string | null;
  carrier_claim_currency: string | null;
  carrier_claim_filed_at: Date | null;
  carrier_claim_filed_by: string | null;
  carrier_claim_recovered_minor: string | null;
  carrier_claim_rejection_reason: string | null;
  carrier_claim_closed_at: Date | null;
  carrier_claim_closed_by: string | null;
}

/** Read with the case (case-repository.ts); written only by `carrierClaimRepository.save`. */
export const carrierClaimColumns = `carrier_claim_status, carrier_claim_carrier, carrier_claim_reference, carrier_claim_claimed_minor, carrier_claim_currency,
  carrier_claim_filed_at, carrier_claim_filed_by, carrier_claim_recovered_minor, carrier_claim_rejection_reason, carrier_claim_closed_at, carrier_claim_closed_by`;

export function carrierClaimFromRow(row: CarrierClaimRow): CarrierClaim | null {
  if (!row.carrier_claim_status || !row.carrier_claim_filed_at) return null;
  return {
    status: row.carrier_claim_status,
    carrier: row.carrier_claim_carrier ?? "",
    carrierReference: row.carrier_claim_reference ?? "",
    claimedMinor: Number(row.carrier_claim_claimed_minor),
    currency: row.carrier_claim_currency ?? "",
    filedAt: row.carrier_claim_filed_at,
    filedBy: row.carrier_claim_filed_by ?? "",
    ...(row.carrier_claim_recovered_minor !== null ? { recoveredMinor: Number(row.carrier_claim_recovered_minor) } : {}),
    ...(row.carrier_claim_rejection_reason !== null ? { rejectionReason: row.carrier_claim_rejection_reason } : {}),
    ...(row.carrier_claim_closed_at ? { closedAt: row.carrier_claim_closed_at } : {}),
    ...(row.carrier_claim_closed_by !== null ? { closedBy: row.carrier_claim_closed_by } : {}),
  };
}

/** A claim with the case it belongs to, as the store's list shows it: never the case's words. */
export interface ListedCarrierClaim {
  caseId: string;
  orderId: string;
  storeId: string;
  claim: CarrierClaim;
}

/** The store's list: one status or all; `filedUpTo`, only claims still filed and filed by then (those overdue). */
export interface CarrierClaimFilter {
  storeId: string;
  status?: CarrierClaimStatus;
  filedUpTo?: Date;
}

/** A store's claims against carriers filed in a period, as the report shows them. */
export interface CarrierClaimFigures {
  carrierClaimsFiled: number;
  carrierClaimsSettled: number;
  carrierClaimsRejected: number;
  carrierClaimedMinor: number;
  carrierRecoveredMinor: number;
}

/** Claims against carriers on cases' rows (ADR 017, carrier-claim addendum). Writes take the caller's transaction, the case locked. */
export const carrierClaimRepository = {
  /** A locked case's claim as it now stands (a filing, a settlement or a rejection). */
  async save(tx: pg.ClientBase, c: CaseWithCarrierClaim): Promise<void> {
    const claim = c.carrierClaim;
    const { rowCount } = await tx.query(
      `UPDATE cases SET carrier_claim_status = $2, carrier_claim_carrier = $3, carrier_claim_reference = $4, carrier_claim_claimed_minor = $5,
         carrier_claim_currency = $6, carrier_claim_filed_at = $7, carrier_claim_filed_by = $8, carrier_claim_recovered_minor = $9,
         carrier_claim_rejection_reason = $10, carrier_claim_closed_at = $11, carrier_claim_closed_by = $12
       WHERE case_id = $1`,
      [
        c.caseId,
        claim.status,
        claim.carrier,
        claim.carrierReference,
        claim.claimedMinor,
        claim.currency,
        claim.filedAt,
        claim.filedBy,
        claim.recoveredMinor ?? null,
        claim.rejectionReason ?? null,
        claim.closedAt ?? null,
        claim.closedBy ?? null,
      ],
    );
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its claim against the carrier was written`);
  },

  /**
   * What the order's cases other than `caseId` claimed from carriers, in minor units, less the
   * claims the carrier rejected (it owes nothing on them; a claim filed in error is closed that
   * way). Read under the order's facts lock.
   */
  async claimedByOtherCases(tx: pg.ClientBase, orderId: string, caseId: string): Promise<number> {
    const { rows } = await tx.query<{ claimed: string }>(
      "SELECT coalesce(sum(carrier_claim_claimed_minor), 0) AS claimed FROM cases WHERE order_id = $1 AND case_id <> $2 AND carrier_claim_status <> 'rejected'",
      [orderId, caseId],
    );
    return Number(rows[0]!.claimed);
  },

  /**
   * A store's claims, the oldest filing first (case id breaking ties), on the report's partial
   * index; a page of `page.size` after `page.after`, each with its position as the token keeps
   * it. Only the claim's columns and the case's ids are read: the sealed description stays in
   * the row, so nothing is shown and nothing is logged (ADR 024).
   */
  async list(db: pg.Pool | pg.ClientBase, filter: CarrierClaimFilter, page: { size: number; after: CarrierClaimPosition | undefined }): Promise<Array<ListedCarrierClaim & { position: CarrierClaimPosition }>> {
    const values: unknown[] = [filter.storeId, filter.status ?? null, filter.filedUpTo ?? null];
    const after = page.after
      ? `AND (carrier_claim_filed_at, case_id) > (${timeOfMicrosParam(values.push(page.after.filedAtMicros))}, $${values.push(page.after.caseId)}::text)`
      : "";
    const limit = values.push(page.size);
    const { rows } = await db.query<CarrierClaimRow & { case_id: string; order_id: string; store_id: string; filed_at_micros: string }>(
      `SELECT case_id, order_id, store_id, ${carrierClaimColumns}, ${microsOf("carrier_claim_filed_at")} AS filed_at_micros FROM cases
       WHERE store_id = $1 AND carrier_claim_filed_at IS NOT NULL
         AND ($2::text IS NULL OR carrier_claim_status = $2)
         AND ($3::timestamptz IS NULL OR (carrier_claim_status = 'filed' AND carrier_claim_filed_at <= $3))
         ${after}
       ORDER BY carrier_claim_filed_at, case_id
       LIMIT $${limit}`,
      values,
    );
    return rows.flatMap((row) => {
      const claim = carrierClaimFromRow(row);
      const position = { filedAtMicros: row.filed_at_micros, caseId: row.case_id };
      return claim ? [{ caseId: row.case_id, orderId: row.order_id, storeId: row.store_id, claim, position }] : [];
    });
  },

  /**
   * A store's claims filed in [from, until), on their partial index: how many, how many the
   * carrier settled or rejected so far, what they claimed and what came back. A store sells in
   * one currency, so the amounts are summed as they are.
   */
  async figuresOf(db: pg.Pool | pg.ClientBase, storeId: string, from: Date, until: Date): Promise<CarrierClaimFigures> {
    const { rows } = await db.query<{ filed: number; settled: number; rejected: number; claimed: string; recovered: string }>(
      `SELECT count(*)::int AS filed,
              count(*) FILTER (WHERE carrier_claim_status = 'settled')::int AS settled,
              count(*) FILTER (WHERE carrier_claim_status = 'rejected')::int AS rejected,
              coalesce(sum(carrier_claim_claimed_minor), 0) AS claimed,
              coalesce(sum(carrier_claim_recovered_minor), 0) AS recovered
       FROM cases WHERE store_id = $1 AND carrier_claim_filed_at >= $2 AND carrier_claim_filed_at < $3`,
      [storeId, from, until],
    );
    const row = rows[0]!;
    return {
      carrierClaimsFiled: row.filed,
      carrierClaimsSettled: row.settled,
      carrierClaimsRejected: row.rejected,
      carrierClaimedMinor: Number(row.claimed),
      carrierRecoveredMinor: Number(row.recovered),
    };
  },
};
