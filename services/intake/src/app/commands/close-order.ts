import { commandOnOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/** Finance closes a settled order once all its money is clear. */
export function closeOrder(deps: OrderCommandDeps, context: PermittedContext<"close-order">, orderId: string): Promise<OrderStatusView> {
  return commandOnOrder(deps.pool, orderId, () => deps.fulfillment.closeOrder(orderId, context.caller, context.correlationId));
}
