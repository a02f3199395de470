import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { settle, TransactionBatcher, type Settled, type TransactionBatching } from "@oms/postgres";
import type { OrderCommand } from "../domain/commands.ts";
import type { Actor } from "../domain/order.ts";
import { actorOf } from "./caller.ts";
import { OrderUnitOfWork } from "./order-unit-of-work.ts";
import { getOrders } from "./queries/get-order.ts";

export interface OrderCommandRequest {
  orderId: string;
  caller?: fulfillmentApi.CallerIdentity;
  correlationId: string;
}

/** A person's command on an order over gRPC, answered with the order as it is afterwards. */
export type RunOrderCommand = (request: OrderCommandRequest, commandFor: (actor: Actor) => OrderCommand) => Promise<fulfillmentApi.OrderView>;

/** The same command for many orders, queued together: each answered with its order or its own error. */
export type RunOrderCommands = (
  requests: readonly OrderCommandRequest[],
  commandFor: (actor: Actor) => OrderCommand,
) => Promise<PromiseSettledResult<fulfillmentApi.OrderView>[]>;

export interface OrderCommandDesk {
  run: RunOrderCommand;
  runMany: RunOrderCommands;
}

interface Queued {
  request: OrderCommandRequest;
  commandFor: (actor: Actor) => OrderCommand;
}

/** FULFILLMENT_COMMANDS_IN_FLIGHT transactions at once, each up to FULFILLMENT_COMMAND_BATCH_MAX commands. */
export const defaultCommandBatching: TransactionBatching = { maxInFlight: 3, maxBatch: 50 };

/**
 * People's commands, committed together when they come faster than commits: the orders
 * of a batch are locked in one statement, each command is decided in memory (a refused
 * one answers its own error), the changes are written once per table, and the answers —
 * the orders as committed — are read in the same transaction, two statements for the
 * whole batch, so a command needs no second connection (under load, commands queued for
 * connections longer than they ran).
 */
export function orderCommandDesk(pool: pg.Pool, outbox: OutboxWriter, logger: Logger, batching: TransactionBatching = defaultCommandBatching): OrderCommandDesk {
  const applyThem = (tx: pg.ClientBase, queued: readonly Queued[]) => applyTogether(tx, outbox, queued);
  const batcher = new TransactionBatcher<Queued, fulfillmentApi.OrderView>({ pool, applyTogether: applyThem, logger, name: "order commands" }, batching);
  return {
    run: (request, commandFor) => batcher.run({ request, commandFor }),
    runMany: (requests, commandFor) => batcher.runAll(requests.map((request) => ({ request, commandFor }))),
  };
}

async function applyTogether(tx: pg.ClientBase, outbox: OutboxWriter, queued: readonly Queued[]): Promise<Settled<fulfillmentApi.OrderView>[]> {
  const unit = new OrderUnitOfWork(tx);
  await unit.load(queued.map((q) => q.request.orderId));
  const decided: Settled<string>[] = [];
  for (const { request, commandFor } of queued) {
    decided.push(
      await settle(async () => {
        if (!request.orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
        const actor = actorOf(request.caller);
        await unit.execute(request.orderId, commandFor(actor), { actor, correlationId: request.correlationId });
        return request.orderId;
      }),
    );
  }
  await unit.flush(outbox);
  const views = await getOrders(
    tx,
    decided.flatMap((outcome) => (outcome.ok ? [outcome.value] : [])),
  );
  return decided.map((outcome) => (outcome.ok ? { ok: true, value: viewOf(views, outcome.value) } : outcome));
}

function viewOf(views: Map<string, fulfillmentApi.OrderView>, orderId: string): fulfillmentApi.OrderView {
  const view = views.get(orderId);
  // The command just changed it under lock in this transaction: it cannot be missing.
  if (!view) throw new Error(`order ${orderId} vanished within its command's transaction`);
  return view;
}
