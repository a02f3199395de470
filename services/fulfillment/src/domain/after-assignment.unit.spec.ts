import { describe, expect, it } from "vitest";
import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import type { OrderCommand, RecordShipmentProgress } from "./commands.ts";
import { decide } from "./decide.ts";
import { evolveAll } from "./evolve.ts";
import { reservationIdOf, settlementIdOf, taskIdOf } from "./ids.ts";
import type { Order } from "./order.ts";
import { anOrder } from "./order-fixture.ts";

const system = { kind: "system", id: "warehouse", role: "system" } as const;
const rider = { kind: "staff", id: "staff-li-wei", role: "rider" } as const;
const customer = { kind: "customer", id: "c-1", role: "customer" } as const;
const finance = { kind: "staff", id: "staff-fin", role: "finance" } as const;

/** An assigned cash order of store "s" with its downstream ids, for the steps after assignment. */
function orderOf(overrides: Partial<Order> = {}): Order {
  return anOrder({
    storeId: "s",
    lines: [],
    totals: { linesMinor: 100, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 100, currency: "CNY" },
    paymentMethod: "cash",
    prepaid: false,
    status: "assigned",
    reservationId: reservationIdOf("o-1"),
    taskId: taskIdOf("o-1"),
    settlementId: settlementIdOf("o-1"),
    ...overrides,
  });
}

function run(order: Order, commands: OrderCommand[]) {
  let state = order;
  const events = [];
  for (const command of commands) {
    const produced = decide(command, state);
    state = evolveAll(state, produced)!;
    events.push(...produced);
  }
  return { order: state, events };
}

const progress = (stage: "picked" | "packed" | "shipped"): OrderCommand => ({
  type: "RecordShipmentProgress",
  stage,
  reservationId: reservationIdOf("o-1"),
  trackingNumber: stage === "shipped" ? "SF123" : undefined,
  carrier: stage === "shipped" ? "SF Express" : undefined,
  actor: system,
});

const delivery = (overrides: Record<string, unknown> = {}): OrderCommand => ({
  type: "RecordDelivery",
  actor: rider,
  acceptancePeriodHours: 72,
  delivery: { deliveredAt: "2026-11-20T10:00:00.000Z", place: "front door", method: "rider", deliveredBy: "staff-li-wei", proofKind: "signature", proofRef: "sig-1", collectedMinor: 100, ...overrides },
});

describe("goods after assignment", () => {
  it("is picked, packed and shipped by the warehouse's reports, with the tracking number", () => {
    const { order } = run(orderOf(), [progress("picked"), progress("packed"), progress("shipped")]);
    expect(order).toMatchObject({ status: "shipped", trackingNumber: "SF123" });
  });

  it("ignores a repeated warehouse report", () => {
    const { events } = run(orderOf(), [progress("picked"), progress("picked")]);
    expect(events.filter((e) => e.type === "StatusChanged")).toHaveLength(1);
  });

  it("is delivered with proof and an acceptance deadline, then accepted, completed, settled and closed", () => {
    const shipped = run(orderOf(), [progress("picked"), progress("packed"), progress("shipped")]).order;
    const { order } = run(shipped, [
      delivery(),
      { type: "AcceptDelivery", actor: customer },
      { type: "RecordSettled", settlementId: settlementIdOf("o-1"), actor: system },
      { type: "CloseOrder", actor: finance },
    ]);
    expect(order.status).toBe("closed");
    expect(order.delivery).toMatchObject({ proofKind: "signature", acceptBy: "2026-11-23T10:00:00.000Z" });
  });

  it("settles at completion when the money came in first", () => {
    const shipped = run(orderOf({ status: "shipped" }), [{ type: "RecordSettled", settlementId: settlementIdOf("o-1"), actor: system }]).order;
    const { order } = run(shipped, [delivery(), { type: "AcceptDelivery", actor: customer }]);
    expect(order.status).toBe("settled");
  });

  it("accepts by rule when the period passes, but not after the customer refused", () => {
    const delivered = run(orderOf({ status: "shipped" }), [delivery()]).order;
    expect(run(delivered, [{ type: "AcceptDelivery", byRule: true, actor: system }]).order.status).toBe("completed");
    const refused = run(delivered, [{ type: "RejectDelivery", reason: "scratched", actor: customer }]).order;
    expect(refused).toMatchObject({ status: "rework", reworkCount: 1 });
    expect(run(refused, [{ type: "AcceptDelivery", byRule: true, actor: system }]).events).toEqual([]);
  });

  it("accepts a redelivery by the rule of its own acceptance period, not by the period of the delivery that was refused", () => {
    const delivered = run(orderOf({ status: "shipped" }), [delivery()]).order;
    const redelivered = run(delivered, [{ type: "RejectDelivery", reason: "scratched", actor: customer }, delivery({ proofRef: "sig-2" })]).order;
    expect(redelivered).toMatchObject({ status: "delivered", reworkCount: 1 });
    expect(run(redelivered, [{ type: "AcceptDelivery", byRule: true, deliveryRound: 0, actor: system }]).events).toEqual([]);
    expect(run(redelivered, [{ type: "AcceptDelivery", byRule: true, deliveryRound: 1, actor: system }]).order.status).toBe("completed");
  });

  it("goes through rework to a new delivery", () => {
    const refused = run(orderOf({ status: "delivered" }), [{ type: "RejectDelivery", reason: "wrong colour", actor: customer }]).order;
    expect(run(refused, [delivery({ proofRef: "sig-2" })]).order.status).toBe("delivered");
  });

  const packedForPickup = (): OrderCommand => ({ ...(progress("packed") as RecordShipmentProgress), pickup: { code: "042042", holdHours: 72, at: "2026-11-20T10:00:00.000Z" } });

  it("hands a pick-up order over at the counter once packed, without shipping, against its pick-up code", () => {
    const { order: packed, events } = run(orderOf({ fulfillmentMethod: "pickup" }), [progress("picked"), packedForPickup()]);
    expect(events).toContainEqual({ type: "ReadyForPickup", pickup: { code: "042042", readyAt: "2026-11-20T10:00:00.000Z", collectBy: "2026-11-23T10:00:00.000Z" } });
    expect(() => decide(delivery({ method: "pickup", proofKind: "one-time-code", proofRef: "999999" }), packed)).toThrow(
      expect.objectContaining({ code: "order.wrong-pickup-code" }),
    );
    expect(() => decide(delivery({ method: "pickup", proofKind: "signature", proofRef: "042042" }), packed)).toThrow(ValidationError);
    expect(run(packed, [delivery({ method: "pickup", proofKind: "one-time-code", proofRef: " 042042 " })]).order.status).toBe("delivered");
    expect(() => decide(delivery(), orderOf({ status: "packed" }))).toThrow(IllegalStateError);
  });

  it("cancels by rule a pick-up order nobody collected, releasing its stock, and leaves a collected one alone", () => {
    const { order: packed } = run(orderOf({ fulfillmentMethod: "pickup", prepaid: true }), [progress("picked"), packedForPickup()]);
    const { order: expired, events } = run(packed, [{ type: "PickupPeriodElapsed", actor: system }]);
    expect(expired.status).toBe("cancelled");
    expect(events).toContainEqual({ type: "OrderCancelled", reason: "not collected by 2026-11-23T10:00:00.000Z: cancelled by rule", reasonCode: "not-collected", refundDue: true });
    expect(events).toContainEqual(expect.objectContaining({ type: "StockReleaseRequested", reservationId: reservationIdOf("o-1") }));
    const collected = run(packed, [delivery({ method: "pickup", proofKind: "one-time-code", proofRef: "042042" })]).order;
    expect(decide({ type: "PickupPeriodElapsed", actor: system }, collected)).toEqual([]);
  });

  it("delivers a service order on site straight from assigned", () => {
    expect(run(orderOf({ kind: "service", fulfillmentMethod: "on-site" }), [delivery({ method: "on-site" })]).order.status).toBe("delivered");
  });

  it("keeps the roles: staff deliver, customers accept, finance closes settled orders only", () => {
    const shipped = orderOf({ status: "shipped" });
    expect(() => decide({ ...delivery(), actor: customer } as OrderCommand, shipped)).toThrow(ForbiddenError);
    const delivered = run(shipped, [delivery()]).order;
    expect(() => decide({ type: "AcceptDelivery", actor: rider }, delivered)).toThrow(ForbiddenError);
    const completed = run(delivered, [{ type: "AcceptDelivery", actor: customer }]).order;
    expect(() => decide({ type: "CloseOrder", actor: rider }, completed)).toThrow(ForbiddenError);
    expect(() => decide({ type: "CloseOrder", actor: finance }, completed)).toThrow(/settled orders only/);
  });

  it("names missing delivery fields and refuses a refusal without reasons", () => {
    expect(() => decide(delivery({ place: "", proofRef: "" }), orderOf({ status: "shipped" }))).toThrow(ValidationError);
    expect(() => decide({ type: "RejectDelivery", reason: " ", actor: customer }, orderOf({ status: "delivered" }))).toThrow(ValidationError);
  });
});

describe("money taken at the door", () => {
  const shipped = () => run(orderOf(), [progress("picked"), progress("packed"), progress("shipped")]).order;
  const asked = (collectedMinor: number): OrderCommand => ({ ...(delivery({ collectedMinor }) as Extract<OrderCommand, { type: "RecordDelivery" }>), boundCollected: true });
  const refusal = (order: Order, command: OrderCommand) => {
    try {
      decide(command, order);
      return "granted";
    } catch (error) {
      return (error as IllegalStateError).code;
    }
  };

  it("is at most what the order owes when a person records it: nothing when prepaid, never more than its total over its deliveries", () => {
    expect(refusal(shipped(), asked(101))).toBe("payment.more-than-outstanding");
    expect(refusal({ ...shipped(), prepaid: true }, asked(1))).toBe("payment.more-than-outstanding");
    expect(refusal({ ...shipped(), prepaid: true }, asked(0))).toBe("granted");
    const delivered = run(shipped(), [asked(60)]).order;
    expect(delivered.collectedAtDoorMinor).toBe(60);
    // A redelivery after a refusal (rework) takes what is left, no more.
    const rework = { ...delivered, status: "rework" as const };
    expect(refusal(rework, asked(41))).toBe("payment.more-than-outstanding");
    expect(refusal(rework, asked(40))).toBe("granted");
  });

  it("is recorded as it came when heard from another service (a technician's report): an event cannot be refused", () => {
    expect(refusal({ ...shipped(), prepaid: true }, delivery({ collectedMinor: 500 }))).toBe("granted");
  });
});
