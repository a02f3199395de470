import type pg from "pg";
import type { OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { orderRepository } from "../adapters/pg/order-repository.ts";
import type { TimelineEntry } from "../adapters/pg/timeline-repository.ts";
import type { OrderCommand } from "../domain/commands.ts";
import { decide } from "../domain/decide.ts";
import type { OrderDomainEvent } from "../domain/events.ts";
import { evolveAll } from "../domain/evolve.ts";
import type { Order } from "../domain/order.ts";
import { toContractEvents, type OrderEventCause } from "./contract-events.ts";
import { offTheTimeline, timelineEntryOf } from "./timeline-entries.ts";
import { scheduleDeadlines } from "./deadlines.ts";

interface Tracked {
  order: Order | undefined;
  existed: boolean;
  dirty: boolean;
}

/**
 * Applies many commands to many orders inside one transaction with a handful of
 * statements: the orders are locked and loaded in one query (in id order, so batches
 * never deadlock), decided and evolved in memory, and written back — orders, outbox,
 * timeline — in one statement each at `flush`. The batch consumer's path, and people's
 * commands batched under load (run-order-command.ts); a timer or a single fact goes
 * through executeOrderCommand.
 */
export class OrderUnitOfWork {
  readonly #tx: pg.ClientBase;
  readonly #orders = new Map<string, Tracked>();
  #events: OrderEvent[] = [];
  #timeline: TimelineEntry[] = [];
  #deadlines: { order: Order; events: OrderDomainEvent[] }[] = [];

  constructor(tx: pg.ClientBase) {
    this.#tx = tx;
  }

  /** Locks and loads these orders (those not loaded yet) in one statement. */
  async load(orderIds: readonly string[]): Promise<void> {
    const missing = [...new Set(orderIds)].filter((id) => id && !this.#orders.has(id));
    if (missing.length === 0) return;
    const found = await orderRepository.lockMany(this.#tx, missing);
    for (const id of missing) {
      const order = found.get(id);
      this.#orders.set(id, { order, existed: order !== undefined, dirty: false });
    }
  }

  current(orderId: string): Order | undefined {
    return this.#orders.get(orderId)?.order;
  }

  /** A timeline line for a fact another service reported, unless it is none of the timeline's business. */
  note(event: OrderEvent): void {
    if (offTheTimeline.has(event.type)) return;
    this.#timeline.push(timelineEntryOf(event));
  }

  async execute(orderId: string, command: OrderCommand, cause: OrderEventCause): Promise<Order | undefined> {
    await this.load([orderId]);
    const tracked = this.#orders.get(orderId)!;
    const events = decide(command, tracked.order);
    if (events.length === 0) return tracked.order;
    const next = evolveAll(tracked.order, events)!;
    tracked.order = next;
    tracked.dirty = true;
    const contractEvents = toContractEvents(events, next, cause);
    this.#events.push(...contractEvents);
    this.#timeline.push(...contractEvents.map(timelineEntryOf));
    this.#deadlines.push({ order: next, events });
    return next;
  }

  /** Writes everything decided so far; the unit can be used again afterwards. */
  async flush(outbox: OutboxWriter): Promise<void> {
    const dirty = [...this.#orders.values()].filter((t) => t.dirty && t.order);
    await orderRepository.saveMany(this.#tx, {
      inserted: dirty.filter((t) => !t.existed).map((t) => t.order!),
      updated: dirty.filter((t) => t.existed).map((t) => t.order!),
      timeline: this.#timeline,
    });
    await outbox.append(this.#tx, this.#events);
    await scheduleDeadlines(this.#tx, this.#deadlines);
    for (const tracked of dirty) {
      tracked.existed = true;
      tracked.dirty = false;
    }
    this.#events = [];
    this.#timeline = [];
    this.#deadlines = [];
  }

  /** Forgets loaded orders (after other code changed them directly): all, or the one named. */
  forget(orderId?: string): void {
    if (orderId === undefined) this.#orders.clear();
    else this.#orders.delete(orderId);
  }
}
