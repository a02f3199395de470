import type { afterSalesApi } from "@oms/contracts";
import { goodsOutstanding } from "../domain/case-returned-goods.ts";
import type { AfterSalesCase } from "../domain/case.ts";
import type { Policy } from "../domain/policy.ts";

/** A case as the contract carries it: times as ISO strings, absent ones empty. */
export function caseView(c: AfterSalesCase): afterSalesApi.CaseView {
  return {
    caseId: c.caseId,
    orderId: c.orderId,
    storeId: c.storeId,
    kind: c.kind,
    channel: c.channel,
    description: c.description,
    lines: c.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    status: c.status,
    openedBy: c.openedBy,
    openedAt: c.openedAt.toISOString(),
    withinPolicy: c.withinPolicy,
    policyNote: c.policyNote,
    assigneeStaffId: c.assigneeStaffId ?? "",
    decidedBy: c.decidedBy ?? "",
    decidedAt: c.decidedAt?.toISOString() ?? "",
    decisionNote: c.decisionNote ?? "",
    respondBy: c.respondBy?.toISOString() ?? "",
    answeredAt: c.answeredAt?.toISOString() ?? "",
    answer: c.answer ?? "",
    escalated: !!c.escalatedAt,
    resolution: c.resolution ?? "",
    cause: c.cause ?? "",
    refundMinor: c.refundMinor,
    resolvedBy: c.resolvedBy ?? "",
    resolvedAt: c.resolvedAt?.toISOString() ?? "",
    goodsRestocked: c.goodsRestocked,
    goodsWrittenOff: c.goodsWrittenOff,
    goodsOutstanding: goodsOutstanding(c),
    goodsReceivedAt: c.goodsReceivedAt?.toISOString() ?? "",
  };
}

/**
 * A policy as the contract carries it. The wire's hours are whole: a chain default set to a
 * fraction of an hour (tests only) is shown rounded up, never as 0.
 */
export function policyView(policy: Policy): afterSalesApi.Policy {
  return {
    storeId: policy.storeId,
    warrantyDays: policy.warrantyDays,
    returnDays: policy.returnDays,
    complaintResponseHours: Math.ceil(policy.complaintResponseHours),
    kinds: [...policy.kinds],
    process: policy.process,
    liability: policy.liability,
    updatedAt: policy.updatedAt?.toISOString() ?? "",
    updatedBy: policy.updatedBy ?? "",
  };
}
