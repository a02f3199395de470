import type pg from "pg";
import { afterSalesApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { getCaseReport } from "../../app/queries/get-case-report.ts";
import { getCase } from "../../app/queries/get-case.ts";
import { getOrderFacts } from "../../app/queries/get-order-facts.ts";
import { getPolicy } from "../../app/queries/get-policy.ts";
import { listCarrierClaims } from "../../app/queries/list-carrier-claims.ts";
import { listCaseDisclosures } from "../../app/queries/list-case-disclosures.ts";
import { listCases } from "../../app/queries/list-cases.ts";
import type { SealedWords } from "../../app/sealed-words.ts";
import type { PolicyDefaults } from "../../domain/policy.ts";

/** The correlation id of a showing: the request's, else the call's metadata (a fresh one when neither has it). */
const correlated = <T extends { correlationId: string }>(request: T, correlationId: string): T => ({
  ...request,
  correlationId: request.correlationId || correlationId,
});

/**
 * `oms.aftersales.v1.AfterSalesQuery`: order facts, the stores' policies, cases, their report, who was shown their words, and the
 * claims against carriers (the clock says which are overdue).
 */
export function afterSalesQueryService(pool: pg.Pool, policyDefaults: PolicyDefaults, words: SealedWords, clock: () => Date) {
  return bindService("oms.aftersales.v1.AfterSalesQuery", afterSalesApi.AfterSalesQueryService, {
    getOrderFacts: (request) => getOrderFacts(pool, request.orderId),
    getPolicy: (request) => getPolicy(pool, policyDefaults, request.storeId),
    getCase: (request, call) => getCase(pool, words, correlated(request, call.correlationId)),
    listCases: (request, call) => listCases(pool, words, correlated(request, call.correlationId)),
    getCaseReport: (request) => getCaseReport(pool, request),
    listCaseDisclosures: (request) => listCaseDisclosures(pool, request),
    listCarrierClaims: (request) => listCarrierClaims(pool, request, clock),
  });
}
