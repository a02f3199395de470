import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { intakeOrderReceived, startTestFulfillment, type FulfillmentUnderTest } from "./test-fixtures.ts";

/**
 * A goods order not delivered by the time its customer asked for is escalated to the store
 * manager on a durable timer (DOMAIN.md, Tracking); one cancelled before then is not.
 */
let under: FulfillmentUnderTest;
const storeId = "store-sh-jingan";

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

/** A goods order the customer asked to have by `requestedUntil`. */
function askedBy(orderId: string, requestedUntil: string): OrderEvent {
  const received = intakeOrderReceived(orderId, true, storeId);
  if (received.type !== EventTypes.OrderReceived) throw new Error("not an OrderReceived");
  return { ...received, payload: { ...received.payload, order: { ...received.payload.order!, requestedUntil } } };
}

describe("a goods order's requested delivery time", () => {
  it("escalates to the store manager, once, an order still on its way when the time passes, and not one cancelled before it", async () => {
    const [late, cancelled] = [randomUUID(), randomUUID()];
    const due = new Date(Date.now() + 2_000).toISOString();
    await publishEvents(under.namespace.name, Topics.intakeOrder, [askedBy(late, due), askedBy(cancelled, due)]);
    await under.statusOf(cancelled, "credit-checked");
    await under.commands.cancelOrder({ orderId: cancelled, caller: { kind: "customer", id: "c-42", role: "customer" }, reason: "changed my mind", correlationId: "" });

    const escalated = await eventually(async () => {
      const view = await under.query.getOrder({ orderId: late });
      return view.timeline.find((t) => t.what === "order.escalated");
    }, 20_000);
    expect(escalated).toMatchObject({ actor: "system:fulfillment" });
    expect(escalated!.detail).toContain(`not delivered by ${due}`);
    await under.fulfillment.relay.flush();
    const escalations = (await readTopic(Topics.fulfillmentOrder, under.namespace.name))
      .map((m) => decodeEvent(m.value!))
      .filter((e) => e?.type === EventTypes.OrderEscalated && (e.orderId === late || e.orderId === cancelled));
    expect(escalations.map((e) => [e!.orderId, (e!.payload as { escalatedTo: string }).escalatedTo])).toEqual([[late, "store-manager"]]);
    const timers = await under.fulfillment.runtime.pool.query<{ order_id: string; fired: boolean; cancelled: boolean }>(
      "SELECT order_id, fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled FROM timers WHERE kind = 'delivery-deadline' AND order_id = ANY($1)",
      [[late, cancelled]],
    );
    expect(Object.fromEntries(timers.rows.map((t) => [t.order_id, [t.fired, t.cancelled]]))).toEqual({ [late]: [true, false], [cancelled]: [false, true] });
  });
});
