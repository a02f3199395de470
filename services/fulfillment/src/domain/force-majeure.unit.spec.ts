import { describe, expect, it } from "vitest";
import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import type { ChooseAfterForceMajeure, ForceMajeureNotice, OrderCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import type { OrderDomainEvent } from "./events.ts";
import { evolveAll } from "./evolve.ts";
import { isAffectedBy } from "./force-majeure.ts";
import { reservationIdOf, taskIdOf } from "./ids.ts";
import type { Order, OrderStatus } from "./order.ts";
import { anOrder } from "./order-fixture.ts";

const system = { kind: "system", id: "fulfillment", role: "system" } as const;
const orderTaker = { kind: "staff", id: "s-7", role: "order-taker" } as const;
const typhoon: ForceMajeureNotice = { eventId: "fm-1", cause: "typhoon: the store is closed", expectedUntil: "2030-07-03T12:00:00.000Z" };
const at = "2030-07-01T08:00:00.000Z";
const hold: OrderCommand = { type: "HoldForForceMajeure", declaration: typhoon, at, actor: system };
const lift: OrderCommand = { type: "LiftForceMajeure", eventId: "fm-1", at: "2030-07-03T09:00:00.000Z", actor: system };

function run(order: Order, commands: OrderCommand[]) {
  let state: Order | undefined = order;
  const events: OrderDomainEvent[] = [];
  for (const command of commands) {
    const decided = decide(command, state);
    state = evolveAll(state, decided);
    events.push(...decided);
  }
  return { order: state!, events };
}

const continueWith = (requestedFrom: string, requestedUntil: string): ChooseAfterForceMajeure => ({
  type: "ChooseAfterForceMajeure",
  choice: "continue",
  requestedFrom,
  requestedUntil,
  note: "",
  at: "2030-07-02T08:00:00.000Z",
  actor: orderTaker,
});

describe("which orders a force majeure holds", () => {
  const area = { storeId: "store-1", districts: [] };
  it.each<[OrderStatus, boolean]>([
    ["awaiting-confirmation", true],
    ["credit-checked", true],
    ["reserved", true],
    ["assigned", true],
    ["picked", true],
    ["packed", true],
    ["on-hold", true],
    ["rework", true],
    ["shipped", false],
    ["partially-shipped", false],
    ["delivered", false],
    ["accepted", false],
    ["closed", false],
    ["cancelled", false],
  ])("an order %s at the store: %s", (status, affected) => {
    expect(isAffectedBy(anOrder({ status, holdReason: status === "on-hold" ? "awaiting-stock" : undefined }), area)).toBe(affected);
  });

  it("only the named districts' orders when it names any, never another store's, a split order or one held already", () => {
    expect(isAffectedBy(anOrder(), { storeId: "store-1", districts: ["Jing'an"] })).toBe(true);
    expect(isAffectedBy(anOrder(), { storeId: "store-1", districts: ["Pudong"] })).toBe(false);
    expect(isAffectedBy(anOrder(), { storeId: "store-2", districts: [] })).toBe(false);
    expect(isAffectedBy(anOrder({ status: "reserved", parts: [] }), area)).toBe(true);
    expect(isAffectedBy(anOrder({ status: "reserved", parts: [{ partId: "1", reservationId: "r", storeId: "store-1", lines: [], stage: "reserved", taskId: "t" }] }), area)).toBe(false);
    expect(isAffectedBy(anOrder({ status: "on-hold", holdReason: "force-majeure" }), area)).toBe(false);
  });
});

describe("holding an order for force majeure", () => {
  it("puts it on hold with the reason force-majeure, keeps where it was and tells the customer the cause, the measure and the new time", () => {
    const { order, events } = run(anOrder({ status: "reserved", reservationId: reservationIdOf("o-1") }), [hold]);
    expect(order).toMatchObject({ status: "on-hold", holdReason: "force-majeure", forceMajeure: { eventId: "fm-1", heldFrom: "reserved" } });
    expect(events[0]).toMatchObject({ type: "StatusChanged", from: "reserved", to: "on-hold", holdReason: "force-majeure" });
    expect(order.exceptions?.[0]).toMatchObject({ kind: "force-majeure", cause: "typhoon: the store is closed", newEta: "not before 2030-07-03T12:00:00.000Z" });
  });

  it("is redelivery-safe: a second hold (the same declaration or another) changes nothing", () => {
    const { events } = run(anOrder(), [hold, hold, { ...hold, declaration: { ...typhoon, eventId: "fm-2" } } as OrderCommand]);
    expect(events.filter((e) => e.type === "StatusChanged")).toHaveLength(1);
  });

  it("holds an order arriving while declared at once, without confirmation deadlines running", () => {
    const { status: _s, priority: _p, classification: _c, ...fields } = anOrder();
    const created = decide({ type: "CreateOrder", order: fields, confirmedByChannel: false, forceMajeure: typhoon, at, actor: system }, undefined);
    expect(created.filter((e) => e.type === "StatusChanged").map((e) => (e.type === "StatusChanged" ? e.to : ""))).toEqual(["awaiting-confirmation", "on-hold"]);
    expect(evolveAll(undefined, created)).toMatchObject({ status: "on-hold", forceMajeure: { heldFrom: "awaiting-confirmation" } });
  });

  it("gives back stock the warehouse reserved during the hold, and asks again on resuming", () => {
    const reservationId = reservationIdOf("o-1");
    const { order, events } = run(anOrder({ status: "credit-checked", reservationId, reservationAttempt: 1, reservationPending: true }), [
      hold,
      { type: "RecordStockReserved", reservationId, storeId: "store-1", actor: system },
      lift,
    ]);
    expect(events).toContainEqual({ type: "StockReleaseRequested", reservationId, reason: "order held for force majeure", storeId: "store-1" });
    expect(order.status).toBe("credit-checked");
    expect(events.at(-2)).toMatchObject({ type: "StockReservationRequested", reservationId: reservationIdOf("o-1", 2) });
  });

  it("catches up an assignee given during the hold to an order waiting for one", () => {
    const { order } = run(anOrder({ status: "reserved", reservationId: reservationIdOf("o-1"), taskId: taskIdOf("o-1") }), [
      hold,
      { type: "RecordTaskAssigned", taskId: taskIdOf("o-1"), staffId: "rider-1", actor: system },
      lift,
    ]);
    expect(order).toMatchObject({ status: "assigned", assigneeStaffId: "rider-1" });
  });

  it("never escalates a missed delivery time while held", () => {
    const { events } = run(anOrder({ status: "reserved", requestedUntil: "2030-07-01T10:00:00.000Z" }), [
      hold,
      { type: "DeliveryDeadlinePassed", dueAt: "2030-07-01T10:00:00.000Z", actor: system },
      { type: "ConfirmationDeadlinePassed", stage: "cancellation", hoursWaited: 48, nextStepAt: "", actor: system },
    ]);
    expect(events.filter((e) => e.type === "Escalated" || e.type === "OrderCancelled")).toEqual([]);
  });
});

describe("the work reaching the customer while held", () => {
  const technician = { kind: "staff", id: "tech-1", role: "service-staff" } as const;
  const report: OrderCommand = {
    type: "RecordDelivery",
    actor: technician,
    acceptancePeriodHours: 48,
    delivery: { deliveredAt: "2030-07-02T10:00:00.000Z", place: "on site", method: "on-site", deliveredBy: "tech-1", proofKind: "service-report", proofRef: "rep-1", collectedMinor: 0 },
  };

  it("records a service reported done during the hold as its delivery, ending the hold (before, the report was refused and lost)", () => {
    const { order, events } = run(anOrder({ kind: "service", status: "assigned", taskId: taskIdOf("o-1"), assigneeStaffId: "tech-1" }), [hold, report]);
    expect(order).toMatchObject({ status: "delivered", delivery: { proofRef: "rep-1" }, forceMajeureRound: 1, forceMajeure: { resumedAt: "2030-07-02T10:00:00.000Z" } });
    expect(events.filter((e) => e.type === "StatusChanged").map((e) => (e.type === "StatusChanged" ? `${e.from}>${e.to}` : ""))).toEqual(["assigned>on-hold", "on-hold>assigned", "assigned>delivered"]);
  });

  it("catches up the assignee given during the hold first, with the settlement the saga asks for on assignment", () => {
    const { order, events } = run(anOrder({ kind: "service", status: "credit-checked", taskId: taskIdOf("o-1") }), [
      hold,
      { type: "RecordTaskAssigned", taskId: taskIdOf("o-1"), staffId: "tech-1", actor: system },
      report,
    ]);
    expect(order.status).toBe("delivered");
    expect(events.map((e) => e.type)).toContain("SettlementRequested");
  });

  it("hands a pick-up packed during the hold over at the counter against its code", () => {
    const reservationId = reservationIdOf("o-1");
    const { order } = run(anOrder({ fulfillmentMethod: "pickup", status: "picked", reservationId }), [
      hold,
      { type: "RecordShipmentProgress", stage: "packed", reservationId, pickup: { code: "123456", holdHours: 72, at }, actor: system },
      {
        type: "RecordDelivery",
        actor: { kind: "staff", id: "c-1", role: "counter" },
        acceptancePeriodHours: 48,
        delivery: { deliveredAt: "2030-07-02T10:00:00.000Z", place: "store counter", method: "pickup", deliveredBy: "c-1", proofKind: "one-time-code", proofRef: "123456", collectedMinor: 0 },
      },
    ]);
    expect(order).toMatchObject({ status: "delivered", forceMajeureRound: 1 });
  });
});

describe("renegotiating and resuming", () => {
  it("continues with a new window: resumes where it was held at once, counting a new round of timers", () => {
    const { order } = run(anOrder({ status: "awaiting-confirmation" }), [hold, continueWith("2030-07-05T09:00:00.000Z", "2030-07-05T12:00:00.000Z")]);
    expect(order).toMatchObject({ status: "awaiting-confirmation", requestedUntil: "2030-07-05T12:00:00.000Z", forceMajeureRound: 1, forceMajeure: { choice: "continue" } });
  });

  it("re-plans the task of a resumed order for the new window", () => {
    const { events } = run(anOrder({ status: "assigned", taskId: taskIdOf("o-1") }), [hold, continueWith("2030-07-05T09:00:00.000Z", "2030-07-05T12:00:00.000Z")]);
    expect(events).toContainEqual(expect.objectContaining({ type: "AssignmentReplanRequested", taskId: taskIdOf("o-1"), dueUntil: "2030-07-05T12:00:00.000Z" }));
  });

  it("refuses a window that is not one, naming the field", () => {
    expect(() => run(anOrder(), [hold, continueWith("2030-07-05T12:00:00.000Z", "2030-07-05T09:00:00.000Z")])).toThrow(ValidationError);
  });

  it("cancels without charge by the ordinary cancellation: stock back, refund due when paid", () => {
    const reservationId = reservationIdOf("o-1");
    const { order, events } = run(anOrder({ status: "reserved", reservationId, prepaid: true }), [
      hold,
      { type: "ChooseAfterForceMajeure", choice: "cancel", note: "", at, actor: orderTaker },
    ]);
    expect(order.status).toBe("cancelled");
    expect(events).toContainEqual(expect.objectContaining({ type: "OrderCancelled", refundDue: true }));
    expect(events).toContainEqual(expect.objectContaining({ type: "StockReleaseRequested", reservationId }));
  });

  it("is recorded by staff only, and only for an order force majeure held", () => {
    const customer = { kind: "customer", id: "c-1", role: "customer" } as const;
    expect(() => run(anOrder(), [hold, { ...continueWith("2030-07-05T09:00:00.000Z", "2030-07-05T12:00:00.000Z"), actor: customer }])).toThrow(ForbiddenError);
    expect(() => run(anOrder(), [continueWith("2030-07-05T09:00:00.000Z", "2030-07-05T12:00:00.000Z")])).toThrow(IllegalStateError);
  });

  it("lifting resumes an order held on hold for stock back to waiting for stock, and leaves others' holds alone", () => {
    const { order } = run(anOrder({ status: "on-hold", holdReason: "awaiting-stock" }), [hold, { ...lift, eventId: "fm-other" } as OrderCommand, lift]);
    expect(order).toMatchObject({ status: "on-hold", holdReason: "awaiting-stock", forceMajeure: { resumedAt: "2030-07-03T09:00:00.000Z" } });
  });

  it("keeps an order held under another declaration still covering it when one is lifted", () => {
    const { order } = run(anOrder(), [hold, { ...lift, stillCovered: { eventId: "fm-2", cause: "flood" } } as OrderCommand]);
    expect(order).toMatchObject({ status: "on-hold", holdReason: "force-majeure", forceMajeure: { eventId: "fm-2", cause: "flood" } });
  });

  it("extends the acceptance period of a delivered order under force majeure instead of accepting it by rule", () => {
    const delivered = anOrder({ status: "delivered", delivery: { deliveredAt: at, place: "door", method: "courier", deliveredBy: "r", proofKind: "signature", proofRef: "x", collectedMinor: 0, acceptBy: at } });
    const until = "2030-07-06T08:00:00.000Z";
    const { order } = run(delivered, [{ type: "AcceptDelivery", byRule: true, deliveryRound: 0, forceMajeure: { ...typhoon, until }, actor: system }]);
    expect(order).toMatchObject({ status: "delivered", delivery: { acceptBy: until } });
  });

  it("leaves a redelivery's period alone when the extended period of a delivery refused since runs out", () => {
    const acceptBy = "2030-07-04T08:00:00.000Z";
    // Redelivered after one refusal: its own period runs to acceptBy; the refused delivery's extension timer is still set.
    const redelivered = anOrder({ status: "delivered", reworkCount: 1, delivery: { deliveredAt: at, place: "door", method: "courier", deliveredBy: "r", proofKind: "signature", proofRef: "x", collectedMinor: 0, acceptBy } });
    const { order, events } = run(redelivered, [{ type: "AcceptDelivery", byRule: true, deliveryRound: 0, forceMajeure: { ...typhoon, until: "2030-07-06T08:00:00.000Z" }, actor: system }]);
    expect(events).toEqual([]);
    expect(order).toMatchObject({ status: "delivered", delivery: { acceptBy } });
  });
});
