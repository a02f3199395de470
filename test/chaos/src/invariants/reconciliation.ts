// Billing's own reader and rules: the check reconciles exactly as finance's run does (ADR 023).
import { reconciliationMoneyReader } from "../../../../services/billing/src/adapters/pg/reconciliation-money-reader.ts";
import { compareStore, type OrderFacts } from "../../../../services/billing/src/domain/reconciliation.ts";
import { n, result, skipped, tableExists, type CheckContext, type InvariantResult } from "./context.ts";

/**
 * Each store's money reconciles with its orders: over the whole run, billing's records of
 * every order (settlement, payments, refunds, invoices) set against fulfillment's orders by
 * billing's own reconciliation rules find no difference — no order closed without its
 * settlement or invoice, none short of or beyond what it is due, no refund for a
 * cancellation fulfillment does not show, no money kept after one, no invoice before the
 * closure, no money of an order fulfillment does not know. A difference here is one finance
 * would have to explain after faults that should have left nothing to explain.
 */
export async function moneyReconcilesWithOrders(context: CheckContext): Promise<InvariantResult> {
  const name = "each store's money reconciles with its orders";
  if (!(await tableExists(context.db, "billing", "reconciliations"))) return skipped(name, "billing does not reconcile yet");
  const { rows: orders } = await context.db.query<{ order_id: string; store_id: string; status: string; due: string | null; currency: string | null }>(
    "SELECT order_id, store_id, status, body->'totals'->>'grandTotalMinor' AS due, body->'totals'->>'currency' AS currency FROM fulfillment.orders",
  );
  const facts = new Map<string, OrderFacts>(orders.map((o) => [o.order_id, { orderId: o.order_id, status: o.status, dueMinor: Number(o.due ?? 0), currency: o.currency ?? "" }]));
  const storeOf = new Map(orders.map((o) => [o.order_id, o.store_id]));
  const { rows: held } = await context.db.query<{ order_id: string; store_id: string | null }>(`
    SELECT m.order_id, coalesce(s.store_id, p.store_id) AS store_id FROM (
      SELECT order_id FROM billing.settlements UNION SELECT order_id FROM billing.prepayments UNION SELECT order_id FROM billing.payments
      UNION SELECT order_id FROM billing.refunds UNION SELECT order_id FROM billing.invoices
    ) m LEFT JOIN billing.settlements s USING (order_id) LEFT JOIN billing.prepayments p USING (order_id)`);
  for (const h of held) if (!storeOf.has(h.order_id)) storeOf.set(h.order_id, h.store_id ?? "?");

  // The reader names billing's tables unqualified, as billing's own connections see them.
  const client = await context.db.connect();
  let money: Awaited<ReturnType<typeof reconciliationMoneyReader.moneyOf>>;
  try {
    await client.query("SET search_path TO billing");
    money = await reconciliationMoneyReader.moneyOf(client, [...new Set([...facts.keys(), ...held.map((h) => h.order_id)])]);
  } finally {
    await client.query("RESET search_path").catch(() => {});
    client.release();
  }
  const differences = compareStore(facts, money);
  const stores = new Set(storeOf.values());
  const failures = differences.map((d) => `store ${storeOf.get(d.orderId)}: order ${d.orderId} ${d.kind} (${d.detail})`);
  const compared = new Set([...facts.keys(), ...money.keys()]).size;
  return result(name, failures, `${n(stores.size)} stores, ${n(compared)} orders compared, ${n(differences.length)} differences`);
}
