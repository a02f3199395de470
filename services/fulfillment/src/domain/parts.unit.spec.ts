import { describe, expect, it } from "vitest";
import type { OrderCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { evolveAll } from "./evolve.ts";
import { partTaskIdOf, reservationIdOf } from "./ids.ts";
import type { Order, OrderPart } from "./order.ts";
import { anOrder } from "./order-fixture.ts";
import { statusOfParts } from "./parts.ts";

const warehouse = { kind: "system", id: "warehouse", role: "system" } as const;
const manager = { kind: "staff", id: "m-1", role: "store-manager" } as const;
const rider = { kind: "staff", id: "r-1", role: "rider" } as const;
const customer = { kind: "customer", id: "c-1", role: "customer" } as const;

const R = reservationIdOf("o-1");
const partA = `${R}/part/1`;
const partB = `${R}/part/2`;

/** A kettle and a rice cooker no single store has both of; the customer accepts two parcels. */
const splittable = (): Order =>
  anOrder({
    storeId: "store-pudong",
    region: "Huangpu",
    partialShipmentAllowed: true,
    routed: true,
    reservationId: R,
    reservationAttempt: 1,
    reservationPending: true,
    lines: [
      { lineId: "l1", sku: "KETTLE", description: "Kettle", quantity: 1, unitPriceMinor: 19_900, lineTotalMinor: 19_900 },
      { lineId: "l2", sku: "RICE", description: "Rice cooker", quantity: 2, unitPriceMinor: 45_900, lineTotalMinor: 91_800 },
    ],
  });

const splitReservation: OrderCommand = {
  type: "RecordStockReserved",
  reservationId: R,
  storeId: "store-jingan",
  routing: ["store-jingan: chosen for KETTLE", "store-xuhui: chosen for RICE"],
  parts: [
    { reservationId: partA, storeId: "store-jingan", lines: [{ sku: "KETTLE", quantity: 1 }] },
    { reservationId: partB, storeId: "store-xuhui", lines: [{ sku: "RICE", quantity: 2 }] },
  ],
  actor: warehouse,
};

/** Applies commands in turn, as the saga would; returns the order and every event decided. */
function run(order: Order, ...commands: OrderCommand[]): { order: Order; events: ReturnType<typeof decide> } {
  const events: ReturnType<typeof decide> = [];
  let state = order;
  for (const command of commands) {
    const decided = decide(command, state);
    events.push(...decided);
    state = evolveAll(state, decided)!;
  }
  return { order: state, events };
}

const assigned = (partId: string, staffId = "r-1"): OrderCommand => ({ type: "RecordTaskAssigned", taskId: partTaskIdOf("o-1", partId), staffId, actor: warehouse });
const progress = (reservationId: string, stage: "picked" | "packed" | "shipped"): OrderCommand => ({
  type: "RecordShipmentProgress",
  reservationId,
  stage,
  ...(stage === "shipped" ? { carrier: "SF", trackingNumber: `SF-${reservationId.slice(-1)}` } : {}),
  actor: warehouse,
});
const delivered = (partId?: string): OrderCommand => ({
  type: "RecordDelivery",
  actor: rider,
  acceptancePeriodHours: 48,
  ...(partId ? { partId } : {}),
  delivery: { deliveredAt: "2026-05-02T10:00:00Z", place: "front door", method: "rider", deliveredBy: "r-1", proofKind: "signature", proofRef: "sig", collectedMinor: 0 },
});
const shipAll = (reservationId: string) => [progress(reservationId, "picked"), progress(reservationId, "packed"), progress(reservationId, "shipped")];

describe("a split order", () => {
  it("becomes one part per store, each with its own delivery task at its own store", () => {
    const { order, events } = run(splittable(), splitReservation);
    expect(order.status).toBe("reserved");
    expect(order.parts).toEqual([
      expect.objectContaining({ partId: "1", storeId: "store-jingan", reservationId: partA, stage: "reserved", taskId: partTaskIdOf("o-1", "1") }),
      expect.objectContaining({ partId: "2", storeId: "store-xuhui", reservationId: partB, stage: "reserved", taskId: partTaskIdOf("o-1", "2") }),
    ]);
    const requests = events.filter((e) => e.type === "AssignmentRequested");
    expect(requests).toEqual([
      expect.objectContaining({ taskId: partTaskIdOf("o-1", "1"), storeId: "store-jingan", taskKind: "delivery" }),
      expect.objectContaining({ taskId: partTaskIdOf("o-1", "2"), storeId: "store-xuhui", taskKind: "delivery" }),
    ]);
    // Listed under the store of its first part.
    expect(order.storeId).toBe("store-jingan");
  });

  it("asks each store for its part once that part has an assignee, and for the money once", () => {
    const { order, events } = run(splittable(), splitReservation, assigned("1"), assigned("2", "r-2"));
    expect(events.filter((e) => e.type === "ShipmentRequested")).toEqual([
      { type: "ShipmentRequested", reservationId: partA, fulfillmentMethod: "ship", storeId: "store-jingan" },
      { type: "ShipmentRequested", reservationId: partB, fulfillmentMethod: "ship", storeId: "store-xuhui" },
    ]);
    expect(events.filter((e) => e.type === "SettlementRequested")).toHaveLength(1);
    expect(order.status).toBe("assigned");
    // A reassignment changes who, nothing else.
    const again = decide(assigned("1", "r-3"), order);
    expect(again).toEqual([{ type: "PartUpdated", partId: "1", patch: { assigneeStaffId: "r-3" } }]);
  });

  it("is partially shipped when one part has left, shipped when all have, partially delivered, then delivered", () => {
    const ready = run(splittable(), splitReservation, assigned("1"), assigned("2")).order;
    const oneShipped = run(ready, ...shipAll(partA));
    expect(oneShipped.order.status).toBe("partially-shipped");
    expect(oneShipped.order.parts?.[0]).toMatchObject({ stage: "shipped", trackingNumber: "SF-1" });
    const oneDelivered = run(oneShipped.order, delivered());
    expect(oneDelivered.order.status).toBe("partially-delivered");
    expect(oneDelivered.events[0]).toMatchObject({ type: "DeliveryRecorded", part: { partId: "1", taskId: partTaskIdOf("o-1", "1"), storeId: "store-jingan" } });
    const both = run(oneDelivered.order, ...shipAll(partB), delivered("2"));
    expect(both.order.status).toBe("delivered");
    expect(both.events.map((e) => (e.type === "StatusChanged" ? e.to : undefined)).filter(Boolean)).toEqual(["delivered"]);
    // From here the order is one again: the customer signs for it.
    expect(run(both.order, { type: "AcceptDelivery", actor: customer }).order.status).toBe("completed");
  });

  it("asks which part was delivered when several are on their way, and refuses a part not yet shipped", () => {
    const ready = run(splittable(), splitReservation, assigned("1"), assigned("2")).order;
    const bothShipped = run(ready, ...shipAll(partA), ...shipAll(partB)).order;
    expect(bothShipped.status).toBe("shipped");
    expect(() => decide(delivered(), bothShipped)).toThrow(/parts 1 and 2 on their way/);
    expect(() => decide(delivered("3"), bothShipped)).toThrow(/no part 3/);
    const oneShipped = run(ready, ...shipAll(partA)).order;
    expect(() => decide(delivered("2"), oneShipped)).toThrow(/part 2 of order o-1 is assigned/);
  });

  it("ignores a step of a part reported twice or out of turn", () => {
    const ready = run(splittable(), splitReservation, assigned("1"), assigned("2")).order;
    const picked = run(ready, progress(partA, "picked")).order;
    expect(decide(progress(partA, "picked"), picked)).toEqual([]);
    expect(decide(progress(partB, "shipped"), picked)).toEqual([]);
  });

  it("releases every part's stock when cancelled before any part shipped, and cannot be cancelled after", () => {
    const ready = run(splittable(), splitReservation, assigned("1")).order;
    const cancelled = decide({ type: "CancelOrder", reason: "changed my mind", actor: customer }, ready);
    expect(cancelled.filter((e) => e.type === "StockReleaseRequested")).toEqual([
      { type: "StockReleaseRequested", reservationId: partA, reason: "order cancelled", storeId: "store-jingan" },
      { type: "StockReleaseRequested", reservationId: partB, reason: "order cancelled", storeId: "store-xuhui" },
    ]);
    const underway = run(run(ready, assigned("2")).order, ...shipAll(partA)).order;
    expect(() => decide({ type: "CancelOrder", reason: "too late", actor: customer }, underway)).toThrow(/already partially-shipped/);
  });

  it("gives back a split reservation that arrives for an order cancelled meanwhile, store by store", () => {
    const cancelled = { ...splittable(), status: "cancelled" as const };
    expect(decide(splitReservation, cancelled)).toEqual([
      { type: "StockReleaseRequested", reservationId: partA, reason: "order was cancelled", storeId: "store-jingan" },
      { type: "StockReleaseRequested", reservationId: partB, reason: "order was cancelled", storeId: "store-xuhui" },
    ]);
  });

  it("sends only the part a store turned down back to routing, without that store, and moves its task", () => {
    const ready = run(splittable(), splitReservation, assigned("1"), assigned("2")).order;
    const rejected = run(ready, { type: "RecordReservationRejected", reservationId: partB, storeId: "store-xuhui", reason: "dented", actor: manager });
    const reroute = reservationIdOf("o-1", 2);
    expect(rejected.events.at(-1)).toMatchObject({
      type: "StockReservationRequested",
      reservationId: reroute,
      partId: "2",
      lines: [expect.objectContaining({ sku: "RICE", quantity: 2, lineTotalMinor: 91_800 })],
      routing: { district: "Huangpu", excludedStoreIds: ["store-xuhui"], splitAllowed: false },
    });
    // The other part goes on; the order does not go back.
    expect(rejected.order.status).toBe("assigned");
    expect(rejected.order.reservationId).toBe(R);
    const moved = run(rejected.order, { type: "RecordStockReserved", reservationId: reroute, storeId: "store-huangpu", routing: [], actor: warehouse });
    expect(moved.order.parts?.[1]).toMatchObject({ stage: "reserved", storeId: "store-huangpu", reservationId: reroute });
    expect(moved.events.at(-1)).toMatchObject({ type: "AssignmentReplanRequested", taskId: partTaskIdOf("o-1", "2"), storeId: "store-huangpu" });
    // The new store's assignee: that store is asked for the part.
    const reassigned = run(moved.order, assigned("2", "r-9"));
    expect(reassigned.events).toContainEqual({ type: "ShipmentRequested", reservationId: reroute, fulfillmentMethod: "ship", storeId: "store-huangpu" });
  });

  it("keeps a part no store can serve now in the queue, and routes it again when stock comes in", () => {
    const ready = run(splittable(), splitReservation, assigned("1"), assigned("2")).order;
    const reroute = reservationIdOf("o-1", 2);
    const waiting = run(
      ready,
      { type: "RecordReservationRejected", reservationId: partB, storeId: "store-xuhui", reason: "no staff", actor: manager },
      { type: "RecordStockShortage", reservationId: reroute, skus: ["RICE"], actor: warehouse },
    ).order;
    expect(waiting.parts?.[1]?.stage).toBe("awaiting-stock");
    expect(waiting.holdReason).toBe("awaiting-stock");
    expect(waiting.status).toBe("assigned");
    // The other part ships meanwhile; the order still waits for the rest.
    const partly = run(waiting, ...shipAll(partA)).order;
    expect(partly).toMatchObject({ status: "partially-shipped", holdReason: "awaiting-stock" });
    const retried = decide({ type: "RetryReservation", actor: warehouse }, partly);
    expect(retried.at(-1)).toMatchObject({ type: "StockReservationRequested", reservationId: reservationIdOf("o-1", 3), partId: "2" });
    const served = run(partly, { type: "RetryReservation", actor: warehouse }, { type: "RecordStockReserved", reservationId: reservationIdOf("o-1", 3), storeId: "store-huangpu", routing: [], actor: warehouse }).order;
    expect(served.holdReason).toBeUndefined();
    expect(served.parts?.[1]).toMatchObject({ stage: "reserved", storeId: "store-huangpu" });
  });

  it("re-plans every part's delivery still open after a corrected address", () => {
    const ready = run(splittable(), splitReservation, assigned("1"), assigned("2")).order;
    const partlyDelivered = run(ready, ...shipAll(partA), delivered("1")).order;
    const corrected = decide(
      { type: "ApplyCorrection", correctionId: "c-9", fields: ["customer.address"], region: "Xuhui", requestedFrom: "", requestedUntil: "", actor: manager },
      partlyDelivered,
    );
    expect(corrected.filter((e) => e.type === "AssignmentReplanRequested")).toEqual([
      expect.objectContaining({ taskId: partTaskIdOf("o-1", "2"), storeId: "store-xuhui", region: "Xuhui", correctionId: "c-9" }),
    ]);
  });
});

describe("the status a split order's parts add up to", () => {
  const part = (stage: OrderPart["stage"]): OrderPart => ({ partId: "x", reservationId: "r", storeId: "s", lines: [], stage, taskId: "t" });
  it.each([
    [["reserved", "assigned"], "reserved"],
    [["assigned", "picked"], "assigned"],
    [["packed", "packed"], "packed"],
    [["shipped", "reserved"], "partially-shipped"],
    [["shipped", "awaiting-stock"], "partially-shipped"],
    [["shipped", "shipped"], "shipped"],
    [["delivered", "packed"], "partially-delivered"],
    [["delivered", "delivered"], "delivered"],
  ] as const)("%j → %s", (stages, status) => {
    expect(statusOfParts(stages.map(part))).toBe(status);
  });
});
