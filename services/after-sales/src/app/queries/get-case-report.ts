import type pg from "pg";
import type { afterSalesApi } from "@oms/contracts";
import { requestedPeriod } from "@oms/errors";
import { satisfactionRepository } from "../../adapters/pg/satisfaction-repository.ts";
import { caseFiguresOf } from "../../adapters/pg/case-report-repository.ts";

/**
 * Common problems and complaint hot spots of a store (DOMAIN.md, After-sales): the cases
 * opened in [from, until), by kind, by cause, the goods most asked about, and how its
 * complaints were answered.
 */
export async function getCaseReport(pool: pg.Pool, request: afterSalesApi.GetCaseReportRequest): Promise<afterSalesApi.CaseReport> {
  const storeId = request.storeId.trim();
  const { from, until } = requestedPeriod(request, storeId ? [] : [{ field: "storeId", message: "is required" }]);
  const figures = await caseFiguresOf(pool, storeId, from, until);
  const satisfaction = await satisfactionRepository.figuresOf(pool, storeId, from, until);
  return { storeId, from: from.toISOString(), until: until.toISOString(), ...figures, ...satisfaction };
}
