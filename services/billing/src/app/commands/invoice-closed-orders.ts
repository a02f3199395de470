import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import { invoiceRepository } from "../../adapters/pg/invoice-repository.ts";
import { lockOrderMoney } from "../../adapters/pg/order-money-lock.ts";
import { invoiceOnClose } from "../../domain/invoice.ts";
import type { InvoiceDesk } from "../invoice-desk.ts";

export type OrderClosed = OrderEventOf<typeof EventTypes.OrderStatusChanged>;

/** Fulfillment's announcement that finance closed the order: all its money is clear. */
export function isClosure(event: { type: string; payload: unknown }): boolean {
  return (event as OrderClosed).payload?.toStatus === "closed";
}

/**
 * Finance closed the orders (all their money clear): each is invoiced for what it kept,
 * once, at the desk. Under the orders' money lock, so a refund decided meanwhile is either
 * in the amount or credited against the invoice. How many were invoiced.
 */
export async function invoiceClosedOrders(tx: pg.ClientBase, desk: InvoiceDesk, closures: readonly OrderClosed[]): Promise<number> {
  if (closures.length === 0) return 0;
  const orderIds = closures.map((c) => c.orderId);
  await lockOrderMoney(tx, orderIds);
  const standing = await invoiceRepository.closingMoneyOf(tx, orderIds);
  let invoiced = 0;
  for (const closure of closures) {
    const order = standing.get(closure.orderId);
    // No settlement: an order closed without money billing knows of (none is closed so today); nothing to invoice.
    const draft = order && invoiceOnClose(order.money, order.invoiced);
    if (!draft) continue;
    // Finance issues the invoice by closing the order: the clerk who closed it is its issuer.
    await desk.record(draft, originFrom(closure, "billing", closure.actor));
    // A second closure of the same order in this batch (a replay) sees this one.
    order.invoiced = true;
    invoiced += 1;
  }
  return invoiced;
}
