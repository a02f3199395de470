import { describe, expect, it } from "vitest";
import { callerHeaders } from "@oms/testing";
import { postSigned, withTestPlatformSecrets, tmallOrder } from "../../services/intake/src/test-fixtures.ts";
import { customer, delivery, intakeInFrontOfFulfillment, rider } from "./intake-fulfillment-fixture.ts";

// ADR 022, twenty-sixth-session addendum: what a customer sees of the store's staff. Through intake's
// REST API on the real fulfillment, the order a rider (r-7, as dispatch assigns it in the fixture)
// carried is read by its customer and by the marketplace it came in on without the rider's id —
// the assignee not at all, who did a step as the store — while the desk reads every id.
withTestPlatformSecrets();
const { world, submit, shipped } = intakeInFrontOfFulfillment();

const desk = callerHeaders("staff:cs-1:customer-service");
const marketplace = callerHeaders("platform:tmall");
const namesTheRider = (body: unknown) => /\br-7\b/.test(JSON.stringify(body));

describe("intake: an order as its customer reads it names no member of staff", () => {
  it("shows the customer neither whom it was assigned to nor the rider who delivered it, in the order and in every step's answer; the desk sees both", async () => {
    const orderId = await submit();
    await shipped(orderId);
    const delivered = await world.api.post(`/v1/orders/${orderId}/delivery`, delivery, rider);
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    // The rider's own answer is a staff view, as before.
    expect(delivered.body.assigneeStaffId).toBe("r-7");

    const seen = await world.api.get(`/v1/orders/${orderId}`, customer);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ status: "delivered", trackingNumber: "SF1234567" });
    expect(seen.body.assigneeStaffId).toBeUndefined();
    expect(seen.body.timeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: "order.assigned", kind: "order-status-changed", detail: "assigned" }),
        expect.objectContaining({ what: "delivery.recorded", detail: "courier by store, proof: signature", actor: "store" }),
      ]),
    );
    // Whom dispatch gave the task to is the store's working (ADR 022, twenty-seventh-session addendum): not on the customer's timeline.
    expect(seen.body.timeline.map((e: { what: string }) => e.what)).not.toContain("task.assigned");
    expect(seen.body.timeline.map((e: { actor: string }) => e.actor)).not.toContain("staff:r-7");
    expect(namesTheRider(seen.body), JSON.stringify(seen.body)).toBe(false);

    const accepted = await world.api.post(`/v1/orders/${orderId}/acceptance`, undefined, customer);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(namesTheRider(accepted.body), JSON.stringify(accepted.body)).toBe(false);

    const deskView = await world.api.get(`/v1/orders/${orderId}`, desk);
    expect(deskView.body.assigneeStaffId).toBe("r-7");
    expect(deskView.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ what: "delivery.recorded", actor: "staff:r-7", detail: "courier by r-7, proof: signature" })]));
  });

  it("shows the marketplace its order without the rider's id, and itself by its name when it records the delivery", async () => {
    const pushed = await postSigned(world.intake.httpPort, "tmall", tmallOrder());
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    const orderId = pushed.body.orderId as string;
    await shipped(orderId);
    const seen = await world.api.get(`/v1/orders/${orderId}`, marketplace);
    expect(seen.body).toMatchObject({ status: "shipped" });
    expect(seen.body.assigneeStaffId).toBeUndefined();
    expect(namesTheRider(seen.body), JSON.stringify(seen.body)).toBe(false);

    const delivered = await world.api.post(`/v1/orders/${orderId}/delivery`, delivery, marketplace);
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    expect(delivered.body.timeline).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor: "platform:tmall", what: "delivery.recorded", detail: "courier by platform:tmall, proof: signature" })]),
    );
    expect(namesTheRider(delivered.body), JSON.stringify(delivered.body)).toBe(false);
  });
});
