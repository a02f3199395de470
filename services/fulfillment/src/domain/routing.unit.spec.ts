import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { evolveAll } from "./evolve.ts";
import { reservationIdOf, taskIdOf } from "./ids.ts";
import type { Order } from "./order.ts";
import { anOrder } from "./order-fixture.ts";

const warehouse = { kind: "system", id: "warehouse", role: "system" } as const;
const manager = { kind: "staff", id: "m-1", role: "store-manager" } as const;

const order = (overrides: Partial<Order> = {}): Order => anOrder({ storeId: "store-pudong", region: "Huangpu", lines: [{ lineId: "l1", sku: "RICE", description: "Rice cooker", quantity: 1, unitPriceMinor: 45_900, lineTotalMinor: 45_900 }], totals: { linesMinor: 45_900, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 45_900, currency: "CNY" }, reservationId: reservationIdOf("o-1"), reservationAttempt: 1, routed: true, ...overrides });


const reservedAt = (storeId: string, attempt = 1) => ({ type: "RecordStockReserved" as const, reservationId: reservationIdOf("o-1", attempt), storeId, routing: [`${storeId}: chosen`], actor: warehouse });

describe("routing an order across the chain's stores", () => {
  it("asks the warehouse to route a ship order, with the customer's district, and reserves a pick-up where it was taken", () => {
    const created = decide({ type: "RetryReservation", actor: warehouse }, order({ status: "on-hold", holdReason: "awaiting-stock" }));
    expect(created).toEqual([expect.objectContaining({ type: "StockReservationRequested", routing: { district: "Huangpu", excludedStoreIds: [], splitAllowed: false } })]);
    const pickup = decide({ type: "RetryReservation", actor: warehouse }, order({ status: "on-hold", holdReason: "awaiting-stock", fulfillmentMethod: "pickup" }));
    expect(pickup).toEqual([expect.objectContaining({ routing: undefined })]);
  });

  it("moves the order to the store that reserved it, which then asks for its assignee", () => {
    const events = decide(reservedAt("store-jingan"), order());
    expect(events.map((e) => e.type)).toEqual(["ReservationAnswered", "StoreRouted", "StatusChanged", "AssignmentRequested"]);
    expect(evolveAll(order(), events)).toMatchObject({ storeId: "store-jingan", takenByStoreId: "store-pudong", status: "reserved" });
    expect(decide(reservedAt("store-pudong"), order()).map((e) => e.type)).not.toContain("StoreRouted");
  });

  it("goes back to routing, without the store that turned it down, and moves its task to the next store", () => {
    const atJingan = evolveAll(order(), decide(reservedAt("store-jingan"), order()))!;
    const rejected = decide({ type: "RecordReservationRejected", reservationId: reservationIdOf("o-1"), storeId: "store-jingan", reason: "dented", actor: manager }, atJingan);
    expect(rejected).toEqual([
      { type: "StoreRejected", storeId: "store-jingan", reason: "dented" },
      expect.objectContaining({ type: "StatusChanged", to: "on-hold", holdReason: "awaiting-stock" }),
      expect.objectContaining({ type: "StockReservationRequested", reservationId: reservationIdOf("o-1", 2), routing: { district: "Huangpu", excludedStoreIds: ["store-jingan"], splitAllowed: false } }),
    ]);
    const waiting = evolveAll(atJingan, rejected)!;
    const again = decide(reservedAt("store-pudong", 2), waiting);
    expect(again.map((e) => e.type)).toEqual(["ReservationAnswered", "StoreRouted", "StatusChanged", "AssignmentReplanRequested"]);
    expect(again.at(-1)).toMatchObject({ taskId: taskIdOf("o-1"), storeId: "store-pudong" });
  });

  it("goes back to routing when the store turns it down after picking, as the warehouse allows until the goods are packed", () => {
    const atJingan = evolveAll(order(), decide(reservedAt("store-jingan"), order()))!;
    const picked = { ...atJingan, status: "picked" as const, taskId: taskIdOf("o-1"), assigneeStaffId: "rider-1" };
    const rejected = decide({ type: "RecordReservationRejected", reservationId: reservationIdOf("o-1"), storeId: "store-jingan", reason: "dented when picked", actor: manager }, picked);
    expect(rejected).toEqual([
      { type: "StoreRejected", storeId: "store-jingan", reason: "dented when picked" },
      expect.objectContaining({ type: "StatusChanged", from: "picked", to: "on-hold", holdReason: "awaiting-stock" }),
      expect.objectContaining({ type: "StockReservationRequested", reservationId: reservationIdOf("o-1", 2), routing: expect.objectContaining({ excludedStoreIds: ["store-jingan"] }) }),
    ]);
    const again = decide(reservedAt("store-pudong", 2), evolveAll(picked, rejected)!);
    expect(again.at(-1)).toMatchObject({ type: "AssignmentReplanRequested", taskId: taskIdOf("o-1"), storeId: "store-pudong" });
  });

  it("ignores a rejection of a reservation the order no longer waits on, or of an order already on its way", () => {
    const atJingan = evolveAll(order(), decide(reservedAt("store-jingan"), order()))!;
    expect(decide({ type: "RecordReservationRejected", reservationId: "old", storeId: "store-jingan", reason: "x", actor: manager }, atJingan)).toEqual([]);
    expect(decide({ type: "RecordReservationRejected", reservationId: reservationIdOf("o-1"), storeId: "store-jingan", reason: "x", actor: manager }, { ...atJingan, status: "packed" })).toEqual([]);
  });
});
