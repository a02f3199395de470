import { describe, expect, it } from "vitest";
import { EventTypes, newEvent } from "@oms/contracts";
import { anOrder } from "../../domain/order-fixture.ts";
import { stockFreedBy } from "./release-backorders.ts";

const atStore = (storeId: string, orderId = "o-1") => ({ producer: "warehouse", orderId, storeId, actor: { kind: "system", id: "warehouse", role: "system" } as const });
const order = anOrder({
  lines: [
    { lineId: "l1", sku: "KETTLE", description: "Kettle", quantity: 1, unitPriceMinor: 100, lineTotalMinor: 100 },
    { lineId: "l2", sku: "VASE", description: "Vase", quantity: 2, unitPriceMinor: 50, lineTotalMinor: 100 },
  ],
});

describe("stock that comes free for orders waiting for it", () => {
  it("is what was received, or what a count found more of", () => {
    const origin = { ...atStore("store-2"), orderId: "" };
    expect(stockFreedBy(newEvent(EventTypes.StockReceived, { sku: "KETTLE", location: "A-1", quantity: 3 }, origin), undefined)).toEqual({ storeId: "store-2", skus: ["KETTLE"] });
    const counted = (difference: number) => newEvent(EventTypes.StockCounted, { sku: "KETTLE", location: "A-1", counted: 5, difference, reason: "count" }, origin);
    expect(stockFreedBy(counted(2), undefined)).toEqual({ storeId: "store-2", skus: ["KETTLE"] });
    expect(stockFreedBy(counted(-2), undefined)).toBeUndefined();
  });

  it("is a reservation given back or turned down, at the store that held it: the order's SKUs, or its part's", () => {
    const released = newEvent(EventTypes.StockReleased, { reservationId: "o-1/reservation/1", reason: "order cancelled" }, atStore("store-2"));
    expect(stockFreedBy(released, order)).toEqual({ storeId: "store-2", skus: ["KETTLE", "VASE"] });
    const split = { ...order, parts: [{ partId: "2", reservationId: "o-1/reservation/1/part/2", storeId: "store-3", lines: [{ sku: "VASE", quantity: 2 }], stage: "reserved" as const, taskId: "t-2" }] };
    const rejected = newEvent(EventTypes.ReservationRejected, { reservationId: "o-1/reservation/1/part/2", reason: "dented" }, atStore("store-3"));
    expect(stockFreedBy(rejected, split)).toEqual({ storeId: "store-3", skus: ["VASE"] });
    expect(stockFreedBy(released, undefined)).toBeUndefined();
  });

  it("is what a return put back on the shelves at the store that received it, never what it wrote off", () => {
    const line = (sku: string, restocked: number, writtenOff: number) => ({ sku, restocked, location: restocked > 0 ? "R-1" : "", writtenOff, writeOffs: [] });
    const received = (lines: ReturnType<typeof line>[]) =>
      newEvent(EventTypes.ReturnReceived, { caseId: "case-1", receiptId: "RET-1", lines, restocked: 0, writtenOff: 0, outstanding: 0 }, atStore("store-2"));
    expect(stockFreedBy(received([line("KETTLE", 1, 0), line("VASE", 0, 2)]), order)).toEqual({ storeId: "store-2", skus: ["KETTLE"] });
    expect(stockFreedBy(received([line("VASE", 0, 2)]), order)).toBeUndefined();
  });

  it("is what an exchange's replacement called off held at its store, and nothing when it held nothing (ADR 030)", () => {
    const calledOff = (lines: { sku: string; quantity: number; location: string }[]) =>
      newEvent(EventTypes.ReplacementCalledOff, { caseId: "case-1", reason: "refund instead", sealedReason: Buffer.alloc(0), released: lines.length, lines }, atStore("store-2"));
    expect(stockFreedBy(calledOff([{ sku: "KETTLE", quantity: 1, location: "A-1" }, { sku: "KETTLE", quantity: 1, location: "B-1" }]), order)).toEqual({ storeId: "store-2", skus: ["KETTLE"] });
    expect(stockFreedBy(calledOff([]), order)).toBeUndefined();
  });

  it("is nothing for an event that frees no stock", () => {
    expect(stockFreedBy(newEvent(EventTypes.ShipmentPicked, { reservationId: "o-1/reservation/1" }, atStore("store-1")), order)).toBeUndefined();
  });
});
