import { commandOnCallersOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/** The customer refuses the delivery with their reasons: the order goes to rework and a new delivery. */
export function rejectDelivery(deps: OrderCommandDeps, context: PermittedContext<"reject-delivery">, orderId: string, reason: string): Promise<OrderStatusView> {
  return commandOnCallersOrder(deps.pool, context.caller, orderId, () => deps.fulfillment.rejectDelivery(orderId, context.caller, reason, context.correlationId));
}
