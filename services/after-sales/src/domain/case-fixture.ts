import type { AfterSalesCase } from "./case.ts";

/**
 * A case as the domain's unit specs start from (pure, no I/O: the integration specs' fixtures
 * are in ../test-fixtures.ts): one kettle on order o-1 at store s-1, opened online by customer
 * c-1 within the policy, nothing refunded or taken back. Each spec names its kind and when it
 * was opened, and whatever else it is about.
 */
export function caseFixture(more: Partial<AfterSalesCase> & Pick<AfterSalesCase, "kind" | "openedAt">): AfterSalesCase {
  return {
    caseId: "case-1",
    orderId: "o-1",
    storeId: "s-1",
    channel: "online",
    description: { clear: "the kettle does not heat" },
    lines: [{ sku: "KETTLE-1", quantity: 1 }],
    status: "open",
    openedBy: "customer:c-1",
    correlationId: "corr-1",
    withinPolicy: true,
    policyNote: "",
    refundMinor: 0,
    refundedMinor: 0,
    goodsRestocked: 0,
    goodsWrittenOff: 0,
    ...more,
  };
}
