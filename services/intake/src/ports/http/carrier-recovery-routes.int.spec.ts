import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { callerHeaders, eventually, publishEvents, readEveryPage } from "@oms/testing";
import { expectProblem } from "../../test-fixtures.ts";
import { asStaff, startIntakeWithBilling, type IntakeWithBilling } from "./intake-with-billing.ts";

// Money carriers owe on settled claims through intake's REST API, asked of a real billing over
// gRPC (ADR 017, second carrier addendum): finance books each payment once per reference, never
// beyond what was agreed, and lists what is owed; nobody else books it.
let system: IntakeWithBilling;
let api: IntakeWithBilling["api"];

beforeAll(async () => {
  system = await startIntakeWithBilling();
  api = system.api;
});

afterAll(() => system?.stop());

const finance = asStaff("fin-1", "finance");
const storeId = `store-${randomUUID().slice(0, 8)}`;

/** A carrier claim after-sales recorded settled for `recoveredMinor` (in the file's store unless named, on a case of its own unless named), once billing has heard of it. */
async function settledClaim(recoveredMinor: number, occurredAt = new Date(), store = storeId, caseId = `case-${randomUUID()}`): Promise<string> {
  const settled = {
    ...newEvent(
      EventTypes.CarrierClaimSettled,
      { caseId, claimedMinor: 9_000, recoveredMinor, carrier: "ZTO", carrierReference: "", currency: "CNY" },
      { producer: "after-sales", orderId: randomUUID(), storeId: store, actor: { kind: "staff", id: "fin-1", role: "finance" } },
    ),
    occurredAt,
  };
  await publishEvents(system.billing.namespace.name, Topics.afterSalesCase, [settled]);
  await eventually(async () => {
    const { recoveries } = await system.billing.query.listCarrierRecoveries({ storeId: store, outstandingOnly: false, overdueOnly: false, limit: 0, pageSize: 0, pageToken: "" });
    return recoveries.some((r) => r.caseId === caseId) || undefined;
  });
  return caseId;
}

describe("intake: money recovered from carriers, asked of billing", () => {
  it("is booked by finance in parts up to what was agreed, a retry answering as it stands, and listed as owed until paid in full", async () => {
    const caseId = await settledClaim(6_000);
    const url = `/v1/carrier-recoveries/${caseId}/receipts`;
    const first = await api.post(url, { amountMinor: 2_500, reference: "BANK-7" }, finance);
    expect(first).toMatchObject({
      status: 201,
      body: { caseId, storeId, carrier: "ZTO", carrierReference: "", status: "partly-received", due: { minor: 6_000, currency: "CNY" }, outstanding: { minor: 3_500 } },
    });
    expect(first.body.receipts).toMatchObject([{ reference: "BANK-7", amount: { minor: 2_500, currency: "CNY" }, receivedBy: "staff:fin-1" }]);
    expect(await api.post(url, { amountMinor: 2_500, reference: "BANK-7" }, finance)).toMatchObject({ status: 201, body: first.body });

    const owed = await api.get(`/v1/stores/${storeId}/carrier-recoveries?outstandingOnly=true`, asStaff("aud-1", "auditor"));
    expect(owed.status).toBe(200);
    expect(owed.body.recoveries.map((r: { caseId: string }) => r.caseId)).toContain(caseId);

    const tooMuch = await api.post(url, { amountMinor: 3_501, reference: "BANK-8" }, finance);
    expectProblem(tooMuch, 409, "carrier-recovery.more-than-owed");
    expect(tooMuch.body.detail).toContain("(3500)");
    expectProblem(await api.post(url, { amountMinor: 3_000, reference: "BANK-7" }, finance), 409, "carrier-recovery.reference-reused");
    expect(await api.post(url, { amountMinor: 3_500, reference: "BANK-8" }, finance)).toMatchObject({ status: 201, body: { status: "received", outstanding: { minor: 0 } } });

    const afterwards = await api.get(`/v1/stores/${storeId}/carrier-recoveries?outstandingOnly=true`, finance);
    expect(afterwards.body.recoveries.map((r: { caseId: string }) => r.caseId)).not.toContain(caseId);
    const all = await api.get(`/v1/stores/${storeId}/carrier-recoveries`, finance);
    expect(all.body.recoveries.find((r: { caseId: string }) => r.caseId === caseId)).toMatchObject({ status: "received", received: { minor: 6_000 } });
  });

  it("refuses bad fields by name, a case with no settled claim, and callers who are not finance", async () => {
    const caseId = await settledClaim(1_000);
    const url = `/v1/carrier-recoveries/${caseId}/receipts`;
    const bad = await api.post(url, { amountMinor: 0, reference: " " }, finance);
    expectProblem(bad, 400, "validation.failed");
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["amountMinor", "reference"]);
    expectProblem(await api.post(`/v1/carrier-recoveries/case-${randomUUID()}/receipts`, { amountMinor: 100, reference: "BANK-1" }, finance), 404, "carrier-recovery.unknown");
    expectProblem(await api.post(url, { amountMinor: 100, reference: "BANK-1" }, asStaff("cs-1", "customer-service")), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/stores/${storeId}/carrier-recoveries`, asStaff("cs-1", "customer-service")), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/stores/${storeId}/carrier-recoveries?outstandingOnly=yes&limit=0`, finance), 400, "validation.failed");
  });

  it("reverses a receipt booked in error for finance, once, keeping its reference spent", async () => {
    const caseId = await settledClaim(6_000);
    await api.post(`/v1/carrier-recoveries/${caseId}/receipts`, { amountMinor: 6_000, reference: `WRONG-${caseId}` }, finance);
    const url = `/v1/carrier-recoveries/${caseId}/receipt-reversals`;
    const reversed = await api.post(url, { reference: `WRONG-${caseId}`, reason: "booked on the wrong claim" }, finance);
    expect(reversed).toMatchObject({ status: 201, body: { caseId, status: "due", received: { minor: 0 }, outstanding: { minor: 6_000 } } });
    expect(reversed.body.receipts).toMatchObject([{ reference: `WRONG-${caseId}`, amount: { minor: 6_000 }, reversal: { reason: "booked on the wrong claim", reversedBy: "staff:fin-1" } }]);
    expect(await api.post(url, { reference: `WRONG-${caseId}`, reason: "booked on the wrong claim" }, finance)).toMatchObject({ status: 201, body: reversed.body });
    expectProblem(await api.post(url, { reference: `WRONG-${caseId}`, reason: "another" }, finance), 409, "carrier-recovery.receipt-already-reversed");
    expectProblem(await api.post(`/v1/carrier-recoveries/${caseId}/receipts`, { amountMinor: 6_000, reference: `WRONG-${caseId}` }, finance), 409, "carrier-recovery.reference-reversed");
    expectProblem(await api.post(url, { reference: "NO-SUCH", reason: "wrong" }, finance), 404, "carrier-recovery.receipt-unknown");

    const bad = await api.post(url, { reference: " ", reason: "x".repeat(501) }, finance);
    expectProblem(bad, 400, "validation.failed");
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["reason", "reference"]);
    expectProblem(await api.post(url, { reference: `WRONG-${caseId}` }, finance), 400, "validation.failed");
    expectProblem(await api.post(url, { reference: `WRONG-${caseId}`, reason: "wrong" }, asStaff("aud-1", "auditor")), 403, "caller.not-permitted");
  });

  it("lists what carriers owe past its due-by time with overdueOnly, each recovery saying by when it is due", async () => {
    const late = await settledClaim(3_000, new Date(Date.now() - 31 * 86_400_000));
    const recent = await settledClaim(3_000);
    const overdue = await api.get(`/v1/stores/${storeId}/carrier-recoveries?overdueOnly=true`, finance);
    expect(overdue.status).toBe(200);
    const ids = overdue.body.recoveries.map((r: { caseId: string }) => r.caseId);
    expect(ids).toContain(late);
    expect(ids).not.toContain(recent);
    expect(overdue.body.recoveries.find((r: { caseId: string }) => r.caseId === late)).toMatchObject({ overdue: true, dueBy: expect.any(String) });
    const all = await api.get(`/v1/stores/${storeId}/carrier-recoveries?outstandingOnly=true`, finance);
    expect(all.body.recoveries.find((r: { caseId: string }) => r.caseId === recent)).toMatchObject({ overdue: false });
    expectProblem(await api.get(`/v1/stores/${storeId}/carrier-recoveries?overdueOnly=1`, finance), 400, "validation.failed");
  });

  it("reads a store's recoveries whole a page at a time, the earliest due first, and refuses a page token it did not give", async () => {
    const store = `store-${randomUUID().slice(0, 8)}`;
    const daysAgo = [3, 5, 1, 4, 2];
    const caseIds: string[] = [];
    for (const days of daysAgo) caseIds.push(await settledClaim(1_000, new Date(Date.now() - days * 86_400_000), store));
    const expected = caseIds.map((caseId, i) => ({ caseId, days: daysAgo[i]! })).sort((a, b) => b.days - a.days).map((r) => r.caseId);

    const whole = await readEveryPage(async (pageToken) => {
      const page = await api.get(`/v1/stores/${store}/carrier-recoveries?pageSize=2${pageToken && `&pageToken=${pageToken}`}`, finance);
      expect(page.status).toBe(200);
      return { items: page.body.recoveries.map((r: { caseId: string }) => r.caseId), nextPageToken: page.body.nextPageToken };
    });
    expect(whole).toEqual({ items: expected, pages: 3 });
    // limit, the page size's older name, still sizes the page, and the last page carries no token.
    const byLimit = await api.get(`/v1/stores/${store}/carrier-recoveries?limit=5`, finance);
    expect(byLimit.body.recoveries.map((r: { caseId: string }) => r.caseId)).toEqual(expected);
    expect(byLimit.body).not.toHaveProperty("nextPageToken");

    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "case-x"])).toString("base64url");
    for (const [query, field] of [["pageToken=not-a-token", "pageToken"], [`pageToken=${forged}`, "pageToken"], ["pageSize=501", "pageSize"], ["pageSize=2&limit=2", "limit"]]) {
      const refused = await api.get(`/v1/stores/${store}/carrier-recoveries?${query}`, finance);
      expectProblem(refused, 400, "validation.failed");
      expect(refused.body.errors.map((e: { field: string }) => e.field), query).toEqual([field]);
    }
  });

  it("continues past a recovery whose case id is as long as after-sales takes, its page token not refused as one billing did not give", async () => {
    const store = `store-${randomUUID().slice(0, 8)}`;
    // The caller's own case id (ADR 015), 200 characters of three bytes each: a token naming it is some 830 characters long.
    const long = await settledClaim(1_000, new Date(Date.now() - 2 * 86_400_000), store, `${"退".repeat(192)}${randomUUID().slice(0, 8)}`);
    const later = await settledClaim(1_000, new Date(Date.now() - 86_400_000), store);
    const first = await api.get(`/v1/stores/${store}/carrier-recoveries?pageSize=1`, finance);
    expect(first.body.recoveries.map((r: { caseId: string }) => r.caseId)).toEqual([long]);
    const rest = await api.get(`/v1/stores/${store}/carrier-recoveries?pageSize=1&pageToken=${first.body.nextPageToken}`, finance);
    expect([rest.status, rest.body.recoveries?.map((r: { caseId: string }) => r.caseId)], JSON.stringify(rest.body)).toEqual([200, [later]]);
  });

  it("books one carrier transfer paying several claims for finance, whole or not at all, naming the allocation that cannot be booked", async () => {
    const [first, second] = [await settledClaim(4_000), await settledClaim(2_000)];
    const reference = `TRANSFER-${randomUUID().slice(0, 8)}`;
    const body = { reference, carrier: "ZTO", currency: "CNY", allocations: [{ caseId: first, amountMinor: 4_000 }, { caseId: second, amountMinor: 1_000 }] };

    const tooMuch = await api.post("/v1/carrier-remittances", { ...body, allocations: [body.allocations[0], { caseId: second, amountMinor: 2_001 }] }, finance);
    expectProblem(tooMuch, 409, "carrier-recovery.more-than-owed");
    expect(tooMuch.body.detail).toContain(`allocations[1] (case ${second})`);
    const bad = await api.post("/v1/carrier-remittances", { ...body, currency: "cny", allocations: [{ caseId: first, amountMinor: 0 }] }, finance);
    expectProblem(bad, 400, "validation.failed");
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["allocations[0].amountMinor", "currency"]);
    const twice = await api.post("/v1/carrier-remittances", { ...body, allocations: [body.allocations[0], body.allocations[0]] }, finance);
    expectProblem(twice, 400, "validation.failed");
    expect(twice.body.errors.map((e: { field: string }) => e.field)).toEqual(["allocations[1].caseId"]);
    expectProblem(await api.post("/v1/carrier-remittances", body, asStaff("aud-1", "auditor")), 403, "caller.not-permitted");

    const booked = await api.post("/v1/carrier-remittances", body, finance);
    expect(booked).toMatchObject({ status: 201, body: { reference, carrier: "ZTO", total: { minor: 5_000, currency: "CNY" }, bookedBy: "staff:fin-1" } });
    expect(booked.body.recoveries.map((r: { caseId: string; status: string; receipts: { reference: string; remittanceReference?: string }[] }) => [r.caseId, r.status, r.receipts])).toEqual([
      [first, "received", [expect.objectContaining({ reference: `${reference}#1`, remittanceReference: reference })]],
      [second, "partly-received", [expect.objectContaining({ reference: `${reference}#2`, remittanceReference: reference })]],
    ]);
    expect(await api.post("/v1/carrier-remittances", body, finance)).toMatchObject({ status: 201, body: booked.body });
    expectProblem(await api.post(`/v1/carrier-recoveries/${second}/receipts`, { amountMinor: 100, reference }, finance), 409, "carrier-recovery.reference-reused");
  });

  it("refuses a caller not finance before looking up any claim a remittance names, so a store-scoped one learns nothing of which cases exist", async () => {
    // after-sales is not running behind this intake: had the store scope looked the cases up first, this would not be a 403.
    const body = { reference: `T-${randomUUID().slice(0, 8)}`, carrier: "ZTO", currency: "CNY", allocations: [{ caseId: `case-${randomUUID()}`, amountMinor: 100 }] };
    expectProblem(await api.post("/v1/carrier-remittances", body, callerHeaders(`staff:cs-9:customer-service@${storeId}`)), 403, "caller.not-permitted");
    expectProblem(await api.post("/v1/carrier-remittances", body, callerHeaders(`staff:aud-9:auditor@${storeId}`)), 403, "caller.not-permitted");
  });

  it("refuses '#' in finance's typed references, naming reference: it names a remittance's allocations alone", async () => {
    const caseId = await settledClaim(1_000);
    const receipt = await api.post(`/v1/carrier-recoveries/${caseId}/receipts`, { amountMinor: 100, reference: "BANK#1" }, finance);
    expectProblem(receipt, 400, "validation.failed");
    expect(receipt.body.errors.map((e: { field: string }) => e.field)).toEqual(["reference"]);
    const remittance = await api.post("/v1/carrier-remittances", { reference: "T#2", carrier: "ZTO", currency: "CNY", allocations: [{ caseId, amountMinor: 100 }] }, finance);
    expectProblem(remittance, 400, "validation.failed");
    expect(remittance.body.errors.map((e: { field: string }) => e.field)).toEqual(["reference"]);
  });

  it("reads a remittance back for finance and auditors, a store-scoped one only when every claim is of their stores, and reverses it whole once", async () => {
    const elsewhere = `store-${randomUUID().slice(0, 8)}`;
    const [first, second, mine, theirs] = [await settledClaim(4_000), await settledClaim(2_000), await settledClaim(1_000), await settledClaim(1_000, new Date(), elsewhere)];
    const reference = `TRANSFER-${randomUUID().slice(0, 8)}`;
    const mixed = `TRANSFER-${randomUUID().slice(0, 8)}`;
    await api.post("/v1/carrier-remittances", { reference, carrier: "ZTO", currency: "CNY", allocations: [{ caseId: first, amountMinor: 4_000 }, { caseId: second, amountMinor: 1_000 }] }, finance);
    const paysTwoStores = { reference: mixed, carrier: "ZTO", currency: "CNY", allocations: [{ caseId: mine, amountMinor: 500 }, { caseId: theirs, amountMinor: 500 }] };
    expect(await api.post("/v1/carrier-remittances", paysTwoStores, finance)).toMatchObject({ status: 201 });

    const read = await api.get(`/v1/carrier-remittances/${encodeURIComponent(reference)}`, asStaff("aud-1", "auditor"));
    expect(read).toMatchObject({ status: 200, body: { reference, carrier: "ZTO", total: { minor: 5_000, currency: "CNY" }, bookedBy: "staff:fin-1" } });
    expect(read.body.allocations).toEqual([
      { place: 1, caseId: first, storeId, receiptReference: `${reference}#1`, amount: { minor: 4_000, currency: "CNY" } },
      { place: 2, caseId: second, storeId, receiptReference: `${reference}#2`, amount: { minor: 1_000, currency: "CNY" } },
    ]);
    expect(read.body).not.toHaveProperty("reversal");
    // A store-scoped auditor reads their stores' remittance; one paying another store's claim too is unknown to them, word for word.
    expect(await api.get(`/v1/carrier-remittances/${reference}`, callerHeaders(`staff:aud-2:auditor@${storeId}`))).toMatchObject({ status: 200, body: { reference } });
    const hidden = await api.get(`/v1/carrier-remittances/${mixed}`, callerHeaders(`staff:aud-2:auditor@${storeId}`));
    const nobody = await api.get(`/v1/carrier-remittances/NO-${randomUUID()}`, finance);
    expectProblem(hidden, 404, "carrier-remittance.unknown");
    expectProblem(nobody, 404, "carrier-remittance.unknown");
    expect(hidden.body.detail).toBe(`no carrier remittance under reference ${mixed}`);
    expectProblem(await api.get(`/v1/carrier-remittances/${reference}`, callerHeaders(`staff:cs-2:customer-service@${storeId}`)), 403, "caller.not-permitted");

    const url = `/v1/carrier-remittances/${reference}/reversal`;
    expectProblem(await api.post(url, { reason: "returned" }, asStaff("aud-1", "auditor")), 403, "caller.not-permitted");
    expectProblem(await api.post(`/v1/carrier-remittances/${mixed}/reversal`, { reason: "returned" }, callerHeaders(`staff:fin-2:finance@${storeId}`)), 404, "carrier-remittance.unknown");
    expectProblem(await api.post(url, { reason: " " }, finance), 400, "validation.failed");
    const reversed = await api.post(url, { reason: "the bank returned the transfer" }, callerHeaders(`staff:fin-2:finance@${storeId}`));
    expect(reversed).toMatchObject({ status: 201, body: { reference, reversal: { reason: "the bank returned the transfer", reversedBy: "staff:fin-2" } } });
    expect(reversed.body.allocations.map((a: { reversal?: { reason: string } }) => a.reversal?.reason)).toEqual(["the bank returned the transfer", "the bank returned the transfer"]);
    expect(reversed.body.recoveries.map((r: { status: string; received: { minor: number } }) => [r.status, r.received.minor])).toEqual([
      ["due", 0],
      ["due", 0],
    ]);
    expect(await api.post(url, { reason: "the bank returned the transfer" }, finance)).toMatchObject({ status: 201, body: reversed.body });
    expectProblem(await api.post(url, { reason: "another" }, finance), 409, "carrier-remittance.already-reversed");
  });
});
