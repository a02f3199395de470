import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import { publishEvents } from "@oms/testing";
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
