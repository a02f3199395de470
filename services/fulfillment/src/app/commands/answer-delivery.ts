import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { runOrderCommand } from "../run-order-command.ts";

/** The customer signs for the delivery: accepted, then completed (and settled if all is paid). */
export function acceptDelivery(pool: pg.Pool, outbox: OutboxWriter, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return runOrderCommand(pool, outbox, request, (actor) => ({ type: "AcceptDelivery", actor }));
}

/** The customer refuses the delivery with reasons: the order goes to rework and a new delivery. */
export function rejectDelivery(pool: pg.Pool, outbox: OutboxWriter, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return runOrderCommand(pool, outbox, request, (actor) => ({ type: "RejectDelivery", reason: request.reason, actor }));
}

/** Finance closes a settled order. */
export function closeOrder(pool: pg.Pool, outbox: OutboxWriter, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return runOrderCommand(pool, outbox, request, (actor) => ({ type: "CloseOrder", actor }));
}
