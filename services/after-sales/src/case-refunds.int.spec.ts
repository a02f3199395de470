import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesRefundReference, newEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { agent, knownOrder, newStore, openRequest, unseen, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * What went back for a resolved case (ADR 017, addendum), on the real Kafka and Postgres:
 * billing's RefundIssued for the case (published here as billing would) is counted on it once
 * by its refund id, however often heard; its CaseRefundShortfall is kept once; the rest of
 * billing's news (other orders' money, refunds of a cancellation) is passed over without an
 * inbox row. The case view and the worklist of short refunds show it.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;
const storeId = newStore();
const fromBilling = (orderId: string) => ({ producer: "billing", orderId, storeId, actor: { kind: "staff", id: "cs-1", role: "customer-service" } as const });
const cny = (minor: number) => ({ minor, currency: "CNY" });

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

/** A return resolved with `refundMinor` going back. */
async function resolvedReturn(refundMinor: number): Promise<{ orderId: string; caseId: string }> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId);
  await clients.commands.openCase(ask);
  await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "kettle taken back", cause: "product", refundMinor });
  return { orderId, caseId: ask.caseId };
}

function refundIssued(orderId: string, reference: string, amountMinor: number, trigger = "after-sales") {
  return newEvent(
    EventTypes.RefundIssued,
    { refundId: randomUUID(), amount: cny(amountMinor), method: "third-party", reason: "after-sales return", trigger, source: "prepayment", refundedTotal: cny(amountMinor), paidTotal: cny(10_800), reference },
    fromBilling(orderId),
  );
}

const shortfall = (orderId: string, caseId: string, requestedMinor: number, refundedMinor: number, reason: string) =>
  newEvent(EventTypes.CaseRefundShortfall, { caseId, requested: cny(requestedMinor), refunded: cny(refundedMinor), reason }, fromBilling(orderId));

async function inboxRows(eventIds: string[]): Promise<number> {
  const { rows } = await afterSales.runtime.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM processed_events WHERE event_id = ANY($1)", [eventIds]);
  return rows[0]!.n;
}

const listShort = async (filter: { storeId?: string } = {}) =>
  (await clients.query.listCases({ storeId: filter.storeId ?? "", orderId: "", status: "", kind: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: true, replacementLate: false, inRework: false, ...unseen })).cases.map((c) => c.caseId);

describe("the money that went back for a case", () => {
  it("counts each of billing's refunds of the case once, keeps its shortfall once, and passes the rest of billing's news over", async () => {
    const { orderId, caseId } = await resolvedReturn(9_000);
    const first = refundIssued(orderId, afterSalesRefundReference(caseId), 6_000);
    const second = refundIssued(orderId, afterSalesRefundReference(caseId), 800);
    // The same refund again under another event id (a copy billing's relay sent after a crash would keep its id; this one does not).
    const sameRefundAgain = { ...second, eventId: randomUUID() };
    const short = shortfall(orderId, caseId, 9_000, 6_800, "already refunded: 4000 of the 10800 paid went back before, 6800 was left");
    const shortAgain = { ...shortfall(orderId, caseId, 9_000, 0, "nothing paid on the order yet"), eventId: randomUUID() };
    // None of the case's business: a cancellation's refund of the same order, a payment confirmed.
    const cancellationRefund = refundIssued(orderId, `cancellation:${randomUUID()}`, 10_800, "cancellation");
    const payment = newEvent(EventTypes.PaymentConfirmed, { settlementId: "s-1", paymentId: "p-1", amount: cny(10_800), method: "bank-transfer" }, fromBilling(orderId));
    await publishEvents(namespace.name, Topics.billingSettlement, [cancellationRefund, payment, first, first, second, sameRefundAgain, short, short, shortAgain]);

    const seen = await eventually(async () => {
      const c = await clients.query.getCase({ caseId, ...unseen });
      return c.refundShortfall && (await inboxRows([shortAgain.eventId])) === 1 ? c : undefined;
    });
    expect(seen).toMatchObject({
      status: "resolved",
      refundMinor: 9_000,
      refundedMinor: 6_800,
      refundShortfall: { requestedMinor: 9_000, refundedMinor: 6_800, reason: "already refunded: 4000 of the 10800 paid went back before, 6800 was left", at: short.occurredAt.toISOString() },
    });
    expect(await inboxRows([cancellationRefund.eventId, payment.eventId])).toBe(0);
    const { rows } = await afterSales.runtime.pool.query("SELECT refund_id, amount_minor::int AS amount FROM case_refunds WHERE case_id = $1 ORDER BY amount_minor DESC", [caseId]);
    expect(rows).toEqual([
      { refund_id: first.payload.refundId, amount: 6_000 },
      { refund_id: second.payload.refundId, amount: 800 },
    ]);
    expect(await listShort({ storeId })).toContain(caseId);
  });

  it("shows a case refunded in full without a shortfall, off the worklist; the worklist spans every store when none is named", async () => {
    const { orderId, caseId } = await resolvedReturn(4_000);
    const whole = refundIssued(orderId, afterSalesRefundReference(caseId), 4_000);
    const short = await resolvedReturn(2_000);
    const nothingPaid = shortfall(short.orderId, short.caseId, 2_000, 0, "nothing paid on the order yet");
    await publishEvents(namespace.name, Topics.billingSettlement, [whole, nothingPaid]);
    const seen = await eventually(async () => {
      const c = await clients.query.getCase({ caseId, ...unseen });
      return c.refundedMinor > 0 && (await inboxRows([nothingPaid.eventId])) === 1 ? c : undefined;
    });
    expect(seen.refundedMinor).toBe(4_000);
    expect(seen.refundShortfall).toBeUndefined();
    const unpaid = await clients.query.getCase({ caseId: short.caseId, ...unseen });
    expect(unpaid).toMatchObject({ refundedMinor: 0, refundShortfall: { requestedMinor: 2_000, refundedMinor: 0, reason: "nothing paid on the order yet" } });

    const ofStore = await listShort({ storeId });
    expect(ofStore).toContain(short.caseId);
    expect(ofStore).not.toContain(caseId);
    expect(await listShort()).toContain(short.caseId);
    // Without the filter a store is still required.
    await expect(clients.query.listCases({ storeId: "", orderId: "", status: "", kind: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: false, replacementLate: false, inRework: false, ...unseen })).rejects.toMatchObject({ fields: [{ field: "storeId" }] });
  });
});
