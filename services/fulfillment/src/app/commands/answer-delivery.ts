import type { fulfillmentApi } from "@oms/contracts";
import type { RunOrderCommand } from "../run-order-command.ts";

/** The customer signs for the delivery: accepted, then completed (and settled if all is paid). */
export function acceptDelivery(run: RunOrderCommand, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return run(request, (actor) => ({ type: "AcceptDelivery", actor }));
}

/** The customer refuses the delivery with reasons: the order goes to rework and a new delivery. */
export function rejectDelivery(run: RunOrderCommand, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return run(request, (actor) => ({ type: "RejectDelivery", reason: request.reason, actor }));
}

/** Finance closes a settled order. */
export function closeOrder(run: RunOrderCommand, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return run(request, (actor) => ({ type: "CloseOrder", actor }));
}
