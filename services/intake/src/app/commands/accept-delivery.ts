import { commandOnCallersOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/** The customer signs for the delivery: the order is completed (and settled if everything is paid). */
export function acceptDelivery(deps: OrderCommandDeps, context: PermittedContext<"accept-delivery">, orderId: string): Promise<OrderStatusView> {
  return commandOnCallersOrder(deps.pool, context.caller, orderId, () => deps.fulfillment.acceptDelivery(orderId, context.caller, context.correlationId));
}
