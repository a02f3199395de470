import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerHeaders } from "@oms/testing";
import { intakeInFrontOfFulfillment } from "./intake-fulfillment-fixture.ts";

// A member of staff held to a store, whose role may not take a route's step, asks about another store's real
// ids and about ids nobody created: the same 403 caller.not-permitted either way, so they learn nothing of which
// ids exist or whose they are (ADR 022, twenty-eighth session). Before, the store scope looked the id up first:
// 403 caller.out-of-store-scope for the real one, the route's answer (404, or the role) for the unknown one.
// The demo order is taken for store-sh-jingan; these callers work at store-sh-pudong.
const { world, submit, statusOf } = intakeInFrontOfFulfillment();

/** What a caller can tell two answers apart by: the status and the problem, less the id it names. */
const answerOf = async (asked: Promise<{ status: number; body: Record<string, unknown> }>, id: string) => {
  const { status, body } = await asked;
  return { status, code: body.code, title: body.title, detail: String(body.detail ?? "").replaceAll(id, "<id>") };
};
const notPermitted = { status: 403, code: "caller.not-permitted" };

describe("the role before the store scope: another store's ids and unknown ones are told apart by nobody", () => {
  it("an order's and its settlement dispute's steps, asked by a rider and the counter of another store", async () => {
    const orderId = await submit();
    await statusOf(orderId, "credit-checked");
    const opened = await world.api.post(
      `/v1/orders/${orderId}/settlement-disputes`,
      { requestId: `role-first-${orderId}`, kind: "amount", amountMinor: 1_000, statement: "charged twice" },
      callerHeaders("staff:f-1:finance"),
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const rider = callerHeaders("staff:r-9:rider@store-sh-pudong");
    const unknownOrder = randomUUID();
    const decision = { approved: true, reason: "fine" };

    const real = await answerOf(world.api.post(`/v1/orders/${orderId}/credit-decision`, decision, rider), orderId);
    expect(real).toMatchObject(notPermitted);
    expect(await answerOf(world.api.post(`/v1/orders/${unknownOrder}/credit-decision`, decision, rider), unknownOrder)).toEqual(real);

    const disputeId = opened.body.disputeId as string;
    const unknownDispute = randomUUID();
    const finding = { findingId: "f-1", finding: "one payment on our books" };
    // The counter hands pick-ups over; it is no department a dispute is routed to.
    const counter = callerHeaders("staff:c-9:counter@store-sh-pudong");
    const realDispute = await answerOf(world.api.post(`/v1/settlement-disputes/${disputeId}/findings`, finding, counter), disputeId);
    expect(realDispute).toMatchObject(notPermitted);
    expect(await answerOf(world.api.post(`/v1/settlement-disputes/${unknownDispute}/findings`, finding, counter), unknownDispute)).toEqual(realDispute);

    // Refused before anything was done.
    expect((await world.api.get(`/v1/orders/${orderId}`, callerHeaders("staff:a-1:auditor"))).body.status).toBe("credit-checked");
  });

  it("a force-majeure declaration's lifting, asked by a rider of another store", async () => {
    const eventId = `typhoon-${randomUUID()}`;
    const declaration = { eventId, kind: "typhoon", cause: "typhoon: roads closed", from: new Date(Date.now() - 60_000).toISOString() };
    expect((await world.api.post("/v1/stores/store-sh-jingan/force-majeure", declaration, callerHeaders("staff:m-1:store-manager@store-sh-jingan"))).status).toBe(201);
    const rider = callerHeaders("staff:r-9:rider@store-sh-pudong");
    const real = await answerOf(world.api.post(`/v1/force-majeure/${eventId}/lifting`, {}, rider), eventId);
    expect(real).toMatchObject(notPermitted);
    const unknownEvent = `typhoon-${randomUUID()}`;
    expect(await answerOf(world.api.post(`/v1/force-majeure/${unknownEvent}/lifting`, {}, rider), unknownEvent)).toEqual(real);
  });
});
