import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, readTopic, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
import { flaggedCustomerRepository } from "../adapters/pg/flagged-customer-repository.ts";
import { customerFlagKeyOf } from "../domain/customer-flag.ts";
import { createIntakeService } from "../service.ts";
import { demoOrder, freePort, httpClient, peersAt, postSigned, testOrderContacts, testPlatformSecrets, tmallOrder } from "../test-fixtures.ts";
import { seedDemoCatalogue } from "./commands/seed-demo-catalogue.ts";
import { flagContactBoundTo } from "./customer-flag-views.ts";
import { customerMatchingUnder } from "./customer-matching.ts";
import { matchFlaggedCustomersAfresh } from "./match-flagged-customers-afresh.ts";

// Intake alone: fulfillment is down, so "nothing reaches fulfillment" is what intake publishes.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
const flaggedCustomerId = `c-flagged-${randomUUID()}`;
const reviewer = callerHeaders("staff:staff-he-rev:reviewer");
const savedSecrets = process.env.INTAKE_PLATFORM_SECRETS;
// This intake's matching key, known to the test so it can write a flag under another one.
const matching = customerMatchingUnder(randomBytes(32));

beforeAll(async () => {
  namespace = await createTestNamespace();
  process.env.INTAKE_PLATFORM_SECRETS = JSON.stringify(testPlatformSecrets);
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust, customerMatching: matching }), testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  await seedDemoCatalogue(intake.runtime.pool);
  // Before any order, so the in-memory list is read with it.
  await flaggedCustomerRepository.flag(intake.runtime.pool, { customerKey: `id:${flaggedCustomerId}`, reason: "chargebacks" });
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  if (savedSecrets === undefined) delete process.env.INTAKE_PLATFORM_SECRETS;
  else process.env.INTAKE_PLATFORM_SECRETS = savedSecrets;
  await intake?.stop();
  await namespace?.drop();
});

async function eventsOf(orderId: string) {
  await intake.relay.flush();
  return (await readTopic(Topics.intakeOrder, namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
}

/** 11 rice cookers: 504,900 fen, above the Jing'an flagship's review threshold of 500,000. */
const largeOrder = () =>
  demoOrder({
    lines: [{ sku: "RICE-COOKER-5L", quantity: 11, unitPriceMinor: 45_900 }],
    totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 504_900, currency: "CNY" },
  });

async function submitForReview(order: Record<string, unknown>, customerId = "c-42") {
  const answer = await api.post("/v1/orders", order, callerHeaders(`customer:${customerId}`));
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  expect(answer.body).toMatchObject({ status: "in-review", reviewId: expect.any(String) });
  return answer.body as { orderId: string; reviewId: string };
}

describe("manual review", () => {
  it("holds a large order for review: 202 with the review id, OrderReviewRequested, and no OrderReceived", async () => {
    const order = await largeOrder();
    const { orderId, reviewId } = await submitForReview(order);
    const events = await eventsOf(orderId);
    expect(events.map((e) => e?.type)).toEqual([EventTypes.OrderReviewRequested]);
    expect(events[0]?.payload).toEqual({
      reviewId,
      reasons: ["large-amount: grand total 504900 reaches the store's review threshold 500000"],
      grandTotalMinor: 504_900,
      channel: "website",
    });
    const status = await api.get(`/v1/orders/${orderId}`);
    expect(status.body).toMatchObject({ status: "in-review", reviewId });
    const again = await api.post("/v1/orders", order);
    expect(again).toMatchObject({ status: 200, body: { orderId, status: "in-review", reviewId } });
    const cancel = await api.post(`/v1/orders/${orderId}/cancellation`, { reason: "changed my mind" });
    expect(cancel).toMatchObject({ status: 409, body: { code: "order.in-review" } });
  });

  it("holds doubtful quantities and flagged customers, and lists them in the store's queue for reviewers only", async () => {
    const bulk = await demoOrder({
      lines: [{ sku: "STRAWBERRY-500G", quantity: 51, unitPriceMinor: 5_990 }],
      totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 305_490, currency: "CNY" },
    });
    const held = await submitForReview(bulk);
    const base = await demoOrder();
    const flagged = await submitForReview({ ...base, customer: { ...(base.customer as object), customerId: flaggedCustomerId } }, flaggedCustomerId);

    const queue = await api.get("/v1/reviews?storeId=store-sh-jingan", reviewer);
    expect(queue.status).toBe(200);
    const byId = new Map(queue.body.reviews.map((r: { reviewId: string }) => [r.reviewId, r]));
    expect(byId.get(held.reviewId)).toMatchObject({
      status: "pending",
      reasons: ["unusual-quantity: lines[0] orders 51, above the store's limit of 50"],
      lines: [{ sku: "STRAWBERRY-500G", quantity: 51 }],
    });
    expect(byId.get(flagged.reviewId)).toMatchObject({ reasons: ["flagged-customer: the customer is flagged for review"] });
    expect(JSON.stringify(queue.body)).not.toContain("Zhou Lan");
    expect((await api.get("/v1/reviews?storeId=store-sh-pudong", reviewer)).body.reviews.map((r: { reviewId: string }) => r.reviewId)).not.toContain(held.reviewId);

    expect(await api.get("/v1/reviews", callerHeaders("staff:s-9:finance"))).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect((await api.post(`/v1/reviews/${held.reviewId}/approval`, {}, callerHeaders("staff:s-9:order-taker"))).status).toBe(403);
  });

  it("hands an approved order to fulfillment: OrderReviewApproved and OrderReceived (with the review id) together, once", async () => {
    const { orderId, reviewId } = await submitForReview(await largeOrder());
    const approved = await api.post(`/v1/reviews/${reviewId}/approval`, { note: "called the customer: a canteen" }, reviewer);
    expect(approved).toMatchObject({ status: 200, body: { reviewId, orderId, status: "approved", note: "called the customer: a canteen", decidedBy: "staff:staff-he-rev" } });
    const twice = await api.post(`/v1/reviews/${reviewId}/approval`, undefined, reviewer);
    expect(twice).toMatchObject({ status: 200, body: { status: "approved" } });

    const events = await eventsOf(orderId);
    expect(events.map((e) => e?.type)).toEqual([EventTypes.OrderReviewRequested, EventTypes.OrderReviewApproved, EventTypes.OrderReceived]);
    const received = events[2]!;
    if (received.type !== EventTypes.OrderReceived) throw new Error("expected OrderReceived");
    expect(received.payload).toMatchObject({ reviewId, order: { orderId, totals: { grandTotalMinor: 504_900 } } });
    expect(received.actor).toMatchObject({ kind: "staff", id: "staff-he-rev", role: "reviewer" });
    const row = await intake.runtime.pool.query("SELECT status FROM orders WHERE order_id = $1", [orderId]);
    expect(row.rows[0].status).toBe("received");
    expect((await api.get("/v1/reviews?storeId=store-sh-jingan", reviewer)).body.reviews.map((r: { reviewId: string }) => r.reviewId)).not.toContain(reviewId);
  });

  it("ends a rejected order rejected with the reason, shown by GET /v1/orders/{id}; it cannot be approved afterwards", async () => {
    const { orderId, reviewId } = await submitForReview(await largeOrder());
    expect((await api.post(`/v1/reviews/${reviewId}/rejection`, {}, reviewer)).body.errors).toEqual([{ field: "reason", message: "is required" }]);
    const rejected = await api.post(`/v1/reviews/${reviewId}/rejection`, { reason: "the address is a parcel locker; we cannot deliver 11 cookers" }, reviewer);
    expect(rejected).toMatchObject({ status: 200, body: { status: "rejected", reason: "the address is a parcel locker; we cannot deliver 11 cookers" } });

    // Its customer is told the outcome; the reviewer's words are the store's (ADR 022, twenty-seventh-session addendum, second reading).
    const status = await api.get(`/v1/orders/${orderId}`);
    expect(status).toMatchObject({ status: 200, body: { status: "rejected", rejectionReason: "the store could not accept the order", reviewId } });
    // The review's steps are the store's own check: staff read them, the customer reads the order received and rejected (ADR 022, twenty-seventh-session addendum).
    expect(status.body.timeline.map((t: { what: string }) => t.what)).toEqual(["order.received"]);
    const asReviewed = await api.get(`/v1/orders/${orderId}`, reviewer);
    expect(asReviewed.body.timeline.map((t: { what: string }) => t.what)).toEqual(["order.received", "review.requested", "review.rejected"]);
    expect(asReviewed.body.rejectionReason).toBe("the address is a parcel locker; we cannot deliver 11 cookers");

    expect(await api.post(`/v1/reviews/${reviewId}/approval`, {}, reviewer)).toMatchObject({ status: 409, body: { code: "review.already-rejected" } });
    expect((await eventsOf(orderId)).map((e) => e?.type)).toEqual([EventTypes.OrderReviewRequested, EventTypes.OrderReviewRejected]);
    expect(await api.post(`/v1/reviews/${randomUUID()}/approval`, {}, reviewer)).toMatchObject({ status: 404, body: { code: "review.not-found" } });
  });

  it("holds a large marketplace order for review too, naming its channel", async () => {
    const order = tmallOrder({
      orders: [{ outer_iid: "TM-600200", num: 11, price_fen: 45_900 }],
      payment: { total_fee_fen: 504_900, post_fee_fen: 0, discount_fee_fen: 0, paid_at: "2026-05-01 09:00:00" },
    });
    const answer = await postSigned(intake.httpPort, "tmall", order);
    expect(answer).toMatchObject({ status: 202, body: { status: "in-review", channel: "marketplace:tmall" } });
    const [event] = await eventsOf(answer.body.orderId);
    expect(event).toMatchObject({ type: EventTypes.OrderReviewRequested, payload: { channel: "marketplace:tmall", grandTotalMinor: 504_900 } });
  });
});

describe("manual review of customers flagged by phone or e-mail", () => {
  const flaggedReason = "flagged-customer: the customer is flagged for review";
  const freshDigits = () => `86138${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  const spelled = (digits: string, separator: string) => `+${digits.slice(0, 2)} ${digits.slice(2, 5)}${separator}${digits.slice(5, 9)}${separator}${digits.slice(9)}`;

  async function reasonsOfOrderFrom(phone: string): Promise<string[]> {
    const base = await demoOrder();
    const answer = await api.post("/v1/orders", { ...base, customer: { ...(base.customer as object), phone } }, callerHeaders("customer:c-42"));
    expect([201, 202], JSON.stringify(answer.body)).toContain(answer.status);
    if (answer.status === 201) return [];
    const queue = await api.get("/v1/reviews?storeId=store-sh-jingan&pageSize=200", reviewer);
    return queue.body.reviews.find((r: { reviewId: string }) => r.reviewId === answer.body.reviewId)?.reasons;
  }

  it("holds the order of a phone flagged in another spelling, though the table holds only its digest", async () => {
    const digits = freshDigits();
    const flagged = await api.post("/v1/customers/flags", { phone: spelled(digits, "-"), reason: "chargebacks" }, reviewer);
    expect(flagged.status).toBe(201);
    const row = await intake.runtime.pool.query<{ row: string }>("SELECT t::text AS row FROM flagged_customers t WHERE customer_key = $1", [flagged.body.customerKey]);
    expect(row.rows).toHaveLength(1);
    expect(row.rows[0]!.row).not.toContain(digits.slice(2));
    expect(await reasonsOfOrderFrom(spelled(digits, " "))).toEqual([flaggedReason]);
    expect(await reasonsOfOrderFrom(spelled(freshDigits(), " "))).toEqual([]);
  });

  it("does not match a flag digested under another matching key, until intake digests it again under its own", async () => {
    const digits = freshDigits();
    const other = customerMatchingUnder(randomBytes(32));
    const customerKey = customerFlagKeyOf({ by: "phone", phone: digits }, other.digestOf);
    await flaggedCustomerRepository.flag(intake.runtime.pool, {
      customerKey,
      reason: "flagged under the old key",
      sealedContact: testOrderContacts.sealValue({ phone: digits }, flagContactBoundTo(customerKey)),
      matchedUnder: other.keyCheck,
    });
    // The in-memory list is at most a second old.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await reasonsOfOrderFrom(spelled(digits, " "))).toEqual([]);

    // What a start under the new key does after a rotation: the contact is opened and digested again.
    const counts = await matchFlaggedCustomersAfresh(intake.runtime.pool, { contacts: testOrderContacts, matching }, createLogger({ service: "intake-test", level: "silent" }));
    expect(counts.rekeyed).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await reasonsOfOrderFrom(spelled(digits, "-"))).toEqual([flaggedReason]);
    const keys = await intake.runtime.pool.query("SELECT customer_key FROM flagged_customers WHERE reason = 'flagged under the old key'");
    expect(keys.rows).toEqual([{ customer_key: customerFlagKeyOf({ by: "phone", phone: digits }, matching.digestOf) }]);
  });
});
