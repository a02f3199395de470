import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { isPickableCancellationReason, pickableCancellationReasons } from "../../domain/cancellation-reasons.ts";
import type { RunOrderCommand } from "../run-order-command.ts";

/**
 * Cancels an order that has not shipped; reserved stock is released and a refund is marked due if it was paid.
 * The reason is the canceller's words, for staff; the reason code, from a fixed list, is what the customer is told
 * (absent: the caller's default — ADR 022, twenty-seventh-session addendum).
 */
export function cancelOrder(run: RunOrderCommand, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  if (!request.reason.trim()) throw new ValidationError([{ field: "reason", message: "a cancellation needs a reason" }]);
  const reasonCode = request.reasonCode?.trim() || undefined;
  if (reasonCode !== undefined && !isPickableCancellationReason(reasonCode)) {
    throw new ValidationError([{ field: "reasonCode", message: `must be one of ${pickableCancellationReasons.join(", ")}` }]);
  }
  return run(request, (actor) => ({ type: "CancelOrder", reason: request.reason, ...(reasonCode ? { reasonCode } : {}), actor }));
}
