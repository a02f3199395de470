import type { billingApi } from "@oms/contracts";
import { ConflictError } from "@oms/errors";
import type { BillingSettlements } from "../adapters/grpc-clients/billing.ts";

/**
 * DOMAIN.md: finance closes an order "when all money is clear"; an order whose money is in
 * dispute is not (ADR 026). Billing owns the disputes, fulfillment the closure, and only the
 * gateway calls fulfillment's OrderCommands: the gateway asks billing before it hands a
 * closure over. A dispute opened in the instant between the two is found by the next
 * reconciliation and its upheld refund is credited against the invoice (ADR 018).
 */
export async function openDisputesByOrder(billing: Pick<BillingSettlements, "listSettlementDisputes">, orderIds: readonly string[], correlationId: string): Promise<Map<string, billingApi.SettlementDisputeView[]>> {
  const { disputes } = await billing.listSettlementDisputes({ orderIds, status: "open" }, correlationId);
  const byOrder = new Map<string, billingApi.SettlementDisputeView[]>();
  for (const d of disputes) byOrder.set(d.orderId, [...(byOrder.get(d.orderId) ?? []), d]);
  return byOrder;
}

/** The refusal of closing an order with disputes open, naming them. */
export function closureBlockedBy(orderId: string, open: readonly billingApi.SettlementDisputeView[]): ConflictError {
  const named = open.map((d) => `${d.disputeId} (${d.kind}, opened ${d.openedAt})`).join(", ");
  return new ConflictError(
    "order.settlement-dispute-open",
    `order ${orderId} has ${open.length === 1 ? "a settlement dispute" : "settlement disputes"} open: ${named}; finance resolves ${open.length === 1 ? "it" : "them"} before closing the order`,
  );
}
