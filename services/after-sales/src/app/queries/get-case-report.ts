import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { requestedPeriod } from "@oms/errors";
import { carrierClaimRepository } from "../../adapters/pg/carrier-claim-repository.ts";
import { satisfactionRepository } from "../../adapters/pg/satisfaction-repository.ts";
import { caseFiguresOf } from "../../adapters/pg/case-report-repository.ts";

/**
 * Common problems and complaint hot spots of a store (DOMAIN.md, After-sales): the cases
 * opened in [from, until), by kind, by cause, the goods most asked about, and how its
 * complaints were answered; and the claims against carriers filed in the period (ADR 017,
 * carrier-claim addendum): how many, settled or rejected so far, claimed and recovered; and
 * the exchanges among the period's cases whose replacement was late to ship, or escalated
 * (ADR 030's sixth addendum).
 */
export async function getCaseReport(pool: pg.Pool, request: afterSalesApi.GetCaseReportRequest): Promise<afterSalesApi.CaseReport> {
  const storeId = request.storeId.trim();
  const { from, until } = requestedPeriod(request, storeId ? [] : [{ field: "storeId", message: "is required" }]);
  const figures = await caseFiguresOf(pool, storeId, from, until);
  const satisfaction = await satisfactionRepository.figuresOf(pool, storeId, from, until);
  const carrierClaims = await carrierClaimRepository.figuresOf(pool, storeId, from, until);
  return { storeId, from: from.toISOString(), until: until.toISOString(), ...figures, ...satisfaction, ...carrierClaims };
}
