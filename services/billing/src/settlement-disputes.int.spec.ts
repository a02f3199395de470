import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { createLogger } from "@oms/observability";
import { withTransaction } from "@oms/postgres";
import { disputeStatementsFromEnv } from "./app/disputes/dispute-statements.ts";
import { sealStoredStatements } from "./app/disputes/seal-stored-statements.ts";
import { escalateOverdueDispute } from "./app/disputes/escalate-overdue-dispute.ts";
import { disputeResponseTimer } from "./app/disputes/dispute-timer.ts";
import { type BillingUnderTest, byFulfillment, clerk, consumed, orderCreated, prepaidWebsite, settlementRequested, startTestBilling } from "./test-fixtures.ts";

// Settlement disputes on the real Postgres and Kafka (ADR 026): opened once per request id,
// bounded by the order's money, routed to the departments involved who add their findings,
// resolved by finance (upheld with a refund through the refund path, or rejected), and
// escalated to the store manager once when the answer runs late — never after it was resolved.
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const customerCaller = { callerKind: "customer", callerId: "cust-7", callerRole: "customer" };
const staff = (callerId: string, callerRole: string) => ({ callerKind: "staff", callerId, callerRole });
/** A query naming no caller: the statement stays sealed (empty) and no showing is logged (ADR 026, showings addendum). */
const unseen = { callerKind: "", callerId: "", callerRole: "", correlationId: "" };
/** A query as the gateway makes it for finance: the statement opened for them, the showing logged. */
const seenByFinance = { ...staff("fin-9", "finance"), correlationId: "" };

/** An order prepaid on the website, 10,800 CNY, once billing holds its money and settlement. */
async function prepaidOrder(): Promise<string> {
  const orderId = randomUUID();
  const events = [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, events);
  await consumed(under.billing.runtime.pool, ...events);
  return orderId;
}

const open = (orderId: string, fields: Partial<{ requestId: string; kind: string; amountMinor: number; statement: string }> = {}, caller = customerCaller) =>
  under.commands.openSettlementDispute({ orderId, requestId: "app-1", kind: "refund-missing", amountMinor: 2_000, statement: "the refund for the returned kettle never arrived", ...fields, ...caller });

const resolve = (disputeId: string, fields: Partial<{ outcome: string; correction: string; refundMinor: number; documentNumber: string; reason: string; customerAnswer: string }>) =>
  under.commands.resolveSettlementDispute({ disputeId, outcome: "", correction: "", refundMinor: 0, documentNumber: "", reason: "", customerAnswer: "", ...fields, ...clerk });

async function billingEventsOf(orderId: string, ...types: string[]): Promise<OrderEvent[]> {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.map((m) => decodeEvent(m.value!)).filter((e): e is OrderEvent => e?.orderId === orderId && types.includes(e.type));
}

describe("opening a settlement dispute", () => {
  it("opens once per request id, routes it by kind, starts its timer and announces it without the statement", async () => {
    const orderId = await prepaidOrder();
    const opened = await open(orderId);
    expect(opened).toMatchObject({
      orderId,
      storeId: "store-test",
      kind: "refund-missing",
      amount: { minor: 2_000, currency: "CNY" },
      status: "open",
      departments: ["finance", "warehouse"],
      openedBy: "customer:cust-7",
      findings: [],
    });
    expect(Date.parse(opened.respondBy) - Date.parse(opened.openedAt)).toBeCloseTo(72 * 3_600_000, -4);
    // A retry after a lost answer: the same dispute, nothing opened twice.
    expect((await open(orderId)).disputeId).toBe(opened.disputeId);
    await expect(open(orderId, { amountMinor: 3_000 })).rejects.toMatchObject({ kind: "conflict", code: "settlement-dispute.request-id-reused" });
    expect((await under.query.listSettlementDisputes({ orderId, storeId: "", status: "open", pageSize: 0, pageToken: "", orderIds: [], ...unseen })).disputes).toHaveLength(1);

    const announced = await billingEventsOf(orderId, EventTypes.SettlementDisputeOpened);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.payload).toEqual({ disputeId: opened.disputeId, kind: "refund-missing", amount: { minor: 2_000, currency: "CNY" }, departments: ["finance", "warehouse"], respondBy: opened.respondBy });
    expect(JSON.stringify(announced[0])).not.toContain("kettle");
    const { rows } = await under.billing.runtime.pool.query("SELECT due_at FROM timers WHERE kind = $1 AND timer_key = $2", [disputeResponseTimer, opened.disputeId]);
    expect(rows[0]?.due_at.toISOString()).toBe(opened.respondBy);
  });

  it("keeps the statement sealed at rest, bound to its dispute, and opens it only to show the dispute", async () => {
    const orderId = await prepaidOrder();
    const words = "Zhang Wei, account 6222 0202 0000 1234: the refund never arrived";
    const opened = await open(orderId, { requestId: "sealed-1", statement: words });
    expect(opened.statement).toBe(words);
    const pool = under.billing.runtime.pool;
    const { rows } = await pool.query<{ statement: string; statement_sealed: Buffer }>("SELECT statement, statement_sealed FROM settlement_disputes WHERE dispute_id = $1", [opened.disputeId]);
    expect(rows[0]!.statement).toBe("");
    expect(rows[0]!.statement_sealed.toString("latin1")).not.toContain("6222");
    // A retry compares with the opened words: the same answers as it is, other words are refused.
    expect((await open(orderId, { requestId: "sealed-1", statement: words })).disputeId).toBe(opened.disputeId);
    await expect(open(orderId, { requestId: "sealed-1", statement: "something else" })).rejects.toMatchObject({ code: "settlement-dispute.request-id-reused" });
    // Sealed under another dispute's id, it does not open: moved rows are refused, not shown.
    const { statements } = disputeStatementsFromEnv({});
    expect(() => statements.textOf("another-dispute", { sealed: rows[0]!.statement_sealed })).toThrow(/fails authentication/);
    // Keys of another deployment do not open it either.
    const { statements: elsewhere } = disputeStatementsFromEnv({ BILLING_PERSONAL_DATA_KEYS: `k9:${Buffer.alloc(32, 7).toString("base64")}` });
    expect(() => elsewhere.textOf(opened.disputeId, { sealed: rows[0]!.statement_sealed })).toThrow(/key dev/);
  });

  it("still shows, lists and moves on a dispute whose statement no key it holds opens, the statement left empty", async () => {
    const orderId = await prepaidOrder();
    const { disputeId } = await open(orderId, { requestId: "lost-key-1" });
    // Sealed under a key this billing does not hold (removed from BILLING_PERSONAL_DATA_KEYS too early).
    const { statements: removed } = disputeStatementsFromEnv({ BILLING_PERSONAL_DATA_KEYS: `gone:${Buffer.alloc(32, 9).toString("base64")}` });
    await under.billing.runtime.pool.query("UPDATE settlement_disputes SET statement_sealed = $2 WHERE dispute_id = $1", [disputeId, removed.seal(disputeId, "words nobody can open here")]);
    expect(await under.query.getSettlementDispute({ disputeId, ...seenByFinance })).toMatchObject({ disputeId, statement: "", status: "open" });
    // What the gateway asks before closing the order, and a department's finding: neither is stopped by the words.
    expect((await under.query.listSettlementDisputes({ orderId: "", storeId: "", status: "open", pageSize: 0, pageToken: "", orderIds: [orderId], ...seenByFinance })).disputes.map((d) => [d.disputeId, d.statement])).toEqual([[disputeId, ""]]);
    const found = await under.commands.addDisputeFinding({ disputeId, findingId: "wh-lost", finding: "nothing came back", ...staff("w-1", "warehouse-clerk") });
    expect(found.findings.map((f) => f.findingId)).toEqual(["wh-lost"]);
  });

  it("seals, at start, the statements of disputes stored before sealing, and still shows them", async () => {
    const orderId = await prepaidOrder();
    const opened = await open(orderId, { requestId: "legacy-1", statement: "sealed now, put back in the clear below" });
    const pool = under.billing.runtime.pool;
    // A row as migration 012 found it: the words in the clear, nothing sealed.
    await pool.query("UPDATE settlement_disputes SET statement = $2, statement_sealed = NULL WHERE dispute_id = $1", [opened.disputeId, "kept in the clear before the upgrade"]);
    expect((await under.query.getSettlementDispute({ disputeId: opened.disputeId, ...seenByFinance })).statement).toBe("kept in the clear before the upgrade");
    await expect(pool.query("UPDATE settlement_disputes SET statement = '' WHERE dispute_id = $1", [opened.disputeId])).rejects.toThrow(/statement_sealed_or_clear/);

    const { statements } = disputeStatementsFromEnv({});
    expect(await sealStoredStatements(pool, statements, createLogger({ service: "billing-test", level: "silent", pretty: false }))).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM settlement_disputes WHERE statement_sealed IS NULL OR statement <> ''");
    expect(rows[0]!.n).toBe(0);
    expect((await under.query.getSettlementDispute({ disputeId: opened.disputeId, ...seenByFinance })).statement).toBe("kept in the clear before the upgrade");
  });

  it("is refused above the order's money, without a statement, for an order billing does not know, and for staff who do not open disputes", async () => {
    const orderId = await prepaidOrder();
    await expect(open(orderId, { requestId: "too-much", amountMinor: 10_801, statement: " " })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "amountMinor", message: expect.stringContaining("at most 10800 CNY") }), expect.objectContaining({ field: "statement" })],
    });
    await expect(open(orderId, { requestId: "odd", kind: "weather" })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "kind" })] });
    await expect(open(randomUUID())).rejects.toMatchObject({ kind: "not-found", code: "settlement-dispute.order-unknown" });
    await expect(open(orderId, { requestId: "by-clerk" }, staff("w-1", "warehouse-clerk"))).rejects.toMatchObject({ kind: "forbidden" });
    // The whole of it may be disputed (a chargeback of the full payment), by the store manager too.
    expect(await open(orderId, { requestId: "cb-1", kind: "chargeback", amountMinor: 10_800 }, staff("sm-1", "store-manager"))).toMatchObject({ departments: ["finance", "delivery", "store"] });
  });
});

describe("handling a dispute with the departments involved", () => {
  it("takes a finding from each department involved, append-only and once per finding id, and refuses departments not involved", async () => {
    const orderId = await prepaidOrder();
    const { disputeId } = await open(orderId, { requestId: "cb-2", kind: "chargeback", amountMinor: 10_800 });
    const add = (findingId: string, finding: string, caller: ReturnType<typeof staff>) => under.commands.addDisputeFinding({ disputeId, findingId, finding, ...caller });

    await add("f-fin", "payment captured 10800 by the provider on the order day", staff("fin-1", "finance"));
    await add("f-del", "signed for at the front door, photo on file", staff("rider-1", "rider"));
    const last = await add("f-store", "the customer took the goods in person", staff("sm-1", "store-manager"));
    expect(last.findings).toMatchObject([
      { findingId: "f-fin", department: "finance", recordedBy: "staff:fin-1" },
      { findingId: "f-del", department: "delivery", recordedBy: "staff:rider-1" },
      { findingId: "f-store", department: "store", recordedBy: "staff:sm-1", finding: "the customer took the goods in person" },
    ]);
    // A retry adds nothing; the same id with other words is refused.
    expect((await add("f-del", "signed for at the front door, photo on file", staff("rider-1", "rider"))).findings).toHaveLength(3);
    await expect(add("f-del", "left with a neighbour", staff("rider-1", "rider"))).rejects.toMatchObject({ kind: "conflict", code: "settlement-dispute.finding-id-reused" });
    await expect(add("f-wh", "nothing came back", staff("w-1", "warehouse-clerk"))).rejects.toMatchObject({ kind: "forbidden", code: "settlement-dispute.department-not-involved" });
    await expect(under.billing.runtime.pool.query("DELETE FROM dispute_findings WHERE dispute_id = $1", [disputeId])).rejects.toThrow(/never changed or removed/);

    const added = await billingEventsOf(orderId, EventTypes.SettlementDisputeFindingAdded);
    expect(added.map((e) => e.payload)).toMatchObject([
      { findingId: "f-fin", department: "finance", departmentsPending: ["delivery", "store"] },
      { findingId: "f-del", department: "delivery", departmentsPending: ["store"] },
      { findingId: "f-store", department: "store", departmentsPending: [] },
    ]);
    expect(JSON.stringify(added)).not.toContain("photo on file");
  });

  it("is upheld with a refund through billing's refund path, linked by id, once; the warehouse's finding comes first", async () => {
    const orderId = await prepaidOrder();
    const { disputeId } = await open(orderId);
    await under.commands.addDisputeFinding({ disputeId, findingId: "wh-1", finding: "return RET-7 received and restocked on the 3rd", ...staff("w-1", "warehouse-clerk") });
    const upheld = { outcome: "upheld", correction: "refund", refundMinor: 2_000, reason: "return received, refund never issued", customerAnswer: "We are sorry: your 20.00 refund is on its way." };
    const resolved = await resolve(disputeId, upheld);
    expect(resolved).toMatchObject({ status: "resolved", resolution: { outcome: "upheld", correction: "refund", refunded: { minor: 2_000, currency: "CNY" }, resolvedBy: "staff:staff-fin" } });
    const refunds = await under.query.listRefunds({ orderId });
    expect(refunds.refunds).toMatchObject([{ amount: { minor: 2_000 }, trigger: "finance", reference: `dispute:${disputeId}`, source: "prepayment" }]);
    expect(resolved.resolution!.refundIds).toEqual([refunds.refunds[0]!.refundId]);

    // A retry refunds nothing more; another resolution is refused; the dispute takes no more findings.
    expect((await resolve(disputeId, upheld)).resolution!.refundIds).toHaveLength(1);
    await expect(resolve(disputeId, { outcome: "rejected", reason: "changed my mind", customerAnswer: "no" })).rejects.toMatchObject({ kind: "conflict", code: "settlement-dispute.already-resolved" });
    expect((await under.query.listRefunds({ orderId })).refundedTotal).toEqual({ minor: 2_000, currency: "CNY" });
    await expect(under.commands.addDisputeFinding({ disputeId, findingId: "late", finding: "x", ...staff("fin-1", "finance") })).rejects.toMatchObject({ kind: "illegal-state" });

    const events = await billingEventsOf(orderId, EventTypes.SettlementDisputeResolved, EventTypes.RefundIssued);
    expect(events.map((e) => e.type)).toEqual([EventTypes.RefundIssued, EventTypes.SettlementDisputeResolved]);
    expect(events[1]!.payload).toMatchObject({ disputeId, outcome: "upheld", correction: "refund", refunded: { minor: 2_000 }, refundIds: resolved.resolution!.refundIds });
    expect(JSON.stringify(events[1])).not.toContain("sorry");
    // Its timer is called off.
    const { rows } = await under.billing.runtime.pool.query("SELECT cancelled_at FROM timers WHERE kind = $1 AND timer_key = $2", [disputeResponseTimer, disputeId]);
    expect(rows[0]?.cancelled_at).not.toBeNull();
  });

  it("refuses an upheld refund beyond the amount in dispute or what is left to refund, and rejects with a reason", async () => {
    const orderId = await prepaidOrder();
    const { disputeId } = await open(orderId, { requestId: "amt-1", kind: "amount", amountMinor: 1_000 });
    await expect(resolve(disputeId, { outcome: "upheld", correction: "refund", refundMinor: 1_001, customerAnswer: "ok" })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "refundMinor" })],
    });
    await expect(resolve(disputeId, { outcome: "rejected", customerAnswer: "no" })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "reason" })] });
    await expect(resolve(disputeId, { outcome: "upheld", correction: "invoice-correction", documentNumber: "store-test-999999", customerAnswer: "ok" })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "documentNumber" })],
    });
    const rejected = await resolve(disputeId, { outcome: "rejected", reason: "the price list of the day shows 108.00", customerAnswer: "The price charged was the price listed that day." });
    expect(rejected).toMatchObject({ status: "resolved", resolution: { outcome: "rejected", reason: "the price list of the day shows 108.00", refundIds: [], refunded: { minor: 0 } } });
    expect((await under.query.listRefunds({ orderId })).refunds).toEqual([]);
    expect((await billingEventsOf(orderId, EventTypes.SettlementDisputeResolved)).map((e) => e.payload)).toMatchObject([{ outcome: "rejected", correction: "" }]);
  });

  it("credits an invoiced order's upheld refund with a credit note against its invoice", async () => {
    const orderId = await prepaidOrder();
    const closed = newEvent(
      EventTypes.OrderStatusChanged,
      { fromStatus: "settled", toStatus: "closed", reason: "finance checked all money", carrier: "", trackingNumber: "", holdReason: "" },
      byFulfillment(orderId),
    );
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [closed]);
    await consumed(under.billing.runtime.pool, closed);
    const { disputeId } = await open(orderId, { requestId: "inv-1", kind: "amount", amountMinor: 800 });
    const resolved = await resolve(disputeId, { outcome: "upheld", correction: "refund", refundMinor: 800, reason: "shipping charged on a pick-up", customerAnswer: "The shipping fee is refunded." });
    const invoices = await under.query.listInvoices({ orderId });
    expect(invoices.invoices.map((d) => d.kind)).toEqual(["invoice", "credit-note"]);
    expect(resolved.resolution!.creditNotes).toEqual([invoices.invoices[1]!.invoiceNumber]);
    expect(invoices.netTotal).toEqual({ minor: 10_000, currency: "CNY" });
  });
});

describe("a dispute's respond-by time", () => {
  const dueNow = (disputeId: string) => under.billing.runtime.pool.query("UPDATE timers SET due_at = now() WHERE kind = $1 AND timer_key = $2", [disputeResponseTimer, disputeId]);

  it("escalates an unresolved dispute to the store manager once", async () => {
    const orderId = await prepaidOrder();
    const { disputeId } = await open(orderId, { requestId: "late-1", kind: "payment-missing", amountMinor: 500 });
    await dueNow(disputeId);
    const escalated = await eventually(async () => {
      const [d] = (await under.query.listSettlementDisputes({ orderId, storeId: "", status: "", pageSize: 0, pageToken: "", orderIds: [], ...unseen })).disputes;
      return d?.escalatedAt ? d : undefined;
    });
    expect(escalated.status).toBe("open");
    // Fired once: asked again (a refire after a crash), nothing more is escalated.
    expect(await withTransaction(under.billing.runtime.pool, (tx) => escalateOverdueDispute(tx, under.billing.runtime.outbox, disputeId))).toBe(false);
    const announced = await billingEventsOf(orderId, EventTypes.SettlementDisputeEscalated);
    expect(announced.map((e) => e.payload)).toEqual([{ disputeId, kind: "payment-missing", respondBy: escalated.respondBy, escalatedTo: "store-manager" }]);
    expect(announced[0]!.actor).toMatchObject({ kind: "system", id: "billing" });
  });

  it("never escalates a dispute resolved before it", async () => {
    const orderId = await prepaidOrder();
    const { disputeId } = await open(orderId, { requestId: "early-1", kind: "invoice", amountMinor: 500 });
    await resolve(disputeId, { outcome: "rejected", reason: "the invoice is issued when the order is closed", customerAnswer: "Your invoice follows when the order is closed." });
    await dueNow(disputeId);
    expect(await withTransaction(under.billing.runtime.pool, (tx) => escalateOverdueDispute(tx, under.billing.runtime.outbox, disputeId))).toBe(false);
    await new Promise((done) => setTimeout(done, 2_500));
    const [d] = (await under.query.listSettlementDisputes({ orderId, storeId: "", status: "", pageSize: 0, pageToken: "", orderIds: [], ...unseen })).disputes;
    expect(d?.escalatedAt).toBe("");
    expect(await billingEventsOf(orderId, EventTypes.SettlementDisputeEscalated)).toEqual([]);
  });

  it("is resolved while a poller holds its timer, without waiting for the poller or deadlocking with it, and the timer then escalates nothing", async () => {
    const orderId = await prepaidOrder();
    const { disputeId } = await open(orderId, { requestId: "racing-1", kind: "invoice", amountMinor: 500 });
    const { pool, outbox } = under.billing.runtime;
    // A poller's transaction: it claims the due timer's row first, then runs the handler, which takes the dispute's.
    const poller = await pool.connect();
    let committed = false;
    try {
      await poller.query("BEGIN");
      await poller.query("SELECT id FROM timers WHERE kind = $1 AND timer_key = $2 FOR UPDATE", [disputeResponseTimer, disputeId]);
      const resolving = resolve(disputeId, { outcome: "rejected", reason: "the invoice follows the closure", customerAnswer: "Your invoice follows when the order is closed." });
      const answered = await Promise.race([resolving, new Promise<"still waiting">((done) => setTimeout(() => done("still waiting"), 3_000))]);
      expect(answered).toMatchObject({ status: "resolved", resolution: { outcome: "rejected" } });
      expect(await escalateOverdueDispute(poller, outbox, disputeId)).toBe(false);
      await poller.query("COMMIT");
      committed = true;
    } finally {
      if (!committed) await poller.query("ROLLBACK").catch(() => {});
      poller.release();
    }
    const [d] = (await under.query.listSettlementDisputes({ orderId, storeId: "", status: "", pageSize: 0, pageToken: "", orderIds: [], ...unseen })).disputes;
    expect(d).toMatchObject({ status: "resolved", escalatedAt: "" });
    expect(await billingEventsOf(orderId, EventTypes.SettlementDisputeEscalated)).toEqual([]);
  });
});
