import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEnvelope, decodeEvent, newEvent, type Actor, type OrderEvent, type billingApi } from "@oms/contracts";
import { publishEvents, readTopic } from "@oms/testing";
import { reconciliationRepository } from "./adapters/pg/reconciliation-repository.ts";
import {
  type BillingUnderTest,
  byFulfillment,
  clerk,
  consumed,
  orderCancelled,
  orderCreated,
  orderFigures,
  payLater,
  prepaidWebsite,
  settlementRequested,
  startBillingWithFulfillmentStandIn,
  whileHolding,
} from "./test-fixtures.ts";

let under: BillingUnderTest & { orders: Map<string, import("@oms/contracts").fulfillmentApi.OrderFigures> };

beforeAll(async () => {
  under = await startBillingWithFulfillmentStandIn();
});

afterAll(() => under?.stop());

const financeClerk: Actor = { kind: "staff", id: clerk.callerId, role: "finance" };
// The period around now: every order planted below has its money moments in it.
const period = { from: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 3_600_000).toISOString() };

const closed = (orderId: string): OrderEvent =>
  newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus: "settled", toStatus: "closed", reason: "finance checked all money", carrier: "", trackingNumber: "", holdReason: "" },
    byFulfillment(orderId, financeClerk),
  );

/** Billing hears these fulfillment events and has applied them. */
async function billingHears(...heard: OrderEvent[]): Promise<void> {
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, heard);
  await consumed(under.billing.runtime.pool, ...heard);
}

const reconcile = (requestId: string, over: Partial<billingApi.RunReconciliationRequest> = {}) =>
  under.commands.runReconciliation({ storeId: "store-test", ...period, requestId, ...clerk, ...over });

const explain = (run: billingApi.ReconciliationView, difference: billingApi.ReconciliationDifferenceView, over: Partial<billingApi.ExplainDifferenceRequest> = {}) =>
  under.commands.explainDifference({
    reconciliationId: run.reconciliationId,
    differenceId: difference.differenceId,
    explanationId: `x-${difference.differenceId}`,
    correction: "refund-issued",
    note: "refunded the customer the difference, voucher V-1",
    ...clerk,
    ...over,
  });

const byOrder = (run: billingApi.ReconciliationView) => Object.fromEntries(run.differences.map((d) => [d.orderId, d]));

async function billingEventsOf(type: string) {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.filter((m) => decodeEnvelope(m.value!).eventType === type).map((m) => ({ key: m.key?.toString() ?? "", event: decodeEvent(m.value!)! }));
}

describe("reconciling a store's money against its orders", () => {
  // One order of each kind of difference, and one that agrees.
  const o = {
    agrees: randomUUID(),
    closedWithoutSettlement: randomUUID(),
    closedWithoutInvoice: randomUUID(),
    underCollected: randomUUID(),
    overCollected: randomUUID(),
    refundWithoutCancellation: randomUUID(),
    keptAfterCancellation: randomUUID(),
    invoiceWithoutClosure: randomUUID(),
    unknownOrder: randomUUID(),
    currencyDiffers: randomUUID(),
  };
  const expected = {
    [o.closedWithoutSettlement]: "closed-without-settlement",
    [o.closedWithoutInvoice]: "closed-without-invoice",
    [o.underCollected]: "under-collected",
    [o.overCollected]: "over-collected",
    [o.refundWithoutCancellation]: "refund-without-cancellation",
    [o.keptAfterCancellation]: "kept-after-cancellation",
    [o.invoiceWithoutClosure]: "invoice-without-closure",
    [o.unknownOrder]: "unknown-order",
    [o.currencyDiffers]: "currency-differs",
  };
  let first: billingApi.ReconciliationView;

  it("finds each kind of difference planted, once per order and kind, and none on the order that agrees", async () => {
    const prepaidAndSettled = (orderId: string) => [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
    await billingHears(
      ...prepaidAndSettled(o.agrees),
      closed(o.agrees),
      ...prepaidAndSettled(o.closedWithoutInvoice),
      settlementRequested(o.underCollected, payLater),
      closed(o.underCollected),
      ...prepaidAndSettled(o.overCollected),
      closed(o.overCollected),
      ...prepaidAndSettled(o.refundWithoutCancellation),
      orderCancelled(o.refundWithoutCancellation, true),
      ...prepaidAndSettled(o.keptAfterCancellation),
      ...prepaidAndSettled(o.invoiceWithoutClosure),
      closed(o.invoiceWithoutClosure),
      ...prepaidAndSettled(o.unknownOrder),
      ...prepaidAndSettled(o.currencyDiffers),
    );
    // Fulfillment's side: closure billing never heard of, a cancellation billing missed, a
    // lower total after a correction, an order still open, one in another currency.
    for (const [orderId, figures] of [
      [o.agrees, orderFigures(o.agrees, "closed")],
      [o.closedWithoutSettlement, orderFigures(o.closedWithoutSettlement, "closed")],
      [o.closedWithoutInvoice, orderFigures(o.closedWithoutInvoice, "closed")],
      [o.underCollected, orderFigures(o.underCollected, "closed")],
      [o.overCollected, orderFigures(o.overCollected, "closed", 9_000)],
      [o.refundWithoutCancellation, orderFigures(o.refundWithoutCancellation, "delivered")],
      [o.keptAfterCancellation, orderFigures(o.keptAfterCancellation, "cancelled")],
      [o.invoiceWithoutClosure, orderFigures(o.invoiceWithoutClosure, "settled")],
      [o.currencyDiffers, orderFigures(o.currencyDiffers, "delivered", 10_800, "HKD")],
    ] as const) {
      under.orders.set(orderId, figures);
    }

    first = await reconcile("run-1");
    expect(Object.fromEntries(first.differences.map((d) => [d.orderId, d.kind]))).toEqual(expected);
    expect(first).toMatchObject({ storeId: "store-test", startedBy: `staff:${clerk.callerId}`, balanced: false, openDifferences: 9, differencesFound: 9 });
    expect(first.ordersCompared).toBe(10);
    expect(first.differences.every((d) => d.state === "open" && d.explanations.length === 0)).toBe(true);
    expect(byOrder(first)[o.overCollected]).toMatchObject({ orderStatus: "closed", amountDue: { minor: 9_000, currency: "CNY" }, paid: { minor: 10_800, currency: "CNY" } });

    // Each difference announced once, keyed by its order (it lands in that order's dossier); the run, store-level, with its counts.
    const found = await billingEventsOf(EventTypes.ReconciliationDifferenceFound);
    expect(found.map((f) => f.key).sort()).toEqual(Object.keys(expected).sort());
    const [completed] = await billingEventsOf(EventTypes.ReconciliationCompleted);
    expect(completed!.key).toBe("");
    expect(completed!.event.payload).toMatchObject({ reconciliationId: first.reconciliationId, differencesFound: 9, newDifferences: 9, openDifferences: 9, balanced: false });
  });

  it("answers a retry under the same request id with the same run, and refuses the id for another period", async () => {
    const again = await reconcile("run-1");
    expect(again.reconciliationId).toBe(first.reconciliationId);
    await expect(reconcile("run-1", { until: new Date(Date.parse(period.until) + 60_000).toISOString() })).rejects.toMatchObject({ kind: "conflict", code: "reconciliation.request-id-reused" });
    expect(await billingEventsOf(EventTypes.ReconciliationCompleted)).toHaveLength(1);
  });

  it("refuses the id when a run of another period under it commits while this one records, and announces nothing", async () => {
    const storeId = `store-${randomUUID()}`;
    const other = { from: new Date(Date.parse(period.from) - 86_400_000).toISOString(), until: period.from };
    // The first run under the id is still recording when the second reaches its own period's lock, which is not the first's.
    const racing = whileHolding(under.billing.runtime.pool, {
      hold: (tx) =>
        tx.query(
          `INSERT INTO reconciliations (reconciliation_id, store_id, period_from, period_until, request_id, started_by, orders_compared, differences_found, resolved_by_data)
           VALUES ($1, $2, $3, $4, 'twin-1', 'staff:staff-fin', 0, 0, 0)`,
          [randomUUID(), storeId, other.from, other.until],
        ),
      send: () => reconcile("twin-1", { storeId }),
      blockedSessions: 1,
    });
    await expect(racing).rejects.toMatchObject({ kind: "conflict", code: "reconciliation.request-id-reused" });
    const completed = await billingEventsOf(EventTypes.ReconciliationCompleted);
    expect(completed.filter((c) => c.event.storeId === storeId)).toEqual([]);
  });

  it("refuses a bad request by field, and anyone but a finance clerk", async () => {
    await expect(reconcile("", { from: "yesterday" })).rejects.toMatchObject({ kind: "validation", fields: expect.arrayContaining([expect.objectContaining({ field: "requestId" }), expect.objectContaining({ field: "from" })]) });
    await expect(reconcile("run-x", { until: new Date(Date.parse(period.from) + 40 * 86_400_000).toISOString() })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "until" })] });
    await expect(reconcile("run-x", { callerRole: "store-manager" })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(reconcile("daily:2026-12-07")).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "requestId" })] });
    const difference = first.differences[0]!;
    await expect(explain(first, difference, { correction: "made-up" })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "correction" })] });
    await expect(explain(first, difference, { note: " " })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "note" })] });
    await expect(explain(first, { ...difference, differenceId: randomUUID() })).rejects.toMatchObject({ kind: "not-found" });
    await expect(explain(first, difference, { callerRole: "auditor" })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("records a clerk's explanation, who and when, once under its id; another text under the id is refused", async () => {
    const difference = byOrder(first)[o.overCollected]!;
    const explained = await explain(first, difference);
    const now = byOrder(explained)[o.overCollected]!;
    expect(now.state).toBe("explained");
    expect(now.explanations).toEqual([expect.objectContaining({ correction: "refund-issued", explainedBy: `staff:${clerk.callerId}`, explanationId: `x-${difference.differenceId}` })]);
    expect(explained.openDifferences).toBe(8);
    expect(byOrder(await explain(first, difference))[o.overCollected]!.explanations).toHaveLength(1);
    await expect(explain(first, difference, { note: "something else" })).rejects.toMatchObject({ kind: "conflict", code: "reconciliation.explanation-id-reused" });
    const announced = await billingEventsOf(EventTypes.ReconciliationDifferenceExplained);
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ key: o.overCollected, event: { payload: { differenceId: difference.differenceId, correction: "refund-issued", periodBalanced: false } } });
  });

  it("a rerun does not reopen what was explained nor announce it again, and marks what the data corrected resolved", async () => {
    // The closure billing missed arrives: the order is invoiced, its difference gone.
    await billingHears(closed(o.closedWithoutInvoice));
    const rerun = await reconcile("run-2");
    expect(rerun.reconciliationId).not.toBe(first.reconciliationId);
    expect(rerun.resolvedByData).toBe(1);
    expect(byOrder(rerun)[o.closedWithoutInvoice]).toBeUndefined();
    expect(byOrder(rerun)[o.overCollected]).toMatchObject({ state: "explained", differenceId: byOrder(first)[o.overCollected]!.differenceId });
    expect(rerun).toMatchObject({ differencesFound: 8, openDifferences: 7, balanced: false });
    // The first run shows it as resolved by the data, no longer open.
    const firstNow = await under.query.getReconciliation({ reconciliationId: first.reconciliationId });
    expect(byOrder(firstNow)[o.closedWithoutInvoice]).toMatchObject({ state: "resolved-by-data" });
    expect(firstNow.openDifferences).toBe(7);
    // Nothing found again is announced again.
    expect(await billingEventsOf(EventTypes.ReconciliationDifferenceFound)).toHaveLength(9);
  });

  it("is balanced once every difference is explained, and a rerun stays balanced", async () => {
    let latest = await under.query.getReconciliation({ reconciliationId: (await reconcile("run-2")).reconciliationId });
    const open = latest.differences.filter((d) => d.state === "open");
    for (const difference of open) {
      latest = await explain(latest, difference, { correction: "written-off", note: "written off with the finance manager's approval A-7" });
    }
    expect(latest).toMatchObject({ balanced: true, openDifferences: 0 });
    // Only the last explanation balanced the period (the topic's partitions do not keep one order across orders: by id).
    const balancing = (await billingEventsOf(EventTypes.ReconciliationDifferenceExplained)).filter((e) => (e.event.payload as { periodBalanced: boolean }).periodBalanced);
    expect(balancing.map((e) => e.key)).toEqual([open.at(-1)!.orderId]);
    const third = await reconcile("run-3");
    expect(third).toMatchObject({ balanced: true, differencesFound: 8, openDifferences: 0 });
    expect(third.differences.every((d) => d.state === "explained")).toBe(true);
    const listed = await under.query.listReconciliations({ storeId: "store-test", from: period.from, until: period.until, pageSize: 0, pageToken: "" });
    expect(listed.reconciliations.map((r) => r.requestId)).toEqual(["run-3", "run-2", "run-1"]);
    expect(listed.reconciliations.map((r) => r.balanced)).toEqual([true, true, true]);
  });

  it("records billing's money as it stands once the period is the run's, not as it stood before the run waited for it", async () => {
    const orderId = randomUUID();
    await billingHears(orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite));
    under.orders.set(orderId, orderFigures(orderId, "cancelled"));
    const before = await reconcile("queued-0");
    expect(byOrder(before)[orderId]).toMatchObject({ kind: "kept-after-cancellation", state: "open" });

    // Another run holds the period while the cancellation's refund commits; this run, queued behind it, records after both.
    const queued = await whileHolding(under.billing.runtime.pool, {
      hold: async (tx) => {
        await reconciliationRepository.lockPeriod(tx, { storeId: "store-test", from: new Date(period.from), until: new Date(period.until) });
        await tx.query(
          `INSERT INTO refunds (refund_id, order_id, amount_minor, currency, method, source, reason, trigger, reference, issued_by)
           VALUES ($1, $2, 10800, 'CNY', 'third-party', 'prepayment', 'order cancelled', 'cancellation', $3, 'system:billing')`,
          [randomUUID(), orderId, `cancellation:${orderId}`],
        );
      },
      send: () => reconcile("queued-1"),
      blockedSessions: 1,
    });
    expect(byOrder(queued)[orderId]).toBeUndefined();
    expect(byOrder(await under.query.getReconciliation({ reconciliationId: before.reconciliationId }))[orderId]).toMatchObject({ state: "resolved-by-data" });
  });
});

describe("a reconciliation's carrier money (ADR 017, second carrier addendum)", () => {
  it("shows the period's settled claims, what they made due and still await, and the carriers' payments booked in it, beside the orders", async () => {
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    const settled = (caseId: string, recoveredMinor: number) =>
      newEvent(
        EventTypes.CarrierClaimSettled,
        { caseId, claimedMinor: 9_000, recoveredMinor, carrier: "SF Express", carrierReference: "", currency: "CNY" },
        { producer: "after-sales", orderId: randomUUID(), storeId, actor: financeClerk },
      );
    const [first, second] = [settled(`case-${randomUUID()}`, 6_000), settled(`case-${randomUUID()}`, 1_500)];
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [first, second]);
    await consumed(under.billing.runtime.pool, first, second);
    await under.commands.recordCarrierReceipt({ caseId: first.payload.caseId, amountMinor: 2_000, reference: `BANK-${randomUUID()}`, ...clerk });
    const wrong = `BANK-${randomUUID()}`;
    await under.commands.recordCarrierReceipt({ caseId: second.payload.caseId, amountMinor: 1_500, reference: wrong, ...clerk });
    // Reversed as booked in error (third carrier addendum): shown beside the receipts, and owed again.
    await under.commands.reverseCarrierReceipt({ caseId: second.payload.caseId, reference: wrong, reason: "booked on the wrong claim", ...clerk });

    const run = await reconcile(`carriers-${storeId}`, { storeId });
    expect(run.carrierRecoveries).toEqual({
      settled: 2,
      due: { minor: 7_500, currency: "CNY" },
      receipts: 2,
      received: { minor: 3_500, currency: "CNY" },
      outstanding: { minor: 5_500, currency: "CNY" },
      reversals: 1,
      reversed: { minor: 1_500, currency: "CNY" },
    });
    // Never a difference of an order: the carrier's money is the chain's, not the order's.
    expect(run.differences).toEqual([]);
    const later = { from: period.until, until: new Date(Date.parse(period.until) + 3_600_000).toISOString() };
    expect((await reconcile(`carriers-later-${storeId}`, { storeId, ...later })).carrierRecoveries).toMatchObject({ settled: 0, receipts: 0, due: { minor: 0 } });
  });
});
