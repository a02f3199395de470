import type pg from "pg";
import { EventTypes, newEvent, originFrom, systemActor, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { creditRepository, type RecordedAssessment } from "../../adapters/pg/credit-repository.ts";
import { decideOnCredit } from "../../domain/credit.ts";

export type CreditHold = OrderEventOf<typeof EventTypes.OrderStatusChanged>;

/** Fulfillment's announcement that an on-credit order waits for a credit decision. */
export function isCreditHold(event: { type: string; payload: unknown }): boolean {
  const p = (event as CreditHold).payload;
  return p?.toStatus === "on-hold" && p.holdReason === "awaiting-credit";
}

/** The customers of on-credit orders held for credit, by order, their credit held until the transaction ends. */
export type CreditHolders = ReadonlyMap<string, string>;

/**
 * Holds the credit of the customers whose orders wait for it (in id order): a batch takes
 * them all before any other lock of its own, so two batches never take two customers, or a
 * customer and an order's money, the other way round. Orders billing knows no customer of
 * (a guest's, or not bought on credit) are absent.
 */
export async function lockCreditHolders(tx: pg.ClientBase, holds: readonly CreditHold[]): Promise<CreditHolders> {
  if (holds.length === 0) return new Map();
  const customers = await creditRepository.customersOf(
    tx,
    holds.map((h) => h.orderId),
  );
  await creditRepository.lockCustomers(tx, [...customers.values()]);
  return customers;
}

/**
 * On-credit orders held for credit are decided by their customer's assessment: approved
 * within the limit (what the customer owes on their other on-credit orders counted),
 * refused for poor credit or over the limit. Customers never assessed are left to a finance
 * clerk, as before. The customers' credit is held (lockCreditHolders) while their orders
 * are weighed, so two orders decided at once cannot each fit a limit they exceed together.
 * How many were decided.
 */
export async function decideHeldCredit(tx: pg.ClientBase, outbox: OutboxWriter, holds: readonly CreditHold[], customers: CreditHolders): Promise<number> {
  if (holds.length === 0) return 0;
  const assessments = new Map<string, RecordedAssessment | undefined>();
  const events: OrderEvent[] = [];
  for (const hold of holds) {
    const customerId = customers.get(hold.orderId);
    // Not an on-credit order billing knows the customer of (a guest's): a clerk decides.
    if (!customerId) continue;
    if (!assessments.has(customerId)) assessments.set(customerId, await creditRepository.currentAssessment(tx, customerId));
    const current = assessments.get(customerId);
    if (!current) continue;
    const open = await creditRepository.openOrders(tx, customerId);
    const order = open.find((o) => o.orderId === hold.orderId);
    // Cancelled or refused meanwhile: nothing left to decide.
    if (!order) continue;
    // Owed on credit: the orders whose credit was granted (by billing, or by a clerk: they went on to a settlement); one waiting is owed nothing yet.
    const exposureMinor = open.filter((o) => o.orderId !== hold.orderId && o.inExecution && o.currency === order.currency).reduce((t, o) => t + o.outstandingMinor, 0);
    const decision = decideOnCredit(current, exposureMinor, { totalMinor: order.outstandingMinor, currency: order.currency });
    if (!decision) continue;
    await creditRepository.decide(tx, hold.orderId, decision.approved ? "approved" : "refused");
    const money = (minor: number) => ({ minor, currency: current.currency || order.currency });
    events.push(
      newEvent(
        EventTypes.CreditDecided,
        { customerId, approved: decision.approved, reason: decision.reason, limit: money(current.limitMinor), exposure: money(exposureMinor), termsDays: current.termsDays },
        originFrom(hold, "billing", systemActor("billing")),
      ),
    );
  }
  await outbox.append(tx, events);
  return events.length;
}
