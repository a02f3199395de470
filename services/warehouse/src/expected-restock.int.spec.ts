import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import { answersFor, clerk, putOnRecord, reservationRequested, startTestWarehouse, stockEvents, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

/**
 * Staff record when a short SKU is expected back at a store (ADR 030's second addendum), on the
 * real Kafka and Postgres: every location carries the date, shortages tell it, a retry changes
 * nothing, a clearing is explicit, the trail keeps who, RestockExpected goes out for the store,
 * and each exchange replacement waiting for the SKU hears ReplacementRestockExpected by its order.
 */
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const manager = { kind: "staff", id: "manager-3", role: "store-manager" } as const;
const agent = { kind: "staff", id: "cs-9", role: "customer-service" } as const;

const record = (storeId: string, sku: string, date: string, caller: typeof clerk | typeof manager = clerk, correlationId = `restock-${randomUUID()}`) =>
  under.commands.recordExpectedRestock({ storeId, sku, date, location: "", caller, correlationId });
const clear = (storeId: string, sku: string, reason: string, caller: typeof clerk | typeof manager = manager) =>
  under.commands.clearExpectedRestock({ storeId, sku, reason, caller, correlationId: `clear-${randomUUID()}` });

async function restockEventsAt(storeId: string, count: number, type: string = EventTypes.RestockExpected): Promise<OrderEvent[]> {
  await under.warehouse.relay.flush();
  return eventually(async () => {
    const events = (await stockEvents(under.namespace.name)).filter((e) => e.storeId === storeId && e.type === type);
    return events.length >= count ? events : undefined;
  });
}

async function trailOf(storeId: string) {
  const { rows } = await pool().query(
    "SELECT sku, expected_restock_date::text AS date, previous_date::text AS previous, reason, actor_id, actor_role FROM restock_expectations WHERE store_id = $1 ORDER BY id",
    [storeId],
  );
  return rows;
}

async function datesAt(storeId: string, sku: string) {
  const { levels } = await under.stock.getStock({ storeId, skus: [sku] });
  return levels.map((l) => [l.location, l.expectedRestockDate]);
}

describe("an expected restock date recorded by staff", () => {
  it("is carried by every location of the SKU, told by the store's stock and the next shortage, announced once, and a retry changes nothing", async () => {
    const [storeId, kettle, lid] = [testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [
      { storeId, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId, sku: kettle, location: "B-02", onHand: 1, safetyStock: 0 },
      { storeId, sku: lid, location: "A-01", onHand: 4, safetyStock: 0 },
    ]);

    const recorded = await record(storeId, kettle, "2030-01-15", clerk, "corr-restock-1");
    expect(recorded).toMatchObject({ storeId, sku: kettle, expectedRestockDate: "2030-01-15", changed: true, waitingReplacements: 0 });
    expect(recorded.levels.map((l) => [l.location, l.expectedRestockDate])).toEqual([
      ["A-01", "2030-01-15"],
      ["B-02", "2030-01-15"],
    ]);
    expect(await datesAt(storeId, kettle)).toEqual([
      ["A-01", "2030-01-15"],
      ["B-02", "2030-01-15"],
    ]);
    // Another SKU of the store is untouched.
    expect(await datesAt(storeId, lid)).toEqual([["A-01", ""]]);

    // The retry after a lost answer: as it stands, nothing recorded or announced again.
    expect(await record(storeId, kettle, "2030-01-15")).toMatchObject({ expectedRestockDate: "2030-01-15", changed: false });
    expect(await trailOf(storeId)).toEqual([{ sku: kettle, date: "2030-01-15", previous: null, reason: "", actor_id: clerk.id, actor_role: clerk.role }]);

    // The order taker is told at once: an order short of kettles carries the date (the existing reader).
    const request = reservationRequested(storeId, [{ sku: kettle, quantity: 3 }]);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request]);
    const [answer] = await answersFor(under.namespace.name, [request.payload.reservationId]);
    expect(answer).toMatchObject({ type: EventTypes.StockShortage, payload: { lines: [{ sku: kettle, requested: 3, available: 1, expectedRestockDate: "2030-01-15" }] } });

    const events = await restockEventsAt(storeId, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await restockEventsAt(storeId, 1)).toHaveLength(1);
    expect(events[0]).toMatchObject({
      orderId: "",
      storeId,
      producer: "warehouse",
      actor: clerk,
      correlationId: "corr-restock-1",
      payload: { sku: kettle, expectedRestockDate: "2030-01-15", previousExpectedRestockDate: "", reason: "" },
    });
  });

  it("is not announced again when a location booked since lacks it: that location takes the date the store already tells, quietly", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 }]);
    await record(storeId, kettle, "2030-01-15");
    // Opening stock at a new shelf: booked without a date (it raises nothing, so nothing clears the others).
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "B-02", onHand: 0, safetyStock: 0 }]);

    // The clerk says the same day again (a retry, or the supplier confirming): the store's date does not change.
    expect(await record(storeId, kettle, "2030-01-15")).toMatchObject({ expectedRestockDate: "2030-01-15", changed: false, waitingReplacements: 0 });
    expect(await datesAt(storeId, kettle)).toEqual([
      ["A-01", "2030-01-15"],
      ["B-02", "2030-01-15"],
    ]);
    expect((await trailOf(storeId)).map((r) => [r.date, r.previous])).toEqual([["2030-01-15", null]]);
    await restockEventsAt(storeId, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Every order waiting for kettles would otherwise read "restock of … expected 2030-01-15" twice.
    expect((await restockEventsAt(storeId, 1)).map((e) => e.payload)).toEqual([{ sku: kettle, expectedRestockDate: "2030-01-15", previousExpectedRestockDate: "", reason: "" }]);
  });

  it("moves to a new date, and is cleared only explicitly, with a reason kept on the trail; cleared again it answers as it stands", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 }]);
    await record(storeId, kettle, "2030-01-15");
    expect(await record(storeId, kettle, "2030-02-01", manager)).toMatchObject({ expectedRestockDate: "2030-02-01", changed: true });
    const cleared = await clear(storeId, kettle, "supplier cancelled the delivery");
    expect(cleared).toMatchObject({ expectedRestockDate: "", changed: true });
    expect(await datesAt(storeId, kettle)).toEqual([["A-01", ""]]);
    expect(await clear(storeId, kettle, "asked again")).toMatchObject({ expectedRestockDate: "", changed: false });

    expect((await trailOf(storeId)).map((r) => [r.date, r.previous, r.reason, r.actor_id])).toEqual([
      ["2030-01-15", null, "", clerk.id],
      ["2030-02-01", "2030-01-15", "", manager.id],
      [null, "2030-02-01", "supplier cancelled the delivery", manager.id],
    ]);
    const events = await restockEventsAt(storeId, 3);
    expect(events.map((e) => e.payload)).toEqual([
      { sku: kettle, expectedRestockDate: "2030-01-15", previousExpectedRestockDate: "", reason: "" },
      { sku: kettle, expectedRestockDate: "2030-02-01", previousExpectedRestockDate: "2030-01-15", reason: "" },
      { sku: kettle, expectedRestockDate: "", previousExpectedRestockDate: "2030-02-01", reason: "supplier cancelled the delivery" },
    ]);
  });

  it("refuses a malformed or past date, a clearing without a reason, an unknown store, a SKU the store does not stock and a caller who is not staff, writing nothing", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 }]);

    await expect(record(storeId, kettle, "2030-02-30")).rejects.toMatchObject({ kind: "validation", code: "stock.invalid-restock-date", fields: [{ field: "date" }] });
    await expect(record(storeId, kettle, "15/01/2030")).rejects.toMatchObject({ kind: "validation", fields: [{ field: "date" }] });
    await expect(record(storeId, kettle, "2026-01-01")).rejects.toMatchObject({ kind: "validation", code: "stock.invalid-restock-date", message: expect.stringContaining("over in every time zone") });
    await expect(clear(storeId, kettle, " ")).rejects.toMatchObject({ kind: "validation", code: "stock.invalid-restock-clearing", fields: [{ field: "reason" }] });
    await expect(record(testStore(), kettle, "2030-01-15")).rejects.toMatchObject({ kind: "not-found", code: "store.unknown" });
    await expect(record(storeId, testSku(), "2030-01-15")).rejects.toMatchObject({ kind: "not-found", code: "stock.sku-not-stocked" });
    await expect(
      under.commands.recordExpectedRestock({ storeId, sku: kettle, date: "2030-01-15", location: "", caller: { kind: "customer", id: "c-1", role: "" }, correlationId: "c" }),
    ).rejects.toMatchObject({ kind: "forbidden" });

    expect(await datesAt(storeId, kettle)).toEqual([["A-01", ""]]);
    expect(await trailOf(storeId)).toEqual([]);
  });

  it("tells every exchange replacement waiting for the SKU at the store, by its order, what it is short of now, each line with its date", async () => {
    const [storeId, kettle, lid] = [testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [
      { storeId, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId, sku: lid, location: "A-01", onHand: 0, safetyStock: 0 },
    ]);
    await record(storeId, lid, "2030-03-10");
    const orderId = `o-${randomUUID()}`;
    const caseId = `case-${randomUUID()}`;
    const accepted = newEvent(
      EventTypes.CaseAccepted,
      { caseId, assigneeStaffId: agent.id, note: "", kind: "exchange", lines: [{ sku: kettle, quantity: 1 }, { sku: lid, quantity: 1 }] },
      { producer: "after-sales", orderId, storeId, actor: agent, correlationId: `corr-${caseId}` },
    );
    // A replacement of another store waiting for the same SKU hears nothing (it waits before the date is recorded).
    const otherStore = testStore();
    await putOnRecord(pool(), [{ storeId: otherStore, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 }]);
    const elsewhere = newEvent(
      EventTypes.CaseAccepted,
      { caseId: `case-${randomUUID()}`, assigneeStaffId: agent.id, note: "", kind: "exchange", lines: [{ sku: kettle, quantity: 1 }] },
      { producer: "after-sales", orderId: `o-${randomUUID()}`, storeId: otherStore, actor: agent, correlationId: "elsewhere" },
    );
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [accepted, elsewhere]);
    await restockEventsAt(storeId, 1, EventTypes.ReplacementAwaitingStock);
    await restockEventsAt(otherStore, 1, EventTypes.ReplacementAwaitingStock);

    const recorded = await record(storeId, kettle, "2030-03-01", clerk, "corr-kettle-date");
    expect(recorded).toMatchObject({ changed: true, waitingReplacements: 1 });
    const [told] = await restockEventsAt(storeId, 1, EventTypes.ReplacementRestockExpected);
    expect(told).toMatchObject({
      orderId,
      storeId,
      actor: clerk,
      correlationId: "corr-kettle-date",
      payload: {
        caseId,
        sku: kettle,
        expectedRestockDate: "2030-03-01",
        short: [
          { sku: kettle, requested: 1, available: 0, expectedRestockDate: "2030-03-01" },
          { sku: lid, requested: 1, available: 0, expectedRestockDate: "2030-03-10" },
        ],
      },
    });

    // Cleared: it is told so, the kettle's date now unknown.
    await clear(storeId, kettle, "supplier gave no day");
    const after = await restockEventsAt(storeId, 2, EventTypes.ReplacementRestockExpected);
    expect(after[1]?.payload).toMatchObject({ caseId, sku: kettle, expectedRestockDate: "", short: [{ sku: kettle, expectedRestockDate: "" }, { sku: lid, expectedRestockDate: "2030-03-10" }] });
    // Every announcement names the command's store in its envelope, so the other store's replacement is looked for by its case.
    const others = (await stockEvents(under.namespace.name)).filter((e) => e.type === EventTypes.ReplacementRestockExpected && (e.payload as { caseId: string }).caseId === elsewhere.payload.caseId);
    expect(others).toEqual([]);
  });

  it("is kept, for a SKU the store never stocked, on a row of nothing on hand at the location staff name, the books still balancing; a receipt there books the goods", async () => {
    const [storeId, kettle, newSku] = [testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 2, safetyStock: 0 }]);
    const withLocation = (sku: string, date: string, location: string, at = storeId) =>
      under.commands.recordExpectedRestock({ storeId: at, sku, date, location, caller: manager, correlationId: `new-${randomUUID()}` });

    // No location named: still refused, the message saying what to do.
    await expect(record(storeId, newSku, "2030-04-01")).rejects.toMatchObject({ code: "stock.sku-not-stocked", message: expect.stringContaining("location") });
    // Refused with nothing written: an unknown store, a location too long, a day over everywhere.
    const nowhere = testStore();
    await expect(withLocation(newSku, "2030-04-01", "N-01", nowhere)).rejects.toMatchObject({ kind: "not-found", code: "store.unknown" });
    await expect(withLocation(newSku, "2030-04-01", "N".repeat(65))).rejects.toMatchObject({ kind: "validation", fields: [{ field: "location" }] });
    await expect(withLocation(newSku, "2026-01-01", "N-01")).rejects.toMatchObject({ kind: "validation", fields: [{ field: "date" }] });
    const rows = await pool().query("SELECT store_id FROM stock WHERE sku = $1", [newSku]);
    expect(rows.rows).toEqual([]);

    const recorded = await withLocation(newSku, "2030-04-01", "N-01");
    expect(recorded).toMatchObject({ changed: true, expectedRestockDate: "2030-04-01", levels: [{ sku: newSku, location: "N-01", onHand: 0, reserved: 0, expectedRestockDate: "2030-04-01" }] });
    const [told] = (await restockEventsAt(storeId, 1)).filter((e) => (e.payload as { sku: string }).sku === newSku);
    expect(told?.payload).toEqual({ sku: newSku, expectedRestockDate: "2030-04-01", previousExpectedRestockDate: "", reason: "" });
    expect(await trailOf(storeId)).toEqual([{ sku: newSku, date: "2030-04-01", previous: null, reason: "", actor_id: manager.id, actor_role: manager.role }]);
    // A retry naming the location again changes nothing; the store's other SKUs are untouched.
    expect(await withLocation(newSku, "2030-04-01", "N-01")).toMatchObject({ changed: false });
    expect(await datesAt(storeId, kettle)).toEqual([["A-01", ""]]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);

    // The delivery comes: booked on that row, the date cleared, the books balanced.
    await under.commands.receiveStock({ storeId, receiptId: `DN-${randomUUID()}`, sku: newSku, location: "N-01", quantity: 3, caller: clerk });
    const { levels } = await under.stock.getStock({ storeId, skus: [newSku] });
    expect(levels.map((l) => [l.location, l.onHand, l.expectedRestockDate])).toEqual([["N-01", 3, ""]]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });
});
