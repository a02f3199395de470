import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { runOrderCommand } from "../run-order-command.ts";

/** The customer (or an order taker on their behalf) confirms the order's details. */
export function confirmOrder(pool: pg.Pool, outbox: OutboxWriter, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return runOrderCommand(pool, outbox, request, (actor) => ({ type: "ConfirmOrder", actor }));
}
