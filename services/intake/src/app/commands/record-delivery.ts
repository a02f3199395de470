import type { DeliveryReport } from "../../adapters/grpc-clients/fulfillment.ts";
import { commandOnOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/** The rider, technician or carrier hands the order over and says how, where and with what proof; the customer's acceptance period starts. */
export function recordDelivery(
  deps: OrderCommandDeps,
  context: PermittedContext<"record-delivery">,
  orderId: string,
  delivery: DeliveryReport,
): Promise<OrderStatusView> {
  return commandOnOrder(deps.pool, orderId, () => deps.fulfillment.recordDelivery(orderId, context.caller, delivery, context.correlationId));
}
