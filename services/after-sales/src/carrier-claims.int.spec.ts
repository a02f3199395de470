import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, type TestNamespace } from "@oms/testing";
import { agent, caseEventsOf, day, knownOrder, newStore, openRequest, refusal, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * Claims against the carrier (ADR 017, carrier-claim addendum), on the real Kafka and
 * Postgres: a case resolved with cause carrier is claimed, then settled or rejected, each step
 * kept on the case and announced once on its topic; a retry answers the case as it stands; a
 * case not resolved, with another cause, claimed twice or beyond the order's total, and a
 * caller not permitted, are refused and write nothing; the report counts the period's claims.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;
const storeId = newStore();
const finance = { kind: "staff", id: "fin-1", role: "finance" };
const orderTaker = { kind: "staff", id: "ot-1", role: "order-taker" };

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

/** A return accepted and, unless told otherwise, resolved with `cause`; the order (kettles and cups) costs 30,000 CNY. */
async function caseOf(cause: string, resolve = true): Promise<{ orderId: string; caseId: string }> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId, { description: "the kettle arrived crushed" });
  await clients.commands.openCase(ask);
  await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  if (resolve) await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "kettle taken back", cause, refundMinor: 10_000 });
  return { orderId, caseId: ask.caseId };
}

const file = (caseId: string, amountMinor: number, correlationId = "", caller = agent, carrier = " SF Express ", carrierReference = "SF1234567890") =>
  clients.commands.fileCarrierClaim({ caseId, caller, correlationId, carrier, carrierReference, amountMinor });
const settle = (caseId: string, recoveredMinor: number, correlationId = "", caller = finance) => clients.commands.settleCarrierClaim({ caseId, caller, correlationId, recoveredMinor });
const reject = (caseId: string, reason: string, correlationId = "", caller = agent) => clients.commands.rejectCarrierClaim({ caseId, caller, correlationId, reason });
const showingsUnder = async (caseId: string, correlationId: string) =>
  (await afterSales.runtime.pool.query("SELECT shown_to, role FROM case_disclosures WHERE case_id = $1 AND correlation_id = $2", [caseId, correlationId])).rows;
const caseRow = async (caseId: string) => (await afterSales.runtime.pool.query("SELECT * FROM cases WHERE case_id = $1", [caseId])).rows[0];
const claimTypes: string[] = [EventTypes.CarrierClaimFiled, EventTypes.CarrierClaimSettled, EventTypes.CarrierClaimRejected];
const claimEvents = async (orderId: string) => (await caseEventsOf(namespace.name, [orderId])).filter((e) => claimTypes.includes(e.type));

/** The order's claim events once `count` have arrived, and after a moment more, so that one too many would show. */
async function claimEventsOnceArrived(orderId: string, count: number) {
  await eventually(async () => ((await claimEvents(orderId)).length >= count ? true : undefined));
  await new Promise((resolve) => setTimeout(resolve, 500));
  return claimEvents(orderId);
}

describe("a claim against the carrier", () => {
  it("is filed on a case resolved with cause carrier, settled in part by finance, each kept on the case and announced once; retries answer as it stands", async () => {
    const { orderId, caseId } = await caseOf("carrier");
    const filed = await file(caseId, 12_000, "corr-file");
    expect(filed.carrierClaim).toMatchObject({ status: "filed", carrier: "SF Express", carrierReference: "SF1234567890", claimedMinor: 12_000, currency: "CNY", filedBy: "staff:cs-1" });
    expect(Date.parse(filed.carrierClaim!.followUpBy) - Date.parse(filed.carrierClaim!.filedAt)).toBe(30 * day);
    expect(await file(caseId, 12_000, "corr-file-retry")).toEqual(filed);

    const settled = await settle(caseId, 8_000, "corr-settle");
    expect(settled.carrierClaim).toMatchObject({ status: "settled", claimedMinor: 12_000, recoveredMinor: 8_000, closedBy: "staff:fin-1", followUpBy: "" });
    // Finance records money, not words: its answer leaves the customer's description sealed.
    expect(settled.description).toBe("");
    expect(await settle(caseId, 8_000, "corr-settle-retry")).toEqual(settled);
    const shown = await clients.query.getCase({ caseId, caller: agent, correlationId: "corr-view" });
    expect(shown).toEqual({ ...settled, description: "the kettle arrived crushed" });
    expect((await clients.query.listCases({ storeId, orderId, status: "", kind: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: false, replacementLate: false, inRework: false, caller: agent, correlationId: "" })).cases[0]!.carrierClaim).toEqual(settled.carrierClaim);
    // The desk's filing answered it the description, a showing logged as a decision's answer is; finance's settlement showed none.
    expect(await showingsUnder(caseId, "corr-file")).toEqual([{ shown_to: "staff:cs-1", role: "customer-service" }]);
    expect(await showingsUnder(caseId, "corr-settle")).toEqual([]);

    const events = await claimEventsOnceArrived(orderId, 2);
    expect(events.map((e) => [e.type, e.correlationId, e.orderId])).toEqual([
      [EventTypes.CarrierClaimFiled, "corr-file", orderId],
      [EventTypes.CarrierClaimSettled, "corr-settle", orderId],
    ]);
    expect(events[0]).toMatchObject({ actor: { kind: "staff", id: "cs-1" }, payload: { caseId, carrier: "SF Express", carrierReference: "SF1234567890", claimedMinor: 12_000, currency: "CNY" } });
    // The settlement carries the carrier and currency as filed: billing books the money due from it alone.
    expect(events[1]).toMatchObject({
      actor: { kind: "staff", id: "fin-1" },
      payload: { caseId, claimedMinor: 12_000, recoveredMinor: 8_000, carrier: "SF Express", carrierReference: "SF1234567890", currency: "CNY" },
    });
  });

  it("is rejected with the carrier's reason, once: no settlement after it", async () => {
    const { orderId, caseId } = await caseOf("carrier");
    await file(caseId, 5_000, "corr-file", agent, "ZTO", "");
    const rejected = await reject(caseId, " packed without padding ", "corr-reject");
    expect(rejected.carrierClaim).toMatchObject({ status: "rejected", carrier: "ZTO", carrierReference: "", rejectionReason: "packed without padding", recoveredMinor: 0, closedBy: "staff:cs-1" });
    expect(rejected.description).toBe("the kettle arrived crushed");
    expect(await reject(caseId, "packed without padding", "corr-reject-retry")).toEqual(rejected);
    const before = await caseRow(caseId);
    expect(await refusal(settle(caseId, 1_000))).toBe("IllegalStateError after-sales.carrier-claim-closed");
    expect(await refusal(reject(caseId, "another reason"))).toBe("IllegalStateError after-sales.carrier-claim-closed");
    expect(await caseRow(caseId)).toEqual(before);

    const events = await claimEventsOnceArrived(orderId, 2);
    expect(events.map((e) => e.type)).toEqual([EventTypes.CarrierClaimFiled, EventTypes.CarrierClaimRejected]);
    expect(events[1]).toMatchObject({ correlationId: "corr-reject", payload: { caseId, reason: "packed without padding" } });
  });

  it("refuses, writing nothing, a case not resolved, resolved with another cause, claimed twice or beyond the order's total, bad fields, and callers not permitted", async () => {
    const accepted = await caseOf("carrier", false);
    expect(await refusal(file(accepted.caseId, 1_000))).toBe("IllegalStateError after-sales.case-not-resolved");
    const packaging = await caseOf("packaging");
    expect(await refusal(file(packaging.caseId, 1_000))).toBe("IllegalStateError after-sales.cause-not-carrier");

    const { orderId, caseId } = await caseOf("carrier");
    const untouched = await caseRow(caseId);
    expect(await refusal(file(caseId, 30_001))).toBe("ValidationError amountMinor");
    expect(await refusal(file(caseId, 0, "", agent, " "))).toBe("ValidationError carrier, amountMinor");
    expect(await refusal(settle(caseId, 100))).toBe("IllegalStateError after-sales.no-carrier-claim");
    expect(await refusal(file(caseId, 1_000, "", finance))).toBe("ForbiddenError caller.not-permitted");
    expect(await refusal(file(caseId, 1_000, "", orderTaker))).toBe("ForbiddenError caller.not-permitted");
    expect(await refusal(file("case-nobody-has", 1_000))).toBe("NotFoundError after-sales.case-not-found");
    expect(await caseRow(caseId)).toEqual(untouched);

    await file(caseId, 30_000, "corr-whole");
    expect(await refusal(file(caseId, 29_000))).toBe("IllegalStateError after-sales.carrier-claim-already-filed");
    expect(await refusal(settle(caseId, 30_001))).toBe("ValidationError recoveredMinor");
    expect(await refusal(settle(caseId, 100, "", orderTaker))).toBe("ForbiddenError caller.not-permitted");
    expect(await refusal(reject(caseId, "  "))).toBe("ValidationError reason");

    const events = await claimEventsOnceArrived(orderId, 1);
    expect(events.map((e) => e.correlationId)).toEqual(["corr-whole"]);
    expect([...(await claimEvents(accepted.orderId)), ...(await claimEvents(packaging.orderId))]).toEqual([]);
  });

  it("bounds a case's claim by the order's total less its other cases' claims the carrier did not reject", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const resolved = async (sku: string) => {
      const ask = openRequest(orderId, { lines: [{ sku, quantity: 1 }] });
      await clients.commands.openCase(ask);
      await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
      await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "taken back", cause: "carrier", refundMinor: 0 });
      return ask.caseId;
    };
    const [kettle, cups] = [await resolved("KETTLE-1"), await resolved("CUP-6")];
    // Filed in error for the whole order: only closed as rejected (ADR 017), so the carrier owes nothing on it.
    await file(kettle, 30_000);
    await reject(kettle, "filed in error: the amount was the order's, not the kettle's");
    expect((await file(cups, 10_000)).carrierClaim).toMatchObject({ status: "filed", claimedMinor: 10_000 });
    // A claim still filed (or settled) does count: the order's total is the carrier's most.
    const other = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const [first, second] = [openRequest(other, { lines: [{ sku: "KETTLE-1", quantity: 1 }] }), openRequest(other, { lines: [{ sku: "CUP-6", quantity: 1 }] })];
    for (const ask of [first, second]) {
      await clients.commands.openCase(ask);
      await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
      await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "taken back", cause: "carrier", refundMinor: 0 });
    }
    await file(first.caseId, 25_000);
    await settle(first.caseId, 20_000);
    expect(await refusal(file(second.caseId, 5_001))).toBe("ValidationError amountMinor");
    expect((await file(second.caseId, 5_000)).carrierClaim).toMatchObject({ claimedMinor: 5_000 });
  });

  it("reports the claims filed in the period: how many, settled and rejected so far, claimed and recovered", async () => {
    const reportStore = newStore();
    const resolvedByCarrier = async () => {
      const orderId = await knownOrder(afterSales.runtime.pool, { storeId: reportStore, deliveredDaysAgo: 1 });
      const ask = openRequest(orderId);
      await clients.commands.openCase(ask);
      await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
      await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "taken back", cause: "carrier", refundMinor: 0 });
      return ask.caseId;
    };
    const from = new Date(Date.now() - 3600_000).toISOString();
    const [settledCase, rejectedCase, openCase] = [await resolvedByCarrier(), await resolvedByCarrier(), await resolvedByCarrier()];
    await file(settledCase, 10_000);
    await settle(settledCase, 7_500);
    await file(rejectedCase, 4_000);
    await reject(rejectedCase, "not our damage");
    await file(openCase, 2_500);
    const until = new Date(Date.now() + 3600_000).toISOString();

    expect(await clients.query.getCaseReport({ storeId: reportStore, from, until })).toMatchObject({
      resolved: 3,
      carrierClaimsFiled: 3,
      carrierClaimsSettled: 1,
      carrierClaimsRejected: 1,
      carrierClaimedMinor: 16_500,
      carrierRecoveredMinor: 7_500,
    });
    // Filed before the period: not counted in it.
    expect(await clients.query.getCaseReport({ storeId: reportStore, from: until, until: new Date(Date.now() + 2 * 3600_000).toISOString() })).toMatchObject({
      carrierClaimsFiled: 0,
      carrierClaimedMinor: 0,
      carrierRecoveredMinor: 0,
    });
  });
});
