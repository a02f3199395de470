import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { runOrderCommand } from "../run-order-command.ts";

/** Cancels an order that has not shipped; reserved stock is released and a refund is marked due if it was paid. */
export function cancelOrder(pool: pg.Pool, outbox: OutboxWriter, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  if (!request.reason.trim()) throw new ValidationError([{ field: "reason", message: "a cancellation needs a reason" }]);
  return runOrderCommand(pool, outbox, request, (actor) => ({ type: "CancelOrder", reason: request.reason, actor }));
}
