import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import { answersFor, clerk, movementsWithActorsOf, putOnRecord, reservationRequested, startTestWarehouse, stockEvents, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;

/** Warehouse's events about the store's stock that belong to no order (counts, receipts). */
async function stockBookEvents(storeId: string, count: number) {
  await under.warehouse.relay.flush();
  return eventually(async () => {
    const events = (await stockEvents(under.namespace.name)).filter(
      (e) => e.storeId === storeId && (e.type === EventTypes.StockCounted || e.type === EventTypes.StockReceived),
    );
    return events.length >= count ? events : undefined;
  });
}

describe("stock counts and receipts", () => {
  it("corrects the books by a count, with who and why in the ledger and the event", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 10, safetyStock: 1 }]);
    const level = await under.commands.countStock({ storeId, sku, location: "A-01", counted: 8, reason: "periodic count: two broken", caller: clerk });
    expect(level).toEqual({ storeId, sku, location: "A-01", onHand: 8, reserved: 0, available: 7, safetyStock: 1, expectedRestockDate: "" });
    // A count that agrees with the books moves nothing, but is still on record as an event.
    await under.commands.countStock({ storeId, sku, location: "A-01", counted: 8, reason: "recount", caller: clerk });

    const ledger = await movementsWithActorsOf(pool(), storeId);
    expect(ledger.map((m) => [m.kind, m.quantity, m.reason, m.actor_id, m.actor_role])).toEqual([
      ["received", 10, "opening stock", "clerk-test", "warehouse-clerk"],
      ["count-correction", -2, "periodic count: two broken", clerk.id, clerk.role],
    ]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
    const events = await stockBookEvents(storeId, 2);
    expect(events.map((e) => e.payload)).toEqual([
      { sku, location: "A-01", counted: 8, difference: -2, reason: "periodic count: two broken" },
      { sku, location: "A-01", counted: 8, difference: 0, reason: "recount" },
    ]);
    expect(events[0]).toMatchObject({ orderId: "", storeId, producer: "warehouse", actor: clerk });
  });

  it("books goods found at a new location once when two clerks count it at the same time", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    const count = { storeId, sku, location: "B-09", counted: 7, reason: "periodic count: found on the wrong shelf", caller: clerk };
    // Each count runs in its own transaction on its own connection: both start before either commits.
    await Promise.all([under.commands.countStock(count), under.commands.countStock(count), under.commands.countStock(count)]);

    expect((await under.stock.getStock({ storeId, skus: [sku] })).levels).toEqual([expect.objectContaining({ location: "B-09", onHand: 7, reserved: 0 })]);
    const ledger = await movementsWithActorsOf(pool(), storeId);
    expect(ledger.map((m) => [m.kind, m.quantity])).toEqual([["count-correction", 7]]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("refuses a count below what is reserved, naming the reserved quantity, and leaves the books alone", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 5, safetyStock: 0 }]);
    const request = reservationRequested(storeId, [{ sku, quantity: 3 }]);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request]);
    await answersFor(under.namespace.name, [request.payload.reservationId]);

    await expect(under.commands.countStock({ storeId, sku, location: "A-01", counted: 2, reason: "periodic count", caller: clerk })).rejects.toMatchObject({
      kind: "illegal-state",
      code: "stock.count-below-reserved",
      message: expect.stringContaining("but 3 are reserved"),
    });
    expect((await under.stock.getStock({ storeId, skus: [sku] })).levels[0]).toMatchObject({ onHand: 5, reserved: 3 });
    // Down to exactly what is reserved is a correction like any other.
    expect(await under.commands.countStock({ storeId, sku, location: "A-01", counted: 3, reason: "periodic count", caller: clerk })).toMatchObject({
      onHand: 3,
      reserved: 3,
      available: 0,
    });
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("refuses counts without a reason or by anyone but staff", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await expect(under.commands.countStock({ storeId, sku, location: "A-01", counted: -1, reason: "", caller: clerk })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "counted" }), expect.objectContaining({ field: "reason" })],
    });
    await expect(under.commands.countStock({ storeId, sku, location: "A-01", counted: 1, reason: "count", caller: undefined })).rejects.toMatchObject({
      kind: "unauthenticated",
    });
    await expect(
      under.commands.receiveStock({ storeId, receiptId: "DN-1", sku, location: "A-01", quantity: 1, caller: { kind: "platform", id: "taobao", role: "" } }),
    ).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("receives goods: on hand grows, the ledger says who, the restock date is cleared, and the event tells who waits", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [
      { storeId, sku, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId, sku, location: "A-02", onHand: 1, safetyStock: 0 },
    ]);
    await pool().query("UPDATE stock SET expected_restock_date = '2030-03-01' WHERE store_id = $1", [storeId]);
    expect((await under.stock.getStock({ storeId, skus: [sku] })).levels.map((l) => l.expectedRestockDate)).toEqual(["2030-03-01", "2030-03-01"]);

    const level = await under.commands.receiveStock({ storeId, receiptId: "DN-1/1", sku, location: "A-01", quantity: 12, caller: clerk });
    expect(level).toEqual({ storeId, sku, location: "A-01", onHand: 12, reserved: 0, available: 12, safetyStock: 0, expectedRestockDate: "" });
    expect((await under.stock.getStock({ storeId, skus: [sku] })).levels.map((l) => l.expectedRestockDate)).toEqual(["", ""]);
    // A location that never held the SKU gets a row.
    expect(await under.commands.receiveStock({ storeId, receiptId: "DN-1/2", sku, location: "B-09", quantity: 2, caller: clerk })).toMatchObject({ location: "B-09", onHand: 2 });
    await expect(under.commands.receiveStock({ storeId, receiptId: "", sku, location: "A-01", quantity: 0, caller: clerk })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "receiptId" }), expect.objectContaining({ field: "quantity" })],
    });

    const received = (await movementsWithActorsOf(pool(), storeId)).filter((m) => m.actor_id === clerk.id);
    expect(received.map((m) => [m.kind, m.quantity, m.reason])).toEqual([
      ["received", 12, "goods received (receipt DN-1/1)"],
      ["received", 2, "goods received (receipt DN-1/2)"],
    ]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
    const events = await stockBookEvents(storeId, 2);
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      [EventTypes.StockReceived, { sku, location: "A-01", quantity: 12 }],
      [EventTypes.StockReceived, { sku, location: "B-09", quantity: 2 }],
    ]);
    expect(events[0]!.actor).toEqual(clerk);
  });

  it("books a receipt once by its id, however often and however simultaneously it is sent, and refuses its id for another receipt", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 3, safetyStock: 0 }]);
    const receipt = { storeId, receiptId: "DN-77/1", sku, location: "A-01", quantity: 10, caller: clerk };
    const answers = await Promise.all([under.commands.receiveStock(receipt), under.commands.receiveStock(receipt), under.commands.receiveStock(receipt)]);
    expect(answers.map((a) => a.onHand)).toEqual([13, 13, 13]);
    expect(await under.commands.receiveStock(receipt)).toMatchObject({ onHand: 13 });

    await expect(under.commands.receiveStock({ ...receipt, quantity: 11 })).rejects.toMatchObject({ kind: "illegal-state", code: "stock.receipt-id-reused", message: expect.stringContaining("DN-77/1") });
    const received = (await movementsWithActorsOf(pool(), storeId)).filter((m) => m.kind === "received" && m.actor_id === clerk.id);
    expect(received.map((m) => m.quantity)).toEqual([10]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
    expect((await stockBookEvents(storeId, 1)).map((e) => e.type)).toEqual([EventTypes.StockReceived]);
  });
});
