import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import type { RunOrderCommand } from "../run-order-command.ts";

/** Cancels an order that has not shipped; reserved stock is released and a refund is marked due if it was paid. */
export function cancelOrder(run: RunOrderCommand, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  if (!request.reason.trim()) throw new ValidationError([{ field: "reason", message: "a cancellation needs a reason" }]);
  return run(request, (actor) => ({ type: "CancelOrder", reason: request.reason, actor }));
}
