import type pg from "pg";
import type { FulfillmentOrders } from "../../adapters/grpc-clients/fulfillment.ts";
import { commandOnCallersOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { RequestContext } from "../request-context.ts";

export interface OrderCommandDeps {
  pool: pg.Pool;
  fulfillment: FulfillmentOrders;
}

/** The customer (or an order taker for them) confirms the order's details; fulfillment decides and records who. */
export function confirmOrder(deps: OrderCommandDeps, context: RequestContext, orderId: string, note: string): Promise<OrderStatusView> {
  return commandOnCallersOrder(deps.pool, context.caller, orderId, () => deps.fulfillment.confirmOrder(orderId, context.caller, note, context.correlationId));
}
