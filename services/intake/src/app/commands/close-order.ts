import type { BillingSettlements } from "../../adapters/grpc-clients/billing.ts";
import { commandOnOrder } from "../fulfillment-handover.ts";
import { closureBlockedBy, openDisputesByOrder } from "../open-settlement-disputes.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/** Finance closes a settled order once all its money is clear: not while a settlement dispute of it is open (ADR 026). */
export async function closeOrder(
  deps: OrderCommandDeps,
  context: PermittedContext<"close-order">,
  orderId: string,
  money: { billing: Pick<BillingSettlements, "listSettlementDisputes"> },
): Promise<OrderStatusView> {
  const open = (await openDisputesByOrder(money.billing, [orderId], context.correlationId)).get(orderId);
  if (open) throw closureBlockedBy(orderId, open);
  return commandOnOrder(deps.pool, context.caller, orderId, () => deps.fulfillment.closeOrder(orderId, context.caller, context.correlationId));
}
