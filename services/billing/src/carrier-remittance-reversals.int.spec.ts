import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { type BillingUnderTest, clerk, consumed, startTestBilling } from "./test-fixtures.ts";

// A carrier remittance read back by its reference, and reversed whole (ADR 017, twenty-sixth
// session): every allocation's receipt reversed as a single receipt is, or none.
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const storeId = `store-${randomUUID().slice(0, 8)}`;
const DAY = 86_400_000;

async function settledClaim(dueMinor: number, occurredAt = new Date()): Promise<string> {
  const caseId = `case-${randomUUID()}`;
  const event = {
    ...newEvent(
      EventTypes.CarrierClaimSettled,
      { caseId, claimedMinor: 12_000, recoveredMinor: dueMinor, carrier: "SF Express", carrierReference: "", currency: "CNY" },
      { producer: "after-sales", orderId: randomUUID(), storeId, actor: { kind: "staff", id: "fin-1", role: "finance" } },
    ),
    occurredAt,
  };
  await publishEvents(under.namespace.name, Topics.afterSalesCase, [event]);
  await consumed(under.billing.runtime.pool, event);
  return caseId;
}

async function announced(type: string, ...caseIds: string[]): Promise<OrderEvent[]> {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.flatMap((m) => (m.value ? [decodeEvent(m.value)] : [])).filter((e): e is OrderEvent => !!e && e.type === type && caseIds.includes((e.payload as { caseId?: string }).caseId ?? ""));
}

const book = (reference: string, allocations: [string, number][]) =>
  under.commands.recordCarrierRemittance({ reference, carrier: "SF Express", currency: "CNY", allocations: allocations.map(([caseId, amountMinor]) => ({ caseId, amountMinor })), ...clerk });
const reverse = (reference: string, reason: string, caller = clerk) => under.commands.reverseCarrierRemittance({ reference, reason, ...caller });
const receivedOf = async (caseId: string) => (await under.billing.runtime.pool.query("SELECT received_minor::int AS received FROM carrier_recoveries WHERE case_id = $1", [caseId])).rows[0]?.received;

describe("a carrier remittance read back", () => {
  it("shows the transfer and each allocation in its place with its receipt's state; an unknown reference is not found", async () => {
    const [first, second] = [await settledClaim(3_000), await settledClaim(2_000)];
    const reference = `TRANSFER-${randomUUID()}`;
    await book(reference, [[first, 3_000], [second, 500]]);
    await under.commands.reverseCarrierReceipt({ caseId: second, reference: `${reference}#2`, reason: "meant for another claim", ...clerk });
    const read = await under.query.getCarrierRemittance({ reference: ` ${reference} ` });
    expect(read).toMatchObject({ reference, carrier: "SF Express", total: { minor: 3_500, currency: "CNY" }, bookedBy: "staff:staff-fin", reversal: undefined });
    expect(read.allocations.map((a) => [a.place, a.caseId, a.storeId, a.receiptReference, a.amount?.minor, a.reversal?.reason])).toEqual([
      [1, first, storeId, `${reference}#1`, 3_000, undefined],
      [2, second, storeId, `${reference}#2`, 500, "meant for another claim"],
    ]);
    // An allocation reversed on its own is a single reversal: it names no remittance reversed whole.
    expect(await announced(EventTypes.CarrierReceiptReversed, second)).toMatchObject([{ payload: { reference: `${reference}#2`, remittanceReference: "" } }]);
    await expect(under.query.getCarrierRemittance({ reference: `NO-${randomUUID()}` })).rejects.toMatchObject({ kind: "not-found", code: "carrier-remittance.unknown" });
    await expect(under.query.getCarrierRemittance({ reference: " " })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "reference" })] });
  });
});

describe("a carrier remittance reversed whole", () => {
  it("reverses every allocation's receipt as a single reversal does, announced once each, and a retry answers as recorded", async () => {
    const [first, second] = [await settledClaim(3_000), await settledClaim(2_000)];
    const reference = `TRANSFER-${randomUUID()}`;
    await book(reference, [[first, 3_000], [second, 500]]);

    const reversed = await reverse(` ${reference} `, " the bank returned it ");
    expect(reversed.reversal).toMatchObject({ reason: "the bank returned it", reversedBy: "staff:staff-fin" });
    expect(reversed.allocations.map((a) => [a.caseId, a.reversal?.reason])).toEqual([
      [first, "the bank returned it"],
      [second, "the bank returned it"],
    ]);
    expect(reversed.recoveries.map((r) => [r.caseId, r.status, r.received?.minor])).toEqual([
      [first, "due", 0],
      [second, "due", 0],
    ]);
    expect(await reverse(reference, "the bank returned it")).toEqual(reversed);
    await expect(reverse(reference, "another reason")).rejects.toMatchObject({ kind: "conflict", code: "carrier-remittance.already-reversed" });

    const events = await announced(EventTypes.CarrierReceiptReversed, first, second);
    // Each names the remittance it was reversed with (ADR 017, twenty-sixth session, locks addendum).
    expect(
      events.map((e) => e.type === EventTypes.CarrierReceiptReversed && [e.payload.caseId, e.payload.reference, e.payload.reversed?.minor, e.payload.status, e.payload.reason, e.payload.remittanceReference]).sort(),
    ).toEqual(
      [
        [first, `${reference}#1`, 3_000, "due", "the bank returned it", reference],
        [second, `${reference}#2`, 500, "due", "the bank returned it", reference],
      ].sort(),
    );
    // Each allocation is a reversed receipt: reversing it alone again is the retry it would be, its reference spent.
    await expect(under.commands.reverseCarrierReceipt({ caseId: first, reference: `${reference}#1`, reason: "other", ...clerk })).rejects.toMatchObject({ code: "carrier-recovery.receipt-already-reversed" });
    await expect(under.billing.runtime.pool.query("DELETE FROM carrier_remittance_reversals WHERE reference = $1", [reference])).rejects.toThrow(/never changed or removed/);
  });

  it("refuses booking the remittance again once reversed whole, as a reversed receipt's reference is: a late retry is not told 'booked' while nothing counts", async () => {
    const [first, second] = [await settledClaim(3_000), await settledClaim(2_000)];
    const reference = `TRANSFER-${randomUUID()}`;
    await book(reference, [[first, 3_000], [second, 500]]);
    await reverse(reference, "the bank returned it");
    await expect(book(reference, [[second, 500], [first, 3_000]])).rejects.toMatchObject({
      kind: "conflict",
      code: "carrier-recovery.reference-reversed",
      message: expect.stringContaining(`remittance ${reference} was reversed whole`),
    });
    expect([await receivedOf(first), await receivedOf(second)]).toEqual([0, 0]);
    // Partly reversed (one allocation on its own), the transfer still stands booked: a retry answers it.
    const partly = `TRANSFER-${randomUUID()}`;
    const [third, fourth] = [await settledClaim(1_000), await settledClaim(1_000)];
    await book(partly, [[third, 1_000], [fourth, 1_000]]);
    await under.commands.reverseCarrierReceipt({ caseId: fourth, reference: `${partly}#2`, reason: "wrong claim", ...clerk });
    expect(await book(partly, [[third, 1_000], [fourth, 1_000]])).toMatchObject({ reference: partly, reversal: undefined });
  });

  it("announces a recovery paid in full by it and past its due date overdue at once, as a single reversal does", async () => {
    const late = await settledClaim(1_000, new Date(Date.now() - 40 * DAY));
    const reference = `TRANSFER-${randomUUID()}`;
    await book(reference, [[late, 1_000]]);
    await reverse(reference, "booked on the wrong claim");
    const [overdue] = await eventually(async () => {
      const found = await announced(EventTypes.CarrierRecoveryOverdue, late);
      return found.length > 0 ? found : undefined;
    });
    expect(overdue).toMatchObject({ payload: { caseId: late, outstanding: { minor: 1_000 } } });
  });

  it("reverses nothing when an allocation was reversed on its own, naming it; nor an unknown remittance, bad fields or a caller not finance", async () => {
    const [first, second] = [await settledClaim(3_000), await settledClaim(2_000)];
    const reference = `TRANSFER-${randomUUID()}`;
    await book(reference, [[first, 1_000], [second, 2_000]]);
    await under.commands.reverseCarrierReceipt({ caseId: second, reference: `${reference}#2`, reason: "wrong amount", ...clerk });
    await expect(reverse(reference, "the bank returned it")).rejects.toMatchObject({
      kind: "conflict",
      code: "carrier-remittance.allocation-reversed",
      message: expect.stringContaining(`allocations[1] (case ${second}, receipt ${reference}#2)`),
    });
    expect([await receivedOf(first), await receivedOf(second)]).toEqual([1_000, 0]);
    expect((await under.query.getCarrierRemittance({ reference })).reversal).toBeUndefined();

    await expect(reverse(`NO-${randomUUID()}`, "x")).rejects.toMatchObject({ kind: "not-found", code: "carrier-remittance.unknown" });
    await expect(reverse(" ", "x".repeat(501))).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "reference" }), expect.objectContaining({ field: "reason" })] });
    await expect(reverse(reference, "x", { ...clerk, callerRole: "auditor" })).rejects.toMatchObject({ kind: "forbidden" });
    expect(await receivedOf(first)).toBe(1_000);
  });

  it("takes two clerks reversing one remittance at once one after the other: reversed once", async () => {
    const [first, second] = [await settledClaim(3_000), await settledClaim(2_000)];
    const reference = `TRANSFER-${randomUUID()}`;
    await book(reference, [[first, 3_000], [second, 2_000]]);
    const results = await Promise.allSettled([reverse(reference, "returned"), reverse(reference, "returned"), under.commands.reverseCarrierReceipt({ caseId: second, reference: `${reference}#2`, reason: "alone", ...clerk })]);
    const reversals = (await under.billing.runtime.pool.query("SELECT count(*)::int AS n FROM carrier_recovery_reversals WHERE reference LIKE $1", [`${reference}#%`])).rows[0]?.n;
    const whole = results[0].status === "fulfilled";
    // Either the whole came first (the single reversal then refused as already reversed) or the single one did (the whole then refused).
    expect(reversals).toBe(whole ? 2 : 1);
    expect([await receivedOf(first), await receivedOf(second)]).toEqual(whole ? [0, 0] : [3_000, 0]);
    expect(results[1].status === "fulfilled").toBe(whole);
  });

  it("takes a whole reversal and a new receipt on one of its recoveries at once one after the other: the recovery counts exactly its unreversed receipts", async () => {
    for (let round = 0; round < 3; round++) {
      const [first, second] = [await settledClaim(3_000), await settledClaim(2_000)];
      const reference = `TRANSFER-${randomUUID()}`;
      await book(reference, [[first, 3_000], [second, 2_000]]);
      // Paid in full by the remittance: the new receipt fits only once the remittance is reversed.
      const [reversed, receipt] = await Promise.allSettled([
        reverse(reference, "returned"),
        under.commands.recordCarrierReceipt({ caseId: first, amountMinor: 3_000, reference: `BANK-${randomUUID()}`, ...clerk }),
      ]);
      expect(reversed.status).toBe("fulfilled");
      if (receipt.status === "rejected") expect(receipt.reason).toMatchObject({ code: "carrier-recovery.more-than-owed" });
      const counted = await under.billing.runtime.pool.query<{ n: number }>(
        `SELECT coalesce(sum(r.amount_minor), 0)::int AS n FROM carrier_recovery_receipts r
         WHERE r.case_id = $1 AND NOT EXISTS (SELECT 1 FROM carrier_recovery_reversals v WHERE v.reference = r.reference)`,
        [first],
      );
      expect(await receivedOf(first)).toBe(counted.rows[0]?.n);
      expect(await receivedOf(first)).toBe(receipt.status === "fulfilled" ? 3_000 : 0);
      expect(await receivedOf(second)).toBe(0);
    }
  });
});
