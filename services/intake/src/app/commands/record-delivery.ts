import type { DeliveryReport } from "../../adapters/grpc-clients/fulfillment.ts";
import { assertCollectable } from "../collected-at-the-door.ts";
import { commandOnOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import { assertCallerReachesOrder } from "../own-order.ts";
import type { PermittedContext } from "../request-context.ts";
import type { SettlementDeps } from "./confirm-payment.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/**
 * The rider, technician or counter hands the order over, or a marketplace reports its delivery,
 * saying how, where and with what proof; the customer's acceptance period starts. A marketplace
 * reaches only the orders that came in on it (any other is answered as unknown, before what was
 * collected at the door is checked against the order's settlement, which would tell it exists);
 * staff are held by the role table and the store scope (ADR 022, twenty-sixth-session addendum).
 */
export async function recordDelivery(
  deps: { orders: OrderCommandDeps; settlements: SettlementDeps },
  context: PermittedContext<"record-delivery">,
  orderId: string,
  delivery: DeliveryReport,
): Promise<OrderStatusView> {
  const { pool, fulfillment } = deps.orders;
  await assertCallerReachesOrder(pool, context.caller, orderId);
  await assertCollectable(deps.settlements, orderId, delivery.collectedMinor, context.correlationId);
  return commandOnOrder(pool, context.caller, orderId, () => fulfillment.recordDelivery(orderId, context.caller, delivery, context.correlationId));
}
