import { describe, expect, it } from "vitest";
import { EventTypes } from "@oms/contracts";
import type { OrderCommand } from "../domain/commands.ts";
import { decide } from "../domain/decide.ts";
import { evolveAll } from "../domain/evolve.ts";
import { partTaskIdOf, reservationIdOf } from "../domain/ids.ts";
import type { Order } from "../domain/order.ts";
import { anOrder } from "../domain/order-fixture.ts";
import { toContractEvents } from "./contract-events.ts";

const warehouse = { kind: "system", id: "warehouse", role: "system" } as const;
const R = reservationIdOf("o-1");
const parts = ["1", "2", "3"].map((n, i) => ({ reservationId: `${R}/part/${n}`, storeId: `store-${i + 1}`, sku: `SKU-${n}` }));

/** An order of three goods no store has together, split over three stores and every part assigned. */
function splitThreeWays(): Order {
  let order = anOrder({
    storeId: "store-1",
    region: "Huangpu",
    partialShipmentAllowed: true,
    routed: true,
    reservationId: R,
    reservationAttempt: 1,
    reservationPending: true,
    lines: parts.map((p, i) => ({ lineId: `l${i}`, sku: p.sku, description: p.sku, quantity: 1, unitPriceMinor: 1_000, lineTotalMinor: 1_000 })),
  });
  const commands: OrderCommand[] = [
    {
      type: "RecordStockReserved",
      reservationId: R,
      storeId: "store-1",
      routing: [],
      parts: parts.map((p) => ({ reservationId: p.reservationId, storeId: p.storeId, lines: [{ sku: p.sku, quantity: 1 }] })),
      actor: warehouse,
    },
    ...["1", "2", "3"].map((n): OrderCommand => ({ type: "RecordTaskAssigned", taskId: partTaskIdOf("o-1", n), staffId: `r-${n}`, actor: warehouse })),
  ];
  for (const command of commands) order = evolveAll(order, decide(command, order))!;
  return order;
}

/** Ships one part (picked, packed, shipped), returning the contract events of its shipment's decision. */
function ship(order: Order, reservationId: string, trackingNumber: string) {
  let state = order;
  for (const stage of ["picked", "packed"] as const) state = evolveAll(state, decide({ type: "RecordShipmentProgress", reservationId, stage, actor: warehouse }, state))!;
  const decided = decide({ type: "RecordShipmentProgress", reservationId, stage: "shipped", carrier: "SF", trackingNumber, actor: warehouse }, state);
  const after = evolveAll(state, decided)!;
  return { order: after, events: toContractEvents(decided, after, { actor: warehouse, correlationId: "c-1" }) };
}

describe("every parcel of a split order is told with its tracking number", () => {
  it("the first by the change to partially shipped, the middle one on its own, the last by the change to shipped", () => {
    const first = ship(splitThreeWays(), parts[0]!.reservationId, "SF-1");
    expect(first.events.map((e) => [e.type, "trackingNumber" in e.payload ? e.payload.trackingNumber : ""])).toEqual([[EventTypes.OrderStatusChanged, "SF-1"]]);

    const middle = ship(first.order, parts[1]!.reservationId, "SF-2");
    expect(middle.order.status).toBe("partially-shipped");
    expect(middle.events).toHaveLength(1);
    expect(middle.events[0]).toMatchObject({
      type: EventTypes.OrderParcelShipped,
      storeId: "store-2",
      payload: { partId: "2", storeId: "store-2", carrier: "SF", trackingNumber: "SF-2" },
    });

    const last = ship(middle.order, parts[2]!.reservationId, "SF-3");
    expect(last.events.map((e) => [e.type, "trackingNumber" in e.payload ? e.payload.trackingNumber : ""])).toEqual([[EventTypes.OrderStatusChanged, "SF-3"]]);
  });

  it("says the order's status the parcel left it in: partially delivered once an earlier part arrived", () => {
    const first = ship(splitThreeWays(), parts[0]!.reservationId, "SF-1");
    expect(first.events[0]?.payload).not.toHaveProperty("orderStatus");
    const middle = ship(first.order, parts[1]!.reservationId, "SF-2");
    expect(middle.events[0]).toMatchObject({ type: EventTypes.OrderParcelShipped, payload: { orderStatus: "partially-shipped" } });

    const delivery: OrderCommand = {
      type: "RecordDelivery",
      partId: "1",
      acceptancePeriodHours: 72,
      delivery: { deliveredAt: "2026-11-20T10:00:00.000Z", place: "front door", method: "rider", deliveredBy: "r-1", proofKind: "signature", proofRef: "sig-1", collectedMinor: 0 },
      actor: { kind: "staff", id: "r-1", role: "rider" },
    };
    const delivered = evolveAll(middle.order, decide(delivery, middle.order))!;
    expect(delivered.status).toBe("partially-delivered");
    const last = ship(delivered, parts[2]!.reservationId, "SF-3");
    // The last parcel changes no status either: the order stays partially delivered, and the buyer is not told it went back to partially shipped.
    expect(last.events).toHaveLength(1);
    expect(last.events[0]).toMatchObject({ type: EventTypes.OrderParcelShipped, payload: { partId: "3", trackingNumber: "SF-3", orderStatus: "partially-delivered" } });
  });
});
