import type { fulfillmentApi } from "@oms/contracts";
import type { RunOrderCommand } from "../run-order-command.ts";

/** The customer (or an order taker on their behalf) confirms the order's details. */
export function confirmOrder(run: RunOrderCommand, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return run(request, (actor) => ({ type: "ConfirmOrder", actor }));
}
