import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import type { OrderCommand } from "../domain/commands.ts";
import type { Actor } from "../domain/order.ts";
import { actorOf } from "./caller.ts";
import { executeOrderCommand } from "./execute-order-command.ts";
import { getOrder } from "./queries/get-order.ts";

/**
 * A person's command on an order over gRPC: who is calling, the command in a
 * transaction (retried on a concurrent update), and the order as it is afterwards —
 * read in the same transaction, so the answer is exactly what was committed and the
 * command needs one connection from the pool, not three (under load, commands queued
 * for connections longer than they ran).
 */
export async function runOrderCommand(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: { orderId: string; caller?: fulfillmentApi.CallerIdentity; correlationId: string },
  commandFor: (actor: Actor) => OrderCommand,
): Promise<fulfillmentApi.OrderView> {
  const actor = actorOf(request.caller);
  const command = commandFor(actor);
  return retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      await executeOrderCommand(tx, outbox, request.orderId, command, { actor, correlationId: request.correlationId });
      return getOrder(tx, request.orderId);
    }),
  );
}
