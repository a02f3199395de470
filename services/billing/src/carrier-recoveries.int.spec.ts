import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { publishEvents, readEveryPage, readTopic } from "@oms/testing";
import { type BillingUnderTest, clerk, consumed, startTestBilling } from "./test-fixtures.ts";

// Money a carrier owes on a settled claim (ADR 017, second carrier addendum): recorded once per
// case from after-sales' CarrierClaimSettled, and finance books the carrier's payments against
// it, never more than agreed, each reference once, each receipt announced once.
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const finance = { kind: "staff" as const, id: "fin-1", role: "finance" };
const storeId = `store-${randomUUID().slice(0, 8)}`;

function claimSettled(caseId: string, recoveredMinor: number, more: { carrierReference?: string; orderId?: string; storeId?: string; occurredAt?: Date } = {}) {
  const event = newEvent(
    EventTypes.CarrierClaimSettled,
    { caseId, claimedMinor: 12_000, recoveredMinor, carrier: "SF Express", carrierReference: more.carrierReference ?? "SF123", currency: "CNY" },
    { producer: "after-sales", orderId: more.orderId ?? randomUUID(), storeId: more.storeId ?? storeId, actor: finance },
  );
  return more.occurredAt ? { ...event, occurredAt: more.occurredAt } : event;
}

async function settledClaims(...events: OrderEvent[]): Promise<void> {
  await publishEvents(under.namespace.name, Topics.afterSalesCase, events);
  await consumed(under.billing.runtime.pool, ...events);
}

async function receiptsAnnounced(caseId: string): Promise<OrderEvent[]> {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages
    .flatMap((m) => (m.value ? [decodeEvent(m.value)] : []))
    .filter((e): e is OrderEvent => !!e && e.type === EventTypes.CarrierRecoveryReceived && e.payload.caseId === caseId);
}

const receipt = (caseId: string, amountMinor: number, reference: string) => ({ caseId, amountMinor, reference, ...clerk });

describe("money recovered from carriers", () => {
  it("is due once per settled claim, however often the settlement is heard", async () => {
    const caseId = `case-${randomUUID()}`;
    const settled = claimSettled(caseId, 8_000);
    await settledClaims(settled, { ...settled, eventId: randomUUID() });
    const { recoveries } = await under.query.listCarrierRecoveries({ storeId, outstandingOnly: false, overdueOnly: false, limit: 0, pageSize: 0, pageToken: "" });
    const mine = recoveries.filter((r) => r.caseId === caseId);
    expect(mine).toEqual([
      {
        caseId,
        orderId: settled.orderId,
        storeId,
        carrier: "SF Express",
        carrierReference: "SF123",
        due: { minor: 8_000, currency: "CNY" },
        received: { minor: 0, currency: "CNY" },
        outstanding: { minor: 8_000, currency: "CNY" },
        status: "due",
        settledAt: settled.occurredAt.toISOString(),
        receipts: [],
        dueBy: new Date(settled.occurredAt.getTime() + 30 * 86_400_000).toISOString(),
        overdue: false,
      },
    ]);
  });

  it("takes partial payments up to what was agreed, each reference once, a retry answering as it stands, each receipt announced once", async () => {
    const caseId = `case-${randomUUID()}`;
    await settledClaims(claimSettled(caseId, 8_000));
    const first = await under.commands.recordCarrierReceipt(receipt(caseId, 3_000, "BANK-A-1"));
    expect(first).toMatchObject({ status: "partly-received", received: { minor: 3_000 }, outstanding: { minor: 5_000 } });
    expect(first.receipts).toMatchObject([{ reference: "BANK-A-1", amount: { minor: 3_000, currency: "CNY" }, receivedBy: "staff:staff-fin" }]);
    expect(await under.commands.recordCarrierReceipt(receipt(caseId, 3_000, " BANK-A-1 "))).toEqual(first);

    await expect(under.commands.recordCarrierReceipt(receipt(caseId, 3_500, "BANK-A-1"))).rejects.toMatchObject({ code: "carrier-recovery.reference-reused" });
    await expect(under.commands.recordCarrierReceipt(receipt(caseId, 5_001, "BANK-A-2"))).rejects.toMatchObject({ kind: "illegal-state", code: "carrier-recovery.more-than-owed" });
    const full = await under.commands.recordCarrierReceipt(receipt(caseId, 5_000, "BANK-A-2"));
    expect(full).toMatchObject({ status: "received", received: { minor: 8_000 }, outstanding: { minor: 0 } });
    expect(full.receipts.map((r) => r.reference)).toEqual(["BANK-A-1", "BANK-A-2"]);
    // The payment that completed it, sent again after a lost answer, is still a retry.
    expect(await under.commands.recordCarrierReceipt(receipt(caseId, 5_000, "BANK-A-2"))).toEqual(full);
    await expect(under.commands.recordCarrierReceipt(receipt(caseId, 1, "BANK-A-3"))).rejects.toMatchObject({ code: "carrier-recovery.more-than-owed" });

    // Another case's payment under a reference already booked is refused: the same bank line counted twice.
    const other = `case-${randomUUID()}`;
    await settledClaims(claimSettled(other, 2_000));
    await expect(under.commands.recordCarrierReceipt(receipt(other, 3_000, "BANK-A-1"))).rejects.toMatchObject({ code: "carrier-recovery.reference-reused" });

    const announced = await receiptsAnnounced(caseId);
    expect(announced.map((e) => e.type === EventTypes.CarrierRecoveryReceived && [e.payload.reference, e.payload.received?.minor, e.payload.receivedTotal?.minor, e.payload.status])).toEqual([
      ["BANK-A-1", 3_000, 3_000, "partly-received"],
      ["BANK-A-2", 5_000, 8_000, "received"],
    ]);
    expect(announced[0]).toMatchObject({ producer: "billing", storeId, actor: { kind: "staff", id: "staff-fin" }, payload: { carrier: "SF Express", due: { minor: 8_000, currency: "CNY" } } });

    const outstanding = await under.query.listCarrierRecoveries({ storeId, outstandingOnly: true, overdueOnly: false, limit: 0, pageSize: 0, pageToken: "" });
    expect(outstanding.recoveries.some((r) => r.caseId === caseId)).toBe(false);
    expect(outstanding.recoveries.some((r) => r.caseId === other)).toBe(true);
  });

  it("books two payments racing for the last of what is owed one after the other: one of them is refused", async () => {
    const caseId = `case-${randomUUID()}`;
    await settledClaims(claimSettled(caseId, 4_000));
    const results = await Promise.allSettled(["X", "Y"].map((who) => under.commands.recordCarrierReceipt(receipt(caseId, 3_000, `BANK-RACE-${who}-${caseId}`))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "carrier-recovery.more-than-owed" } });
    const { recoveries } = await under.query.listCarrierRecoveries({ storeId, outstandingOnly: true, overdueOnly: false, limit: 0, pageSize: 0, pageToken: "" });
    expect(recoveries.find((r) => r.caseId === caseId)).toMatchObject({ received: { minor: 3_000 }, outstanding: { minor: 1_000 }, receipts: [{ amount: { minor: 3_000 } }] });
  });

  it("books one reference sent for two cases at once on one of them only: the other is refused as reused, nothing announced for it", async () => {
    const [first, second] = [`case-${randomUUID()}`, `case-${randomUUID()}`];
    await settledClaims(claimSettled(first, 5_000), claimSettled(second, 5_000));
    const reference = `BANK-TWICE-${randomUUID()}`;
    const results = await Promise.allSettled([first, second].map((caseId) => under.commands.recordCarrierReceipt(receipt(caseId, 1_000, reference))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "carrier-recovery.reference-reused" } });
    const { recoveries } = await under.query.listCarrierRecoveries({ storeId, outstandingOnly: false, overdueOnly: false, limit: 500, pageSize: 0, pageToken: "" });
    const booked = recoveries.filter((r) => r.caseId === first || r.caseId === second).flatMap((r) => r.receipts.map((x) => x.reference));
    expect(booked).toEqual([reference]);
    expect([...(await receiptsAnnounced(first)), ...(await receiptsAnnounced(second))]).toHaveLength(1);
  });

  it("keeps its receipts for good: the trail refuses to be changed or emptied", async () => {
    const caseId = `case-${randomUUID()}`;
    await settledClaims(claimSettled(caseId, 2_000));
    await under.commands.recordCarrierReceipt(receipt(caseId, 500, `BANK-KEPT-${caseId}`));
    const pool = under.billing.runtime.pool;
    await expect(pool.query("UPDATE carrier_recovery_receipts SET amount_minor = 1 WHERE case_id = $1", [caseId])).rejects.toThrow(/never changed or removed/);
    await expect(pool.query("DELETE FROM carrier_recovery_receipts WHERE case_id = $1", [caseId])).rejects.toThrow(/never changed or removed/);
    // The reversals point at the receipts, so a plain TRUNCATE is refused by the key before the trigger;
    // with CASCADE it reaches both tables' triggers, and neither lets the trail go.
    await expect(pool.query("TRUNCATE carrier_recovery_receipts")).rejects.toThrow(/foreign key|never changed or removed/);
    await expect(pool.query("TRUNCATE carrier_recovery_receipts CASCADE")).rejects.toThrow(/never changed or removed/);
    // Nor is more than agreed ever held, whoever writes.
    await expect(pool.query("UPDATE carrier_recoveries SET received_minor = 2001 WHERE case_id = $1", [caseId])).rejects.toThrow(/check constraint/);
    const { rows } = await pool.query("SELECT amount_minor::int AS amount FROM carrier_recovery_receipts WHERE case_id = $1", [caseId]);
    expect(rows).toEqual([{ amount: 500 }]);
  });

  it("refuses, booking nothing, a case with no settled claim, bad fields and callers not finance", async () => {
    const caseId = `case-${randomUUID()}`;
    await expect(under.commands.recordCarrierReceipt(receipt(caseId, 1_000, "BANK-N-1"))).rejects.toMatchObject({ kind: "not-found", code: "carrier-recovery.unknown" });
    await settledClaims(claimSettled(caseId, 2_000));
    await expect(under.commands.recordCarrierReceipt({ ...receipt(caseId, 1_000, "BANK-N-1"), callerRole: "customer-service" })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(under.commands.recordCarrierReceipt({ ...receipt(caseId, 1_000, "BANK-N-1"), callerId: "" })).rejects.toMatchObject({ kind: "unauthenticated" });
    await expect(under.commands.recordCarrierReceipt(receipt("", 0, " "))).rejects.toMatchObject({
      kind: "validation",
      fields: expect.arrayContaining([expect.objectContaining({ field: "caseId" }), expect.objectContaining({ field: "amountMinor" }), expect.objectContaining({ field: "reference" })]),
    });
    await expect(under.query.listCarrierRecoveries({ storeId: "", outstandingOnly: false, overdueOnly: false, limit: 501, pageSize: 0, pageToken: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: expect.arrayContaining([expect.objectContaining({ field: "storeId" }), expect.objectContaining({ field: "limit" })]),
    });
    const { recoveries } = await under.query.listCarrierRecoveries({ storeId, outstandingOnly: false, overdueOnly: false, limit: 0, pageSize: 0, pageToken: "" });
    expect(recoveries.find((r) => r.caseId === caseId)).toMatchObject({ status: "due", receipts: [] });
    expect(await receiptsAnnounced(caseId)).toEqual([]);
  });
});

describe("finance's list of what carriers owe", () => {
  const DAY = 86_400_000;
  const listPage = (store: string, page: { pageSize?: number; pageToken?: string; limit?: number; outstandingOnly?: boolean } = {}) =>
    under.query.listCarrierRecoveries({ storeId: store, outstandingOnly: page.outstandingOnly ?? false, overdueOnly: false, limit: page.limit ?? 0, pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? "" });

  it("is read whole a page at a time, the earliest due first and ties by case id, nothing lost or repeated while receipts are booked", async () => {
    const store = `store-paged-${randomUUID().slice(0, 8)}`;
    const base = Date.now() - 10 * DAY;
    // Seven settlements: five at distinct times (recorded out of order), two at the same instant (due together: ordered by case id).
    const settledAt = [4, 1, 6, 3, 0, 2, 2].map((days) => new Date(base + days * DAY));
    const caseIds = settledAt.map((_, i) => `case-${i}-${randomUUID()}`);
    await settledClaims(...caseIds.map((caseId, i) => claimSettled(caseId, 1_000 + i, { storeId: store, occurredAt: settledAt[i]! })));
    const expected = caseIds
      .map((caseId, i) => ({ caseId, dueBy: settledAt[i]!.getTime() + 30 * DAY }))
      .sort((a, b) => a.dueBy - b.dueBy || (a.caseId < b.caseId ? -1 : 1))
      .map((r) => r.caseId);

    let booked = false;
    const whole = await readEveryPage(async (pageToken) => {
      const page = await listPage(store, { pageSize: 3, pageToken });
      // A receipt booked between two pages moves nothing: the order is the due-by time's, not the money's.
      if (!booked) booked = !!(await under.commands.recordCarrierReceipt(receipt(expected[5]!, 1_000 + caseIds.indexOf(expected[5]!), `BANK-PAGED-${store}`)));
      return { items: page.recoveries.map((r) => r.caseId), nextPageToken: page.nextPageToken };
    });
    expect(whole).toEqual({ items: expected, pages: 3 });

    // What is still owed, page by page: the one paid in full is left out, the rest in the same order.
    const owed = await readEveryPage(async (pageToken) => {
      const page = await listPage(store, { pageSize: 2, pageToken, outstandingOnly: true });
      return { items: page.recoveries.map((r) => r.caseId), nextPageToken: page.nextPageToken };
    });
    expect(owed).toEqual({ items: expected.filter((_, i) => i !== 5), pages: 3 });
  });

  it("keeps limit, the page size's older name, for callers built before paging: the first page, and the token after it", async () => {
    const store = `store-limit-${randomUUID().slice(0, 8)}`;
    const caseIds = [0, 1, 2].map((i) => `case-${i}-${randomUUID()}`);
    await settledClaims(...caseIds.map((caseId, i) => claimSettled(caseId, 500, { storeId: store, occurredAt: new Date(Date.now() - (3 - i) * DAY) })));
    const first = await listPage(store, { limit: 2 });
    expect(first.recoveries.map((r) => r.caseId)).toEqual(caseIds.slice(0, 2));
    expect((await listPage(store, { pageSize: 2, pageToken: first.nextPageToken })).recoveries.map((r) => r.caseId)).toEqual(caseIds.slice(2));
    const all = await listPage(store);
    expect(all).toMatchObject({ nextPageToken: "" });
    expect(all.recoveries).toHaveLength(3);
  });

  it("refuses a forged or malformed page token, a page size out of range and both sizes at once, naming each", async () => {
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "case-x"])).toString("base64url");
    for (const pageToken of ["not-a-token", forged]) {
      await expect(listPage(storeId, { pageToken })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageToken" })] });
    }
    await expect(listPage(storeId, { pageSize: 501 })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageSize" })] });
    await expect(listPage(storeId, { pageSize: 5, limit: 5 })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "limit" })] });
  });
});
