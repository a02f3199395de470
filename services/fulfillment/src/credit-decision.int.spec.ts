import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, systemActor } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { reservationIdOf } from "./domain/ids.ts";
import { type FulfillmentUnderTest, intakeOrderReceived, startTestFulfillment } from "./test-fixtures.ts";

/** Finance's credit decision over gRPC, and who may cancel an order. */
let under: FulfillmentUnderTest;
const storeId = `store-${randomUUID().slice(0, 8)}`;
const finance = { kind: "staff", id: "staff-fin", role: "finance" };
const orderTaker = { kind: "staff", id: "staff-ot", role: "order-taker" };

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

/** An order a business customer buys on credit, confirmed by the channel: it waits for finance. */
async function orderAwaitingCredit(): Promise<string> {
  const orderId = randomUUID();
  const received = intakeOrderReceived(orderId, true, storeId);
  Object.assign((received.payload as unknown as { order: Record<string, unknown> }).order, { paymentMethod: "on-credit", prepaid: false });
  await publishEvents(under.namespace.name, Topics.intakeOrder, [received]);
  const held = await under.statusOf(orderId, "on-hold");
  expect(held.holdReason).toBe("awaiting-credit");
  return orderId;
}

async function publishedFor(orderId: string) {
  await under.fulfillment.relay.flush();
  return (await readTopic(Topics.fulfillmentOrder, under.namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
}

const request = (orderId: string, caller: typeof finance, reason = "") => ({ orderId, caller, reason, correlationId: "" });

describe("finance's credit decision", () => {
  it("lets an approved on-credit order go on to its stock reservation, with who approved it on the timeline", async () => {
    const orderId = await orderAwaitingCredit();
    await expect(under.commands.approveCredit(request(orderId, orderTaker))).rejects.toMatchObject({ kind: "forbidden", code: "order.credit-by-finance" });

    const approved = await under.commands.approveCredit(request(orderId, finance, "limit 50,000 CNY, 30 days"));

    expect(approved).toMatchObject({ status: "credit-checked", holdReason: "", reservationId: reservationIdOf(orderId) });
    expect(approved.timeline.find((t) => t.what === "order.credit-checked")).toMatchObject({ actor: "staff:staff-fin", detail: "credit approved: limit 50,000 CNY, 30 days" });
    expect((await publishedFor(orderId)).map((e) => e?.type)).toContain(EventTypes.StockReservationRequested);
    // Decided once: a second decision names the state the order is in.
    await expect(under.commands.refuseCredit(request(orderId, finance, "overdue"))).rejects.toMatchObject({
      kind: "illegal-state",
      code: "order.not-awaiting-credit",
      message: expect.stringContaining("is credit-checked"),
    });
  });

  it("cancels a refused on-credit order with the reason, and asks for the reason first", async () => {
    const orderId = await orderAwaitingCredit();
    await expect(under.commands.refuseCredit(request(orderId, finance, " "))).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "reason" })] });

    const refused = await under.commands.refuseCredit(request(orderId, finance, "two invoices 90 days overdue"));

    expect(refused.status).toBe("cancelled");
    const cancelled = (await publishedFor(orderId)).find((e) => e?.type === EventTypes.OrderCancelled);
    expect(cancelled?.payload).toEqual({ reason: "credit refused: two invoices 90 days overdue", reasonCode: "credit-refused", refundDue: false });
  });
});

describe("billing's credit decision by the customer's assessment", () => {
  function decidedByBilling(orderId: string, approved: boolean, reason: string) {
    return newEvent(
      EventTypes.CreditDecided,
      { customerId: "c-b2b", approved, reason, limit: { minor: 50_000, currency: "CNY" }, exposure: { minor: 0, currency: "CNY" }, termsDays: 30 },
      { producer: "billing", orderId, storeId, actor: systemActor("billing") },
    );
  }

  it("announces the hold for credit as such, then goes on or is cancelled as billing decided, billing named on the timeline", async () => {
    const [approvedId, refusedId] = [await orderAwaitingCredit(), await orderAwaitingCredit()];
    const hold = (await publishedFor(approvedId)).find((e) => e?.type === EventTypes.OrderStatusChanged && e.payload.toStatus === "on-hold");
    expect(hold?.payload).toMatchObject({ holdReason: "awaiting-credit" });

    await publishEvents(under.namespace.name, Topics.billingSettlement, [
      decidedByBilling(approvedId, true, "within the credit limit: 900 of 50000 CNY owed, 30 days to pay"),
      decidedByBilling(refusedId, false, "poor credit: the customer pays in advance or on delivery"),
    ]);
    const approved = await under.statusOf(approvedId, "credit-checked");
    expect(approved.timeline.find((t) => t.what === "order.credit-checked")?.detail).toBe("credit approved: within the credit limit: 900 of 50000 CNY owed, 30 days to pay");
    expect(approved.timeline.find((t) => t.what === "credit.approved")).toMatchObject({ actor: "system:billing", service: "billing" });
    const refused = await under.statusOf(refusedId, "cancelled");
    expect(refused.timeline.find((t) => t.what === "order.cancelled")?.detail).toBe("credit refused: poor credit: the customer pays in advance or on delivery");
  });

  it("lets a clerk's decision made first stand when billing's arrives after it", async () => {
    const orderId = await orderAwaitingCredit();
    await under.commands.approveCredit(request(orderId, finance, "known customer"));
    const late = decidedByBilling(orderId, false, "over the credit limit");
    await publishEvents(under.namespace.name, Topics.billingSettlement, [late]);
    await eventually(async () => ((await under.query.getOrder({ orderId })).timeline.some((t) => t.what === "credit.refused") ? true : undefined));
    expect((await under.query.getOrder({ orderId })).status).not.toBe("cancelled");
  });
});

describe("who may cancel", () => {
  it("refuses a cancellation by staff who do not speak for the customer or the store, and takes the order taker's", async () => {
    const orderId = await orderAwaitingCredit();
    await expect(under.commands.cancelOrder(request(orderId, { kind: "staff", id: "staff-clerk", role: "warehouse-clerk" }, "no room on the shelf"))).rejects.toMatchObject({
      kind: "forbidden",
      code: "order.cancel-not-permitted",
    });
    expect((await under.query.getOrder({ orderId })).status).toBe("on-hold");
    expect((await under.commands.cancelOrder(request(orderId, orderTaker, "customer called: no longer needed"))).status).toBe("cancelled");
  });
});
