import { ConflictError } from "@oms/errors";
import type { DisputeOpening } from "../../adapters/grpc-clients/billing.ts";
import type { SettlementDeps } from "./confirm-payment.ts";
import { customersOwnOrder } from "../own-order.ts";
import type { PermittedContext } from "../request-context.ts";
import { refundRefusalFor } from "../settlement-refusal.ts";
import { customersDisputeViewOf, settlementDisputeViewOf, type SettlementDisputeView } from "../settlement-dispute-views.ts";

/**
 * The customer (their own order only), customer service for them, finance or the store
 * manager disputes the money of an order (ADR 026). Billing checks the amount against what
 * it holds of the order, routes the dispute to the departments involved and starts its
 * response deadline; the opener's request id makes a retry answer the dispute as it is.
 */
export async function openSettlementDispute(
  deps: SettlementDeps,
  context: PermittedContext<"open-settlement-dispute">,
  orderId: string,
  opening: DisputeOpening,
): Promise<SettlementDisputeView> {
  const byCustomer = context.caller.kind === "customer";
  if (byCustomer) await customersOwnOrder(deps.pool, context.caller, orderId);
  try {
    const opened = await deps.billing.openSettlementDispute(orderId, context.caller, opening, context.correlationId);
    context.logger.info({ orderId, disputeId: opened.disputeId, kind: opened.kind }, "settlement dispute opened");
    return byCustomer ? customersDisputeViewOf(opened) : settlementDisputeViewOf(opened);
  } catch (error) {
    // Billing's refusal of a reused request id names what the id holds, the opener included: a member of staff whose id is
    // the store's business (ADR 022, twenty-sixth-session addendum). The customer is told the id is taken, on their own order.
    if (byCustomer && error instanceof ConflictError && error.code === "settlement-dispute.request-id-reused") {
      throw new ConflictError(error.code, `request id ${opening.requestId} already opened another dispute on order ${orderId}; another dispute needs an id of its own`);
    }
    throw await refundRefusalFor(deps.pool, orderId, error);
  }
}
