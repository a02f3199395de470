import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { SettlementUnitOfWork } from "./app/settlement-unit-of-work.ts";
import { type BillingUnderTest, startTestBilling, whileHolding } from "./test-fixtures.ts";

let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

function settlementRequested(orderId: string, prepaid: boolean): OrderEvent {
  return newEvent(
    EventTypes.SettlementRequested,
    {
      settlementId: randomUUID(),
      totals: { linesMinor: 10_000, discountMinor: 0, shippingFeeMinor: 800, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 10_800, currency: "CNY" },
      paymentMethod: prepaid ? "third-party" : "cash",
      prepaid,
      channel: "website",
    },
    { producer: "fulfillment", orderId, storeId: "store-test", actor: { kind: "system", id: "fulfillment", role: "system" } },
  );
}

async function settlementEventsOf(orderId: string) {
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
}

describe("billing", () => {
  it("prepares the settlement fulfillment asks for, answers it over gRPC and announces it", async () => {
    const orderId = randomUUID();
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [settlementRequested(orderId, true)]);

    const view = await eventually(() => under.query.getSettlement({ orderId }).catch(() => undefined));
    expect(view).toMatchObject({ orderId, status: "paid", amountDue: { minor: 10_800, currency: "CNY" } });
    const events = await eventually(async () => ((await settlementEventsOf(orderId)).length >= 2 ? settlementEventsOf(orderId) : undefined));
    expect(events.map((e) => e?.type)).toEqual([EventTypes.SettlementPrepared, EventTypes.OrderSettled]);
  });

  it("answers NOT_FOUND as a domain error for an unknown order", async () => {
    await expect(under.query.getSettlement({ orderId: randomUUID() })).rejects.toMatchObject({ kind: "not-found" });
  });

  it("applies a redelivered request once", async () => {
    const orderId = randomUUID();
    const request = settlementRequested(orderId, false);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request, request]);
    await eventually(() => under.query.getSettlement({ orderId }).catch(() => undefined));
    await under.billing.relay.flush();
    const events = await settlementEventsOf(orderId);
    expect(events).toHaveLength(1);
  });

  it("takes cash collected at the door as payment and announces the order settled", async () => {
    const orderId = randomUUID();
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [settlementRequested(orderId, false)]);
    await eventually(() => under.query.getSettlement({ orderId }).catch(() => undefined));
    const delivery = newEvent(
      EventTypes.DeliveryRecorded,
      { deliveredAt: new Date().toISOString(), place: "door", method: "rider", deliveredBy: "staff-li-wei", proofKind: "signature", proofRef: "s", collectedMinor: 10_800 , reservationId: "", taskId: "" },
      { producer: "fulfillment", orderId, storeId: "store-test", actor: { kind: "staff", id: "staff-li-wei", role: "rider" } },
    );
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [delivery, delivery]);
    const paid = await eventually(async () => {
      const view = await under.query.getSettlement({ orderId });
      return view.status === "paid" ? view : undefined;
    });
    expect(paid.amountPaid).toEqual({ minor: 10_800, currency: "CNY" });
    await under.billing.relay.flush();
    const types = (await settlementEventsOf(orderId)).map((e) => e?.type);
    expect(types).toEqual([EventTypes.SettlementPrepared, EventTypes.PaymentConfirmed, EventTypes.OrderSettled]);
  });

  it("applies a batch of many orders' money steps, each order's in its order, a cancellation's refund among them", async () => {
    const cashOrders = Array.from({ length: 6 }, () => randomUUID());
    const cancelled = randomUUID();
    const delivered = (orderId: string) =>
      newEvent(
        EventTypes.DeliveryRecorded,
        { deliveredAt: new Date().toISOString(), place: "door", method: "rider", deliveredBy: "staff-li-wei", proofKind: "signature", proofRef: "s", collectedMinor: 10_800, reservationId: "", taskId: "" },
        { producer: "fulfillment", orderId, storeId: "store-test", actor: { kind: "staff", id: "staff-li-wei", role: "rider" } },
      );
    const cancellation = newEvent(
      EventTypes.OrderCancelled,
      { reason: "customer changed their mind", refundDue: true },
      { producer: "fulfillment", orderId: cancelled, storeId: "store-test", actor: { kind: "customer", id: "c-1", role: "customer" } },
    );
    // Published together, so that they arrive in as few fetches as the broker allows.
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [
      ...cashOrders.flatMap((orderId) => [settlementRequested(orderId, false), delivered(orderId)]),
      settlementRequested(cancelled, true),
      cancellation,
    ]);
    const settled = await eventually(async () => {
      const views = await Promise.all(cashOrders.map((orderId) => under.query.getSettlement({ orderId }).catch(() => undefined)));
      return views.every((v) => v?.status === "paid") ? views : undefined;
    });
    expect(settled.map((v) => v!.amountPaid)).toEqual(cashOrders.map(() => ({ minor: 10_800, currency: "CNY" })));
    const refund = await eventually(async () => {
      const { rows } = await under.billing.runtime.pool.query<{ amount_minor: number }>("SELECT amount_minor FROM refunds WHERE order_id = $1", [cancelled]);
      return rows.length > 0 ? rows : undefined;
    });
    expect(refund.map((r) => Number(r.amount_minor))).toEqual([10_800]);
    // Each order's steps in their order: prepared, paid at the door, settled.
    await under.billing.relay.flush();
    for (const orderId of cashOrders) {
      expect((await settlementEventsOf(orderId)).map((e) => e?.type)).toEqual([EventTypes.SettlementPrepared, EventTypes.PaymentConfirmed, EventTypes.OrderSettled]);
    }
  });

  it("confirms a finance clerk's payment once per reference, refuses other money under a used reference, and refuses an overpayment", async () => {
    const orderId = randomUUID();
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [settlementRequested(orderId, false)]);
    await eventually(() => under.query.getSettlement({ orderId }).catch(() => undefined));
    const clerk = { callerKind: "staff", callerId: "staff-fin", callerRole: "finance" };
    const payment = { orderId, amount: { minor: 800, currency: "CNY" }, method: "bank-transfer", reference: "BANK-1", ...clerk };
    await under.commands.confirmPayment(payment);
    const again = await under.commands.confirmPayment(payment);
    expect(again.amountPaid?.minor).toBe(800);
    // Other money under a reference already used is another payment that needs its own reference.
    await expect(under.commands.confirmPayment({ ...payment, amount: { minor: 900, currency: "CNY" } })).rejects.toMatchObject({
      kind: "illegal-state",
      code: "settlement.reference-reused",
      message: expect.stringContaining("BANK-1"),
    });
    expect((await under.query.getSettlement({ orderId })).amountPaid?.minor).toBe(800);
    await expect(under.commands.confirmPayment({ ...payment, reference: "BANK-2", amount: { minor: 10_001, currency: "CNY" } })).rejects.toMatchObject({
      kind: "illegal-state",
      message: expect.stringContaining("exceeds the outstanding 10000"),
    });
    await expect(under.commands.confirmPayment({ ...payment, reference: "", amount: undefined })).rejects.toMatchObject({ kind: "validation" });
  });

  it("answers the same confirmation sent twice at once as the first one, with one payment recorded", async () => {
    const orderId = randomUUID();
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [settlementRequested(orderId, false)]);
    await eventually(() => under.query.getSettlement({ orderId }).catch(() => undefined));
    const payment = { orderId, amount: { minor: 800, currency: "CNY" }, method: "bank-transfer", reference: "BANK-TWICE", callerKind: "staff", callerId: "staff-fin", callerRole: "finance" };
    // The settlement is held while both arrive, so both are in flight together every run.
    const answers = await whileHolding(under.billing.runtime.pool, {
      hold: (tx) => new SettlementUnitOfWork(tx).load([orderId]),
      send: () => Promise.all([under.commands.confirmPayment(payment), under.commands.confirmPayment(payment)]),
      blockedSessions: 2,
    });
    expect(answers.map((view) => view.amountPaid)).toEqual([
      { minor: 800, currency: "CNY" },
      { minor: 800, currency: "CNY" },
    ]);
    const { rows } = await under.billing.runtime.pool.query("SELECT reference FROM payments WHERE order_id = $1", [orderId]);
    expect(rows).toEqual([{ reference: "BANK-TWICE" }]);
  });
});
