import type pg from "pg";
import type { EventOrigin, OrderEvent } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import { cancellationRepository } from "../adapters/pg/cancellation-repository.ts";
import { paymentRepository, referenceKey, type PaidUnderReference, type PaymentRow } from "../adapters/pg/payment-repository.ts";
import { settlementRepository } from "../adapters/pg/settlement-repository.ts";
import { decide, evolve, type Settlement, type SettlementCommand } from "../domain/settlement.ts";
import { toContractEvent } from "./settlement-events.ts";

/**
 * Settlement commands of many orders in one transaction: the settlements are locked in
 * one statement, each command is decided and applied in memory in the order it came, and
 * the changes are written once per table (settlements, payments, outbox) by `flush`.
 * The one way a settlement changes, whether for one finance clerk's command or for a
 * consumer batch.
 */
export class SettlementUnitOfWork {
  readonly #tx: pg.ClientBase;
  readonly #settlements = new Map<string, Settlement | undefined>();
  /** Loaded orders that were cancelled: they take no payment. */
  readonly #cancelled = new Set<string>();
  readonly #dirty = new Set<string>();
  /** Payments by reference (referenceKey) of the orders in `#referencesRead`, and of the payments of this unit. */
  readonly #references = new Map<string, PaidUnderReference>();
  readonly #referencesRead = new Set<string>();
  #payments: PaymentRow[] = [];
  #events: OrderEvent[] = [];

  constructor(tx: pg.ClientBase) {
    this.#tx = tx;
  }

  /**
   * Locks the orders' money and settlements (those that exist), and learns which orders
   * were cancelled; call before `execute` for them. Read after the lock, so a cancellation
   * committed while this unit waited is seen.
   */
  async load(orderIds: readonly string[]): Promise<void> {
    const wanted = orderIds.filter((id) => !this.#settlements.has(id));
    if (wanted.length === 0) return;
    const locked = await settlementRepository.lockByOrders(this.#tx, wanted);
    for (const orderId of await cancellationRepository.cancelledAmong(this.#tx, wanted)) this.#cancelled.add(orderId);
    for (const orderId of wanted) this.#settlements.set(orderId, locked.get(orderId));
  }

  /** The order's settlement as loaded and changed so far. */
  settlementOf(orderId: string): Settlement | undefined {
    this.#assertLoaded(orderId);
    return this.#settlements.get(orderId);
  }

  /** Whether a payment with this reference is recorded for the order, or recorded in this unit. */
  async hasPayment(orderId: string, reference: string): Promise<boolean> {
    return (await this.paymentUnder(orderId, reference)) !== undefined;
  }

  /** The payment recorded for the order under this reference (before or in this unit), if any. */
  async paymentUnder(orderId: string, reference: string): Promise<PaidUnderReference | undefined> {
    this.#assertLoaded(orderId);
    if (!this.#referencesRead.has(orderId)) {
      // One read for every loaded order whose payments were not read yet.
      const unread = [...this.#settlements.keys()].filter((id) => !this.#referencesRead.has(id));
      for (const [key, paid] of await paymentRepository.referencesOf(this.#tx, unread)) this.#references.set(key, paid);
      for (const id of unread) this.#referencesRead.add(id);
    }
    return this.#references.get(referenceKey(orderId, reference));
  }

  /** Decides the command against the settlement as it stands in this unit; a rule violation throws. */
  execute(orderId: string, command: SettlementCommand, origin: EventOrigin): Settlement | undefined {
    const current = this.settlementOf(orderId);
    const events = decide(command, current, { orderId, cancelled: this.#cancelled.has(orderId) });
    let state = current;
    for (const event of events) state = evolve(state, event);
    if (!state || events.length === 0) return state;
    this.#settlements.set(orderId, state);
    this.#dirty.add(orderId);
    for (const event of events) {
      if (event.type !== "PaymentRecorded") continue;
      this.#payments.push({ ...event, orderId, currency: state.currency, recordedBy: `${origin.actor.kind}:${origin.actor.id}` });
      this.#references.set(referenceKey(orderId, event.reference), { amountMinor: event.amountMinor, currency: state.currency, method: event.method });
    }
    this.#events.push(...events.map((event) => toContractEvent(event, state, origin)));
    return state;
  }

  /** Writes what the commands changed: each settlement once, the payments, then the events. */
  async flush(outbox: EventAppender): Promise<void> {
    await settlementRepository.saveMany(this.#tx, [...this.#dirty].map((orderId) => this.#settlements.get(orderId)!));
    await paymentRepository.insertMany(this.#tx, this.#payments);
    await outbox.append(this.#tx, this.#events);
    this.#dirty.clear();
    this.#payments = [];
    this.#events = [];
  }

  #assertLoaded(orderId: string): void {
    if (!this.#settlements.has(orderId)) throw new Error(`settlement of order ${orderId} used before it was loaded`);
  }
}
