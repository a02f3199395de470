import type pg from "pg";
import type { OutboxWriter } from "@oms/messaging";
import { orderRepository } from "../adapters/pg/order-repository.ts";
import type { OrderCommand } from "../domain/commands.ts";
import { decide } from "../domain/decide.ts";
import { evolveAll } from "../domain/evolve.ts";
import type { Order } from "../domain/order.ts";
import { toContractEvents, type OrderEventCause } from "./contract-events.ts";
import { timelineEntryOf } from "./timeline-entries.ts";
import { scheduleDeadlines } from "./deadlines.ts";

/**
 * The one way an order changes: lock it, decide, evolve, save, and write the events and
 * timeline and the deadlines the change starts in the same transaction (the caller's).
 * Every use case goes through here.
 */
export async function executeOrderCommand(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  orderId: string,
  command: OrderCommand,
  cause: OrderEventCause,
): Promise<Order | undefined> {
  const current = await orderRepository.lock(tx, orderId);
  const events = decide(command, current);
  const next = evolveAll(current, events);
  if (events.length === 0 || !next) return next;
  const contractEvents = toContractEvents(events, next, cause);
  await orderRepository.saveMany(tx, { inserted: current ? [] : [next], updated: current ? [next] : [], timeline: contractEvents.map(timelineEntryOf) });
  await outbox.append(tx, contractEvents);
  await scheduleDeadlines(tx, [{ order: next, events }]);
  return next;
}
