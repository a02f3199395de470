import type pg from "pg";
import { afterSalesApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { getCaseReport } from "../../app/queries/get-case-report.ts";
import { getCase } from "../../app/queries/get-case.ts";
import { getOrderFacts } from "../../app/queries/get-order-facts.ts";
import { getPolicy } from "../../app/queries/get-policy.ts";
import { listCases } from "../../app/queries/list-cases.ts";
import type { SealedWords } from "../../app/sealed-words.ts";
import type { PolicyDefaults } from "../../domain/policy.ts";

/** `oms.aftersales.v1.AfterSalesQuery`: order facts, the stores' policies, cases and their report. */
export function afterSalesQueryService(pool: pg.Pool, policyDefaults: PolicyDefaults, words: SealedWords) {
  return bindService("oms.aftersales.v1.AfterSalesQuery", afterSalesApi.AfterSalesQueryService, {
    getOrderFacts: (request) => getOrderFacts(pool, request.orderId),
    getPolicy: (request) => getPolicy(pool, policyDefaults, request.storeId),
    getCase: (request) => getCase(pool, words, request.caseId),
    listCases: (request) => listCases(pool, words, request),
    getCaseReport: (request) => getCaseReport(pool, request),
  });
}
