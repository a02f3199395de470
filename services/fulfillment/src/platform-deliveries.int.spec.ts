import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import { eventually, publishEvents } from "@oms/testing";
import { taskIdOf } from "./domain/ids.ts";
import { type FulfillmentUnderTest, intakeOrderReceived, startTestFulfillment } from "./test-fixtures.ts";

/**
 * Intake lets a platform record the delivery of the orders that came in on it only (ADR 022,
 * twenty-sixth session); fulfillment, which intake asks, holds the same rule itself (ADR 022,
 * twenty-seventh session): a platform recording another channel's order is answered NOT_FOUND,
 * as for an order nobody placed, and the order is left as it was.
 */
let under: FulfillmentUnderTest;
const storeId = `store-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

/** A service order of the channel given, assigned: delivered on site from here. */
async function assignedOrderOn(channel: string): Promise<string> {
  const orderId = randomUUID();
  const received = intakeOrderReceived(orderId, true, storeId);
  Object.assign((received.payload as unknown as { order: Record<string, unknown> }).order, { channel, kind: "service", fulfillmentMethod: "on-site", tags: ["skill:cleaning"] });
  await publishEvents(under.namespace.name, Topics.intakeOrder, [received]);
  await under.statusOf(orderId, "credit-checked");
  await publishEvents(under.namespace.name, Topics.dispatchAssignment, [
    newEvent(
      EventTypes.TaskAssigned,
      { taskId: taskIdOf(orderId), assignmentId: randomUUID(), staffId: "staff-zhang-min", acknowledgeBy: "", fencingToken: 1 },
      { producer: "dispatch", orderId, storeId, correlationId: received.correlationId, actor: { kind: "system", id: "dispatch", role: "system" } },
    ),
  ]);
  await under.statusOf(orderId, "assigned");
  return orderId;
}

const deliveryBy = (platform: string, orderId: string) =>
  under.commands.recordDelivery({
    orderId,
    caller: { kind: "platform", id: platform, role: "platform" },
    deliveredAt: new Date().toISOString(),
    place: "the customer's flat",
    method: "on-site",
    proofKind: "signature",
    proofRef: "sig-1",
    collectedMinor: 0,
    partId: "",
    correlationId: "",
  });

describe("fulfillment: a platform records the deliveries of its own channel's orders only", () => {
  it("refuses another channel's order as unknown, leaving it as it was, and records its own", async () => {
    const website = await assignedOrderOn("website");
    const onTmall = await assignedOrderOn("marketplace:tmall");
    for (const [platform, orderId] of [["tmall", website], ["pinduoduo", onTmall]] as const) {
      const refusal = await deliveryBy(platform, orderId).then(() => undefined, (error: unknown) => error);
      expect(refusal, platform).toBeInstanceOf(NotFoundError);
      expect(refusal).toMatchObject({ code: "order.not-found" });
      const unchanged = await under.query.getOrder({ orderId });
      expect(unchanged.status).toBe("assigned");
      expect(unchanged.timeline.map((t) => t.what)).not.toContain("delivery.recorded");
    }
    expect((await deliveryBy("tmall", onTmall)).status).toBe("delivered");
  });
});

describe("fulfillment: a carrier's shipment exception, reported through the warehouse (ADR 022, twenty-seventh session, second reading)", () => {
  it("is recorded on the order of any channel: the carrier named as the fact's reporter is no platform asking for it", async () => {
    const orderId = await assignedOrderOn("website");
    const carrier = { kind: "platform", id: "sf-express", role: "carrier" } as const;
    await publishEvents(under.namespace.name, Topics.warehouseStock, [
      newEvent(
        EventTypes.ShipmentException,
        { shipmentId: "", reservationId: "", kind: "delayed", cause: "typhoon closed the depot", nextStep: "redelivered tomorrow", newEta: new Date(Date.now() + 86_400_000).toISOString() },
        { producer: "warehouse", orderId, storeId, actor: carrier },
      ),
    ]);
    // Refused, the batch would roll back and be retried until dead-lettered: the line would never come.
    const told = await eventually(async () => {
      const order = await under.query.getOrder({ orderId });
      return order.timeline.some((t) => t.what === "order.exception-delayed") ? order : undefined;
    }, 15_000);
    expect(told.timeline.find((t) => t.what === "order.exception-delayed")?.detail).toContain("typhoon closed the depot");
    expect(told.status).toBe("assigned");
  });
});
