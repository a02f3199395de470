import type { FulfillmentOrders, OrderListFilter } from "../../adapters/grpc-clients/fulfillment.ts";
import { listViewOf, type OrderListView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";

/** Staff's order lists (by store, status, channel, priority, creation time), newest first, page by page, from fulfillment. */
export async function listOrders(
  deps: { fulfillment: FulfillmentOrders },
  context: PermittedContext<"list-orders">,
  filter: OrderListFilter,
): Promise<OrderListView> {
  return listViewOf(await deps.fulfillment.listOrders(filter, context.correlationId));
}
