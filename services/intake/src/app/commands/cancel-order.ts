import { commandOnCallersOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { RequestContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/**
 * Cancels an order with a reason; fulfillment refuses once it has shipped, and releases what was reserved.
 * The reason is the canceller's words, for staff; the reason code (absent: the caller's default) is what the
 * customer and their marketplace are told (ADR 022, twenty-seventh-session addendum).
 */
export function cancelOrder(deps: OrderCommandDeps, context: RequestContext, orderId: string, reason: string, reasonCode?: string): Promise<OrderStatusView> {
  return commandOnCallersOrder(deps.pool, context.caller, orderId, () => deps.fulfillment.cancelOrder(orderId, context.caller, reason, context.correlationId, reasonCode));
}
