import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { EventTypes, Topics } from "@oms/contracts";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { complaintsHandledOnce } from "./after-sales.ts";
import { contextOf, eventOf, messageOf } from "./test-fixtures.ts";

/**
 * The complaints check must see what it claims to: a complaint never opened, one nobody
 * made, one refunded twice, escalated though answered in time or without its timer, and
 * announced overdue twice — each planted in tables shaped like the services' (only the
 * columns it reads) and caught; complaints as the services leave them pass.
 */
let namespace: TestNamespace;
let db: pg.Pool;
const respondBy = new Date("2026-12-06T10:00:00Z");
const at = (seconds: number) => new Date(respondBy.getTime() + seconds * 1000);
// The simulated customers complained about the orders named so, asking back a fifth of 5,000.
const complaintRefundFor = ({ orderId }: { orderId: string }) => (orderId.startsWith("complained") ? 1_000 : 0);

beforeAll(async () => {
  namespace = await createTestNamespace();
  db = new pg.Pool({ connectionString: namespace.databaseUrl, max: 2 });
  await db.query(`
    CREATE SCHEMA fulfillment; CREATE SCHEMA intake; CREATE SCHEMA billing; CREATE SCHEMA after_sales;
    CREATE TABLE fulfillment.orders (order_id text PRIMARY KEY, status text NOT NULL);
    CREATE TABLE intake.orders (order_id text PRIMARY KEY, grand_total_minor bigint NOT NULL);
    CREATE TABLE billing.refunds (order_id text NOT NULL, amount_minor bigint NOT NULL, reference text NOT NULL);
    CREATE TABLE after_sales.cases (case_id text PRIMARY KEY, order_id text NOT NULL, kind text NOT NULL, status text NOT NULL, refund_minor bigint NOT NULL,
      respond_by timestamptz, answered_at timestamptz, escalated_at timestamptz, refunded_minor bigint NOT NULL DEFAULT 0, refund_shortfall_at timestamptz);
    CREATE TABLE after_sales.timers (kind text NOT NULL, timer_key text NOT NULL, fired_at timestamptz);`);
});

afterAll(async () => {
  await db?.end();
  await namespace?.drop();
});

beforeEach(async () => {
  await db.query("TRUNCATE fulfillment.orders, intake.orders, billing.refunds, after_sales.cases, after_sales.timers");
});

/**
 * A closed order with its complaint as the services leave it: answered at `answeredAt`
 * (seconds from its respond-by time), resolved, refunded once (`refunds` of `refundedEach`),
 * after-sales showing what billing refunded (`caseRefunded`) and a shortfall when `shortfall`.
 */
async function complained(
  orderId: string,
  answeredAt: number,
  { escalated = answeredAt > 0, refunds = 1, refundedEach = 1000, caseRefunded, shortfall = false }: { escalated?: boolean; refunds?: number; refundedEach?: number; caseRefunded?: number; shortfall?: boolean } = {},
): Promise<string> {
  const caseId = `complaint-${orderId}`;
  await db.query("INSERT INTO fulfillment.orders VALUES ($1, 'closed')", [orderId]);
  await db.query("INSERT INTO intake.orders VALUES ($1, 5000)", [orderId]);
  await db.query("INSERT INTO after_sales.cases VALUES ($1, $2, 'complaint', 'resolved', 1000, $3, $4, $5, $6, $7)", [
    caseId,
    orderId,
    respondBy,
    at(answeredAt),
    escalated ? at(0.5) : null,
    caseRefunded ?? refunds * refundedEach,
    shortfall ? at(1) : null,
  ]);
  for (let i = 0; i < refunds; i++) await db.query("INSERT INTO billing.refunds VALUES ($1, $2, $3)", [orderId, refundedEach, `after-sales:${caseId}`]);
  if (escalated) await db.query("INSERT INTO after_sales.timers VALUES ('aftersales.complaint-response', $1, $2)", [caseId, at(0.5)]);
  return caseId;
}

const shortOf = (orderId: string, caseId: string, refundedMinor: number) =>
  eventOf(EventTypes.CaseRefundShortfall, { caseId, requested: { minor: 1000, currency: "CNY" }, refunded: { minor: refundedMinor, currency: "CNY" }, reason: "already refunded" }, orderId, "billing");

const overdue = (orderId: string, caseId: string) =>
  eventOf(EventTypes.CaseOverdue, { caseId, respondBy: respondBy.toISOString(), escalatedTo: ["store-manager"] }, orderId, "after-sales");

describe("invariant: every complaint answered, escalated only when late, refunded once", () => {
  it("passes complaints answered in time, and late ones escalated once on their timer (a republished copy counts once)", async () => {
    await complained("complained-1", -60);
    const late = await complained("complained-2", 30);
    await db.query("INSERT INTO fulfillment.orders VALUES ('quiet-1', 'closed')");
    await db.query("INSERT INTO intake.orders VALUES ('quiet-1', 5000)");
    const announced = overdue("complained-2", late);
    const outcome = await complaintsHandledOnce(contextOf({ [Topics.afterSalesCase]: [messageOf(announced), messageOf(announced)] }, { db, complaintRefundFor }));
    expect(outcome.details).toEqual([]);
    expect(outcome.figure).toBe("2 complaints about 3 closed orders, each answered and resolved: 1 escalated on their timer, 2,000 refunded (minor units); 0 problems");
  });

  it("catches a complaint never opened, one nobody made, a refund twice, an escalation of an answer in time or without a timer, an overdue announced twice", async () => {
    await db.query("INSERT INTO fulfillment.orders VALUES ('complained-never', 'closed')");
    await db.query("INSERT INTO intake.orders VALUES ('complained-never', 5000)");
    await complained("quiet-1", -60);
    const twice = await complained("complained-twice", -60, { refunds: 2 });
    const inTime = await complained("complained-in-time", -60, { escalated: true });
    const noTimer = await complained("complained-no-timer", 30);
    await db.query("DELETE FROM after_sales.timers WHERE timer_key = $1", [noTimer]);
    const announcedTwice = await complained("complained-announced", 30);
    const messages = [overdue("complained-in-time", inTime), overdue("complained-no-timer", noTimer), overdue("complained-announced", announcedTwice), overdue("complained-announced", announcedTwice)];
    const outcome = await complaintsHandledOnce(contextOf({ [Topics.afterSalesCase]: messages.map((m) => messageOf(m)) }, { db, complaintRefundFor }));
    expect(outcome.details.sort()).toEqual(
      [
        "order complained-never: its complaint was never opened",
        "order quiet-1: complaint complaint-quiet-1 nobody made",
        `case ${twice}: billing refunded 2000, 1000 asked`,
        `case ${inTime}: escalated though answered at ${at(-60).toISOString()}, before ${respondBy.toISOString()}`,
        `case ${noTimer}: escalated without its timer having fired`,
        `case ${announcedTwice}: announced overdue 2 times, escalated`,
      ].sort(),
    );
  });

  it("holds each case's refund to billing's: the total refunded shown on the case, a short one announced once and recorded, a whole one with none", async () => {
    // Billing refunded 600 of the 1,000 named: the shortfall was announced (a republished copy counts once) and recorded.
    const shortKept = await complained("complained-short", -60, { refundedEach: 600, shortfall: true });
    const shortUnrecorded = await complained("complained-short-unrecorded", -60, { refundedEach: 600 });
    const shortTwice = await complained("complained-short-twice", -60, { refundedEach: 600, shortfall: true });
    const wholeButShort = await complained("complained-whole", -60, { shortfall: true });
    const shownWrong = await complained("complained-shown-wrong", -60, { caseRefunded: 0 });
    const keptShort = shortOf("complained-short", shortKept, 600);
    const messages = [keptShort, keptShort, shortOf("complained-short-unrecorded", shortUnrecorded, 600), shortOf("complained-short-twice", shortTwice, 600), shortOf("complained-short-twice", shortTwice, 600), shortOf("complained-whole", wholeButShort, 1000)];
    const outcome = await complaintsHandledOnce(contextOf({ [Topics.billingSettlement]: messages.map((m) => messageOf(m)) }, { db, complaintRefundFor }));
    expect(outcome.details.sort()).toEqual(
      [
        `case ${shortKept}: billing refunded 600, 1000 asked`,
        `case ${shortUnrecorded}: billing refunded 600, 1000 asked`,
        `case ${shortUnrecorded}: 600 refunded of 1000 named, no shortfall recorded`,
        `case ${shortTwice}: billing refunded 600, 1000 asked`,
        `case ${shortTwice}: refund shortfall announced 2 times, 600 refunded of 1000 named`,
        `case ${wholeButShort}: refund shortfall announced 1 times, 1000 refunded of 1000 named`,
        `case ${wholeButShort}: 1000 refunded of 1000 named, a shortfall recorded`,
        `case ${shownWrong}: after-sales shows 0 refunded, billing refunded 1000`,
      ].sort(),
    );
  });
});
