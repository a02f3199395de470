import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import type { KafkaMessage } from "kafkajs";
import { EventTypes, Topics, type OrderEvent } from "@oms/contracts";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import type { CheckContext, InvariantResult } from "./context.ts";
import { onCreditOrdersDecidedOnce } from "./credit.ts";
import { contextOf, eventOf, messageOf } from "./test-fixtures.ts";

/**
 * The credit check must see what it claims to: an order decided twice, approved for a poor
 * customer or past the limit, refused within it, refused but not cancelled, held and never
 * decided, decided for a customer never assessed or for an order not bought on credit, and
 * billing's record saying otherwise than its topic — each planted in tables shaped like the
 * services' (only the columns it reads) and in messages like the topics', and caught; orders
 * as the services leave them pass.
 */
let namespace: TestNamespace;
let db: pg.Pool;
const limitMinor = 1_000_000;
const poorReason = "poor credit: the customer pays in advance or on delivery";
let billingTopic: KafkaMessage[] = [];
let fulfillmentTopic: KafkaMessage[] = [];

beforeAll(async () => {
  namespace = await createTestNamespace();
  db = new pg.Pool({ connectionString: namespace.databaseUrl, max: 2 });
  await db.query(`
    CREATE SCHEMA fulfillment; CREATE SCHEMA billing;
    CREATE TABLE fulfillment.orders (order_id text PRIMARY KEY, status text NOT NULL, body jsonb NOT NULL);
    CREATE TABLE fulfillment.timeline (order_id text NOT NULL, what text NOT NULL, detail text NOT NULL DEFAULT '');
    CREATE TABLE billing.credit_assessments (assessment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id text NOT NULL, rating text NOT NULL,
      limit_minor bigint NOT NULL, currency text NOT NULL);
    CREATE TABLE billing.credit_orders (order_id text PRIMARY KEY, customer_id text NOT NULL, total_minor bigint NOT NULL, currency text NOT NULL,
      decision text NOT NULL DEFAULT 'awaiting');`);
});

afterAll(async () => {
  await db?.end();
  await namespace?.drop();
});

beforeEach(async () => {
  await db.query("TRUNCATE fulfillment.orders, fulfillment.timeline, billing.credit_assessments, billing.credit_orders");
  await db.query(`INSERT INTO billing.credit_assessments (customer_id, rating, limit_minor, currency) VALUES
    ('b2b-good', 'poor', 0, ''), ('b2b-good', 'good', $1, 'CNY'), ('b2b-poor', 'poor', 0, '')`, [limitMinor]);
  billingTopic = [];
  fulfillmentTopic = [];
});

const checked = (): Promise<InvariantResult> =>
  onCreditOrdersDecidedOnce({ ...contextOf({ [Topics.billingSettlement]: billingTopic, [Topics.fulfillmentOrder]: fulfillmentTopic }), db } satisfies CheckContext);

function decided(orderId: string, customerId: string, approved: boolean, exposure = 0): OrderEvent {
  const money = (minor: number) => ({ minor, currency: "CNY" });
  const reason = approved ? "within the credit limit" : poorReason;
  return eventOf(EventTypes.CreditDecided, { customerId, approved, reason, limit: money(approved ? limitMinor : 0), exposure: money(exposure), termsDays: approved ? 30 : 0 }, orderId, "billing");
}

/**
 * An on-credit order of 5,000 as the services leave it: recorded by billing, held for credit
 * by fulfillment, decided once by billing (approved: gone on; refused: cancelled for credit).
 */
async function onCredit(orderId: string, customerId: string, outcome: "approved" | "refused" | "awaiting", { exposure = 0, total = 5_000 } = {}): Promise<OrderEvent | undefined> {
  const status = outcome === "approved" ? "assigned" : outcome === "refused" ? "cancelled" : "on-hold";
  await db.query("INSERT INTO fulfillment.orders VALUES ($1, $2, $3)", [orderId, status, { customerId, paymentMethod: "on-credit", prepaid: false, totals: { grandTotalMinor: total, currency: "CNY" } }]);
  await db.query("INSERT INTO billing.credit_orders VALUES ($1, $2, $3, 'CNY', $4)", [orderId, customerId, total, outcome]);
  await db.query("INSERT INTO fulfillment.timeline VALUES ($1, 'order.on-hold', 'on-credit order awaits credit approval')", [orderId]);
  fulfillmentTopic.push(
    messageOf(eventOf(EventTypes.OrderStatusChanged, { fromStatus: "confirmed", toStatus: "on-hold", reason: "", carrier: "", trackingNumber: "", holdReason: "awaiting-credit" }, orderId)),
  );
  if (outcome === "awaiting") return undefined;
  if (outcome === "approved") await db.query("INSERT INTO fulfillment.timeline VALUES ($1, 'order.credit-checked', 'credit approved: within the credit limit')", [orderId]);
  else await db.query("INSERT INTO fulfillment.timeline VALUES ($1, 'order.cancelled', $2)", [orderId, `credit refused: ${poorReason}`]);
  const decision = decided(orderId, customerId, outcome === "approved", exposure);
  billingTopic.push(messageOf(decision));
  return decision;
}

describe("invariant: every on-credit order decided once, by its customer's credit", () => {
  it("passes approvals within a good customer's limit, a poor customer's refusal, a republished copy, an order cancelled before its hold and one a clerk approves by hand", async () => {
    const first = await onCredit("o-good-1", "b2b-good", "approved");
    await onCredit("o-good-2", "b2b-good", "approved", { exposure: 5_000 });
    await onCredit("o-poor", "b2b-poor", "refused");
    // A relay that died before marking the decision published publishes it again, under its id.
    billingTopic.push(messageOf(first!));
    // Never confirmed, cancelled by rule before it was held: nothing to decide.
    await db.query(`INSERT INTO fulfillment.orders VALUES ('o-unconfirmed', 'cancelled', '{"customerId": "b2b-good", "paymentMethod": "on-credit", "prepaid": false, "totals": {"grandTotalMinor": 5000, "currency": "CNY"}}')`);
    await db.query("INSERT INTO billing.credit_orders VALUES ('o-unconfirmed', 'b2b-good', 5000, 'CNY')");
    // A customer never assessed: billing leaves the order to a clerk.
    await onCredit("o-clerk", "b2b-new", "awaiting");
    const verdict = await checked();
    expect(verdict.details).toEqual([]);
    expect(verdict.figure).toBe(
      "4 on-credit orders of 2 customers: 2 approved, 1 refused, each once; 1 never held for credit (cancelled unconfirmed); 1 more by customers never assessed, for a clerk to decide; 0 problems",
    );
  });

  it("catches an order decided twice under two event ids", async () => {
    const first = await onCredit("o-twice", "b2b-good", "approved");
    const again = decided("o-twice", "b2b-good", true, 5_000);
    billingTopic.push(messageOf(again));
    expect((await checked()).details).toEqual([`order o-twice of b2b-good: decided 2 times (${first!.eventId}, ${again.eventId})`]);
  });

  it("catches a poor customer's order approved", async () => {
    await onCredit("o-poor", "b2b-poor", "approved");
    expect((await checked()).details).toEqual(["order o-poor of b2b-poor: approved, though the customer's credit is poor"]);
  });

  it("catches an order refused but not cancelled, and one approved but cancelled for credit", async () => {
    await onCredit("o-refused", "b2b-poor", "refused");
    await db.query("UPDATE fulfillment.orders SET status = 'on-hold' WHERE order_id = 'o-refused'");
    await db.query("DELETE FROM fulfillment.timeline WHERE order_id = 'o-refused' AND what = 'order.cancelled'");
    await onCredit("o-approved", "b2b-good", "approved");
    await db.query("INSERT INTO fulfillment.timeline VALUES ('o-approved', 'order.cancelled', 'credit refused: over the credit limit')");
    expect((await checked()).details).toEqual([
      "order o-approved of b2b-good: approved, but fulfillment cancelled it for credit",
      "order o-refused of b2b-poor: refused, but fulfillment has it on-hold, not cancelled for credit",
    ]);
  });

  it("catches a good customer's order approved past the limit, one refused within it, and one decided against another limit", async () => {
    await onCredit("o-past", "b2b-good", "approved", { exposure: 996_000 });
    await onCredit("o-within", "b2b-good", "refused");
    await onCredit("o-other-limit", "b2b-good", "approved");
    billingTopic.pop();
    billingTopic.push(messageOf(eventOf(EventTypes.CreditDecided, { customerId: "b2b-good", approved: true, reason: "", limit: { minor: 2_000_000, currency: "CNY" }, exposure: { minor: 0, currency: "CNY" }, termsDays: 30 }, "o-other-limit", "billing")));
    expect((await checked()).details).toEqual([
      "order o-other-limit of b2b-good: decided against a limit of 2000000, the customer's is 1000000",
      "order o-past of b2b-good: approved past the limit: 996000 owed and this order's 5000 against a limit of 1000000",
      // Planted refused as a poor customer's is, with no limit: a good customer is judged by the limit.
      "order o-within of b2b-good: decided against a limit of 0, the customer's is 1000000",
    ]);
    billingTopic.splice(1, 1, messageOf(eventOf(EventTypes.CreditDecided, { customerId: "b2b-good", approved: false, reason: "", limit: { minor: limitMinor, currency: "CNY" }, exposure: { minor: 0, currency: "CNY" }, termsDays: 30 }, "o-within", "billing")));
    expect((await checked()).details).toContain("order o-within of b2b-good: refused within the limit: 0 owed and this order's 5000 against a limit of 1000000");
  });

  it("catches a decision for a customer never assessed, for an order never held, and for an order not bought on credit", async () => {
    await onCredit("o-unassessed", "b2b-new", "awaiting");
    billingTopic.push(messageOf(decided("o-unassessed", "b2b-new", true)));
    await db.query(`INSERT INTO fulfillment.orders VALUES ('o-never-held', 'cancelled', '{"customerId": "b2b-good", "paymentMethod": "on-credit", "prepaid": false, "totals": {"grandTotalMinor": 5000, "currency": "CNY"}}')`);
    await db.query("INSERT INTO billing.credit_orders VALUES ('o-never-held', 'b2b-good', 5000, 'CNY', 'approved')");
    billingTopic.push(messageOf(decided("o-never-held", "b2b-good", true)));
    billingTopic.push(messageOf(decided("o-prepaid", "b2b-good", true)));
    expect((await checked()).details).toEqual([
      "order o-never-held of b2b-good: decided by billing, but it was never held for credit",
      "order o-never-held of b2b-good: billing records it approved, with nothing to decide",
      "order o-unassessed of b2b-new: decided by billing (1 times), but the customer was never assessed",
      "order o-prepaid: 1 credit decisions, but it was not bought on credit",
    ]);
  });

  it("catches an order held and never decided, billing's record saying otherwise than its topic, and an order billing never recorded", async () => {
    await onCredit("o-waiting", "b2b-good", "awaiting");
    await onCredit("o-disagrees", "b2b-poor", "refused");
    await db.query("UPDATE billing.credit_orders SET decision = 'approved' WHERE order_id = 'o-disagrees'");
    await onCredit("o-unrecorded", "b2b-good", "approved");
    await db.query("DELETE FROM billing.credit_orders WHERE order_id = 'o-unrecorded'");
    expect((await checked()).details).toEqual([
      "order o-disagrees of b2b-poor: refused on billing's topic, approved in billing's credit_orders",
      "order o-unrecorded of b2b-good: billing never recorded the on-credit order",
      "order o-waiting of b2b-good: held for credit and never decided",
    ]);
  });
});
