import type { CreditDecision } from "../../adapters/grpc-clients/fulfillment.ts";
import { commandOnOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/** Finance grants or refuses credit to an on-credit order held for it: granted, it goes on; refused, it is cancelled. */
export function decideCredit(deps: OrderCommandDeps, context: PermittedContext<"decide-credit">, orderId: string, decision: CreditDecision): Promise<OrderStatusView> {
  return commandOnOrder(deps.pool, context.caller, orderId, () => deps.fulfillment.decideCredit(orderId, context.caller, decision, context.correlationId));
}
