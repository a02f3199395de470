import type { afterSalesApi } from "@oms/contracts";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { orderFactsRepository } from "../../adapters/pg/order-facts-repository.ts";
import type { CaseDeps } from "../case-deps.ts";
import { changeCase } from "./change-case.ts";

/**
 * An accepted case resolved with what was done, why it happened, and the money going back
 * (billing refunds it under the case's id). The order's facts are locked after the case,
 * so two of its cases are resolved one after the other and their refunds stay within its total.
 */
export function resolveCase(deps: CaseDeps, request: afterSalesApi.ResolveCaseRequest): Promise<afterSalesApi.CaseView> {
  return changeCase(deps, request, "resolve a case", async (tx, state, caller, now) => {
    const facts = await orderFactsRepository.lock(tx, state.orderId);
    const refundedByOtherCases = await caseRepository.refundedByOtherCases(tx, state.orderId, state.caseId);
    return {
      type: "ResolveCase",
      caller,
      resolution: request.resolution,
      cause: request.cause,
      refundMinor: request.refundMinor,
      order: { grandTotalMinor: facts?.grandTotalMinor ?? 0, currency: facts?.currency ?? "", refundedByOtherCases },
      now,
    };
  });
}
