import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { publishEvents, readTopic } from "@oms/testing";
import { type BillingUnderTest, clerk, consumed, startTestBilling } from "./test-fixtures.ts";

// One carrier transfer paying several of its settled claims (ADR 017, twenty-fifth session): booked
// whole or not at all, each allocation a receipt of its recovery announced as any receipt, the
// reference spent once across receipts and remittances.
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const storeId = `store-${randomUUID().slice(0, 8)}`;

async function settledClaim(dueMinor: number, carrier = "SF Express", currency = "CNY", store = storeId): Promise<string> {
  const caseId = `case-${randomUUID()}`;
  const event = newEvent(
    EventTypes.CarrierClaimSettled,
    { caseId, claimedMinor: 12_000, recoveredMinor: dueMinor, carrier, carrierReference: "", currency },
    { producer: "after-sales", orderId: randomUUID(), storeId: store, actor: { kind: "staff", id: "fin-1", role: "finance" } },
  );
  await publishEvents(under.namespace.name, Topics.afterSalesCase, [event]);
  await consumed(under.billing.runtime.pool, event);
  return caseId;
}

/**
 * The receipts announced for these cases, in the order the cases are named: each case's order
 * has its own key, so the topic keeps them in order within a case, not across partitions.
 */
async function receiptsAnnounced(...caseIds: string[]): Promise<OrderEvent[]> {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  const announced = messages
    .flatMap((m) => (m.value ? [decodeEvent(m.value)] : []))
    .filter((e): e is OrderEvent => !!e && e.type === EventTypes.CarrierRecoveryReceived && caseIds.includes(e.payload.caseId));
  const caseOf = (e: OrderEvent) => (e.type === EventTypes.CarrierRecoveryReceived ? e.payload.caseId : "");
  return caseIds.flatMap((caseId) => announced.filter((e) => caseOf(e) === caseId));
}

const remittance = (reference: string, allocations: [string, number][], more: { carrier?: string; currency?: string } = {}) => ({
  reference,
  carrier: more.carrier ?? "SF Express",
  currency: more.currency ?? "CNY",
  allocations: allocations.map(([caseId, amountMinor]) => ({ caseId, amountMinor })),
  ...clerk,
});
const receivedOf = async (caseId: string) => (await under.billing.runtime.pool.query("SELECT received_minor::int AS received FROM carrier_recoveries WHERE case_id = $1", [caseId])).rows[0]?.received;

describe("a carrier's transfer paying several claims", () => {
  it("is booked whole under one reference, each allocation a receipt of its recovery announced once, a retry answering as it stands", async () => {
    const [first, second] = [await settledClaim(3_000), await settledClaim(5_000)];
    const reference = `TRANSFER-${randomUUID()}`;
    const booked = await under.commands.recordCarrierRemittance(remittance(` ${reference} `, [[first, 3_000], [second, 2_000]]));
    expect(booked).toMatchObject({ reference, carrier: "SF Express", total: { minor: 5_000, currency: "CNY" }, bookedBy: "staff:staff-fin" });
    expect(booked.recoveries.map((r) => [r.caseId, r.status, r.received?.minor, r.receipts.map((x) => [x.reference, x.amount?.minor, x.remittanceReference])])).toEqual([
      [first, "received", 3_000, [[`${reference}#1`, 3_000, reference]]],
      [second, "partly-received", 2_000, [[`${reference}#2`, 2_000, reference]]],
    ]);
    // The same transfer again, its allocations in another order: a retry, nothing more booked.
    expect(await under.commands.recordCarrierRemittance(remittance(reference, [[second, 2_000], [first, 3_000]]))).toEqual(booked);

    const announced = await receiptsAnnounced(first, second);
    expect(announced.map((e) => e.type === EventTypes.CarrierRecoveryReceived && [e.payload.caseId, e.payload.reference, e.payload.received?.minor, e.payload.status, e.payload.remittanceReference])).toEqual([
      [first, `${reference}#1`, 3_000, "received", reference],
      [second, `${reference}#2`, 2_000, "partly-received", reference],
    ]);
    // The transfer is kept for good, as its receipts are.
    await expect(under.billing.runtime.pool.query("UPDATE carrier_remittances SET total_minor = 1 WHERE reference = $1", [reference])).rejects.toThrow(/never changed or removed/);
    await expect(under.billing.runtime.pool.query("DELETE FROM carrier_remittances WHERE reference = $1", [reference])).rejects.toThrow(/never changed or removed/);
    // An allocation booked in error is reversed as the receipt it is.
    expect(await under.commands.reverseCarrierReceipt({ caseId: second, reference: `${reference}#2`, reason: "meant for another claim", ...clerk })).toMatchObject({ status: "due" });
  });

  it("spends its reference once, across receipts and remittances", async () => {
    const [first, second] = [await settledClaim(3_000), await settledClaim(3_000)];
    const reference = `TRANSFER-${randomUUID()}`;
    await under.commands.recordCarrierRemittance(remittance(reference, [[first, 1_000]]));
    await expect(under.commands.recordCarrierRemittance(remittance(reference, [[first, 1_000], [second, 1_000]]))).rejects.toMatchObject({ kind: "conflict", code: "carrier-recovery.reference-reused" });
    await expect(under.commands.recordCarrierReceipt({ caseId: second, amountMinor: 1_000, reference, ...clerk })).rejects.toMatchObject({ kind: "conflict", code: "carrier-recovery.reference-reused" });
    const alone = `BANK-${randomUUID()}`;
    await under.commands.recordCarrierReceipt({ caseId: second, amountMinor: 500, reference: alone, ...clerk });
    await expect(under.commands.recordCarrierRemittance(remittance(alone, [[first, 100]]))).rejects.toMatchObject({ kind: "conflict", code: "carrier-recovery.reference-reused" });
    expect([await receivedOf(first), await receivedOf(second)]).toEqual([1_000, 500]);
  });

  it("refuses a receipt booked alone under an allocation's reference, even for the case and amount allocated: '#' is the allocations' alone", async () => {
    const owed = await settledClaim(3_000);
    const reference = `TRANSFER-${randomUUID()}`;
    await under.commands.recordCarrierRemittance(remittance(reference, [[owed, 1_000]]));
    await expect(under.commands.recordCarrierReceipt({ caseId: owed, amountMinor: 1_000, reference: `${reference}#1`, ...clerk })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "reference", message: expect.stringContaining("#") })],
    });
    expect(await receivedOf(owed)).toBe(1_000);
  });

  it("cannot be blocked by a reference booked by hand: '#' is refused in a receipt's and a remittance's reference, so remittance R books after a receipt asked as R#1", async () => {
    const [owed, other] = [await settledClaim(3_000), await settledClaim(3_000)];
    const reference = `TRANSFER-${randomUUID()}`;
    await expect(under.commands.recordCarrierReceipt({ caseId: other, amountMinor: 500, reference: `${reference}#1`, ...clerk })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "reference" })],
    });
    await expect(under.commands.recordCarrierRemittance(remittance(`${reference}#1`, [[other, 500]]))).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "reference" })],
    });
    expect(await under.commands.recordCarrierRemittance(remittance(reference, [[owed, 1_000]]))).toMatchObject({ reference, total: { minor: 1_000 } });
    expect([await receivedOf(owed), await receivedOf(other)]).toEqual([1_000, 0]);
  });

  it("names the case that spent a reference only when it is of a store the request's own claims are of: a store-scoped clerk learns no other store's case", async () => {
    const elsewhere = `store-${randomUUID().slice(0, 8)}`;
    const [theirs, mine, mineToo] = [await settledClaim(3_000, "SF Express", "CNY", elsewhere), await settledClaim(3_000), await settledClaim(3_000)];
    const spent = `BANK-${randomUUID()}`;
    await under.commands.recordCarrierReceipt({ caseId: theirs, amountMinor: 500, reference: spent, ...clerk });
    const refusals = await Promise.allSettled([
      under.commands.recordCarrierRemittance(remittance(spent, [[mine, 100]])),
      under.commands.recordCarrierReceipt({ caseId: mine, amountMinor: 100, reference: spent, ...clerk }),
    ]);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ status: "rejected", reason: { code: "carrier-recovery.reference-reused", message: expect.stringContaining("another store") } });
      expect(refusal.status === "rejected" && String(refusal.reason.message)).not.toContain(theirs);
    }
    // Reversed, the reference stays spent, and still names no other store's case.
    await under.commands.reverseCarrierReceipt({ caseId: theirs, reference: spent, reason: "wrong claim", ...clerk });
    const reversed = under.commands.recordCarrierReceipt({ caseId: mine, amountMinor: 100, reference: spent, ...clerk });
    await expect(reversed).rejects.toMatchObject({ code: "carrier-recovery.reference-reversed", message: expect.not.stringContaining(theirs) });
    // A case of the request's own store is named, as before: the clerk may see it.
    const ours = `BANK-${randomUUID()}`;
    await under.commands.recordCarrierReceipt({ caseId: mineToo, amountMinor: 500, reference: ours, ...clerk });
    await expect(under.commands.recordCarrierReceipt({ caseId: mine, amountMinor: 100, reference: ours, ...clerk })).rejects.toMatchObject({ message: expect.stringContaining(mineToo) });
    await expect(under.commands.recordCarrierRemittance(remittance(ours, [[mine, 100]]))).rejects.toMatchObject({ message: expect.stringContaining(mineToo) });
  });

  it("tells a clerk whose claims are of one store nothing of another store's payment under a reference they reuse: not its amount, nor its remittance's carrier or claims", async () => {
    const elsewhere = `store-${randomUUID().slice(0, 8)}`;
    const carrier = `Carrier-${randomUUID().slice(0, 8)}`;
    const [theirs, theirsToo, mine] = [await settledClaim(3_000, "SF Express", "CNY", elsewhere), await settledClaim(3_000, carrier, "CNY", elsewhere), await settledClaim(3_000)];
    const spent = `BANK-${randomUUID()}`;
    await under.commands.recordCarrierReceipt({ caseId: theirs, amountMinor: 1_234, reference: spent, ...clerk });
    const theirTransfer = `TRANSFER-${randomUUID()}`;
    await under.commands.recordCarrierRemittance(remittance(theirTransfer, [[theirsToo, 700]], { carrier }));
    const refusals = await Promise.allSettled([
      under.commands.recordCarrierReceipt({ caseId: mine, amountMinor: 100, reference: spent, ...clerk }),
      under.commands.recordCarrierRemittance(remittance(spent, [[mine, 100]])),
      under.commands.recordCarrierReceipt({ caseId: mine, amountMinor: 100, reference: theirTransfer, ...clerk }),
      under.commands.recordCarrierRemittance(remittance(theirTransfer, [[mine, 100]])),
    ]);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ status: "rejected", reason: { code: "carrier-recovery.reference-reused", message: expect.stringContaining("another store") } });
      const message = refusal.status === "rejected" ? String(refusal.reason.message) : "";
      for (const secret of ["of 1234", carrier, theirs, theirsToo, "paying 1 claims"]) expect(message).not.toContain(secret);
    }
    // Billing knows no caller's scope, so chain-wide finance reads the same words; a remittance of the request's own store is still described.
    const ours = `TRANSFER-${randomUUID()}`;
    const mineToo = await settledClaim(3_000, carrier);
    await under.commands.recordCarrierRemittance(remittance(ours, [[mineToo, 700]], { carrier }));
    await expect(under.commands.recordCarrierRemittance(remittance(ours, [[mine, 100]]))).rejects.toMatchObject({ message: expect.stringContaining(`remittance of ${carrier} paying 1 claims`) });
    await expect(under.commands.recordCarrierReceipt({ caseId: mine, amountMinor: 100, reference: ours, ...clerk })).rejects.toMatchObject({ message: expect.stringContaining(carrier) });
  });

  it("takes one reference sent at once as a remittance and as a receipt once: the other is refused as reused, nothing booked for it", async () => {
    const [first, second] = [await settledClaim(3_000), await settledClaim(3_000)];
    const reference = `RACE-${randomUUID()}`;
    const results = await Promise.allSettled([
      under.commands.recordCarrierRemittance(remittance(reference, [[first, 1_000]])),
      under.commands.recordCarrierReceipt({ caseId: second, amountMinor: 1_000, reference, ...clerk }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "carrier-recovery.reference-reused" } });
    expect((await receivedOf(first)) + (await receivedOf(second))).toBe(1_000);
  });

  it("books nothing when any allocation cannot be, naming each that cannot", async () => {
    const owed = await settledClaim(3_000);
    const partly = await settledClaim(2_000);
    const otherCarrier = await settledClaim(1_000, "ZTO");
    await under.commands.recordCarrierReceipt({ caseId: partly, amountMinor: 1_500, reference: `BANK-${randomUUID()}`, ...clerk });
    const reference = `TRANSFER-${randomUUID()}`;
    const unknown = `case-${randomUUID()}`;

    const tooMuch = under.commands.recordCarrierRemittance(remittance(reference, [[owed, 3_000], [partly, 501]]));
    await expect(tooMuch).rejects.toMatchObject({ kind: "illegal-state", code: "carrier-recovery.more-than-owed", message: expect.stringContaining(`allocations[1] (case ${partly}): more than the carrier still owes on it (500)`) });
    await expect(under.commands.recordCarrierRemittance(remittance(reference, [[owed, 100], [otherCarrier, 100]]))).rejects.toMatchObject({
      code: "carrier-remittance.other-carrier",
      message: expect.stringContaining(`allocations[1] (case ${otherCarrier})`),
    });
    await expect(under.commands.recordCarrierRemittance(remittance(reference, [[owed, 100]], { currency: "USD" }))).rejects.toMatchObject({ code: "carrier-remittance.other-currency" });
    await expect(under.commands.recordCarrierRemittance(remittance(reference, [[unknown, 100], [owed, 100]]))).rejects.toMatchObject({ kind: "not-found", code: "carrier-recovery.unknown", message: expect.stringContaining("allocations[0]") });
    expect([await receivedOf(owed), await receivedOf(partly)]).toEqual([0, 1_500]);
    expect(await receiptsAnnounced(owed)).toEqual([]);
    // Nothing was booked under it, so the reference is still free for the right transfer.
    expect(await under.commands.recordCarrierRemittance(remittance(reference, [[owed, 3_000], [partly, 500]]))).toMatchObject({ total: { minor: 3_500 } });
  });

  it("refuses bad fields by name, each allocation by its place, and callers not finance", async () => {
    const owed = await settledClaim(3_000);
    await expect(under.commands.recordCarrierRemittance({ ...remittance(" ", [[owed, 0], [" ", 100], [owed, 5]]), carrier: "", currency: "cny" })).rejects.toMatchObject({
      kind: "validation",
      fields: ["reference", "carrier", "currency", "allocations[0].amountMinor", "allocations[1].caseId", "allocations[2].caseId"].map((field) => expect.objectContaining({ field })),
    });
    await expect(under.commands.recordCarrierRemittance(remittance("T-EMPTY", []))).rejects.toMatchObject({ fields: [expect.objectContaining({ field: "allocations" })] });
    // Each a safe integer, together past 2^53: the transfer's total could not be kept exactly (nor read back over gRPC).
    const huge = 2 ** 52;
    await expect(under.commands.recordCarrierRemittance(remittance("T-HUGE", [[owed, huge], [`case-${randomUUID()}`, huge]]))).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "allocations" })],
    });

    await expect(under.commands.recordCarrierRemittance({ ...remittance("T-AUD", [[owed, 100]]), callerRole: "auditor" })).rejects.toMatchObject({ kind: "forbidden" });
    expect(await receivedOf(owed)).toBe(0);
  });
});
