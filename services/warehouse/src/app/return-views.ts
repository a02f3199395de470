import type { warehouseApi } from "@oms/contracts";
import { outstandingOf, statusOf, type ExpectedReturn } from "../domain/returns.ts";

/** An expected return as the contract carries it: per SKU what the case named and what came back of it. */
export function expectedReturnView(expected: ExpectedReturn): warehouseApi.ExpectedReturn {
  return {
    caseId: expected.caseId,
    orderId: expected.orderId,
    storeId: expected.storeId,
    kind: expected.kind,
    lines: expected.lines.map((l) => ({ sku: l.sku, expected: l.expected, restocked: l.restocked, writtenOff: l.writtenOff, outstanding: outstandingOf(l) })),
    expectedSince: expected.expectedSince.toISOString(),
    status: statusOf(expected),
    receiptIds: [...expected.receiptIds],
    calledOffAt: expected.calledOff?.at.toISOString() ?? "",
    calledOffBy: expected.calledOff?.by ?? "",
    calledOffReason: expected.calledOff?.reason ?? "",
  };
}
