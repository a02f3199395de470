import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { clerk, putOnRecord, stockEvents, testSku, testStore, type TestWarehouse, startTestWarehouse } from "./test-fixtures.ts";

/**
 * The store's expected deliveries (ADR 030's second addendum, the worklist), on the real
 * Postgres and Kafka: dates recorded on a clock that then moves on, one set by SQL with no
 * trail, a replacement waiting for a SKU; the overdue first, and only those when asked.
 */
let under: TestWarehouse;
// The warehouse's clock: dates are recorded on the 10th of January 2030, then the days pass.
let now = new Date("2030-01-10T09:00:00Z");

beforeAll(async () => {
  under = await startTestWarehouse({ clock: () => now });
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const manager = { kind: "staff", id: "manager-3", role: "store-manager" } as const;
const agent = { kind: "staff", id: "cs-9", role: "customer-service" } as const;

const record = (storeId: string, sku: string, date: string, caller: typeof clerk | typeof manager = clerk) =>
  under.commands.recordExpectedRestock({ storeId, sku, date, location: "", caller, correlationId: `restock-${randomUUID()}` });
const list = (storeId: string, overdueOnly = false) => under.stock.listExpectedRestocks({ storeId, overdueOnly });

describe("the store's expected restocks", () => {
  it("lists every SKU with a date, the ones over in every time zone first, who said it, and the replacements waiting for it", async () => {
    const [storeId, kettle, lid, towel, mug, plain] = [testStore(), testSku(), testSku(), testSku(), testSku(), testSku()];
    await putOnRecord(pool(), [
      { storeId, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId, sku: kettle, location: "B-02", onHand: 1, safetyStock: 0 },
      { storeId, sku: lid, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId, sku: towel, location: "A-01", onHand: 3, safetyStock: 1 },
      { storeId, sku: mug, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId, sku: plain, location: "A-01", onHand: 5, safetyStock: 0 },
    ]);
    // An exchange waiting for three kettles (one available) and a lid.
    const caseId = `case-${randomUUID()}`;
    const accepted = newEvent(
      EventTypes.CaseAccepted,
      { caseId, assigneeStaffId: agent.id, note: "", kind: "exchange", lines: [{ sku: kettle, quantity: 3 }, { sku: lid, quantity: 1 }] },
      { producer: "after-sales", orderId: `o-${randomUUID()}`, storeId, actor: agent, correlationId: `corr-${caseId}` },
    );
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [accepted]);
    await eventually(async () => ((await stockEvents(under.namespace.name)).some((e) => e.type === EventTypes.ReplacementAwaitingStock && e.storeId === storeId) ? true : undefined));

    await record(storeId, kettle, "2030-01-12");
    await record(storeId, lid, "2030-01-20", manager);
    await record(storeId, lid, "2030-01-14");
    await record(storeId, towel, "2030-01-11", manager);
    // A date set before the command existed: on the rows, not in the trail.
    await pool().query("UPDATE stock SET expected_restock_date = '2030-01-13' WHERE store_id = $1 AND sku = $2", [storeId, mug]);

    // Two days on (the 12th, 13:00 UTC, 01:00 at UTC-12): the 11th is over everywhere, the 12th is still today at UTC-12.
    now = new Date("2030-01-12T13:00:00Z");
    const { items } = await list(storeId);
    expect(items.map((i) => [i.sku, i.expectedRestockDate, i.overdue])).toEqual([
      [towel, "2030-01-11", true],
      [kettle, "2030-01-12", false],
      [mug, "2030-01-13", false],
      [lid, "2030-01-14", false],
    ]);
    const bySku = new Map(items.map((i) => [i.sku, i]));
    expect(bySku.get(kettle)).toMatchObject({ recordedBy: "staff:clerk-7", available: 1, waitingReplacements: 1, unitsShort: 2 });
    expect(bySku.get(lid)).toMatchObject({ recordedBy: "staff:clerk-7", available: 0, waitingReplacements: 1, unitsShort: 1 });
    expect(bySku.get(towel)).toMatchObject({ recordedBy: "staff:manager-3", available: 2, waitingReplacements: 0, unitsShort: 0 });
    expect(bySku.get(mug)).toMatchObject({ recordedAt: "", recordedBy: "", waitingReplacements: 0 });
    expect(Date.parse(bySku.get(kettle)?.recordedAt ?? "")).not.toBeNaN();

    expect((await list(storeId, true)).items.map((i) => i.sku)).toEqual([towel]);

    // Later still (the 14th, 13:00 UTC): the 12th and 13th have passed too; a new date takes the kettle off.
    now = new Date("2030-01-14T13:00:00Z");
    await record(storeId, kettle, "2030-01-20", manager);
    expect((await list(storeId, true)).items.map((i) => [i.sku, i.overdue])).toEqual([
      [towel, true],
      [mug, true],
    ]);
    expect((await list(storeId)).items.find((i) => i.sku === kettle)).toMatchObject({ expectedRestockDate: "2030-01-20", overdue: false, recordedBy: "staff:manager-3" });

    // A cleared date and goods that came leave the list.
    await under.commands.clearExpectedRestock({ storeId, sku: towel, reason: "supplier gave no day", caller: manager, correlationId: `clear-${randomUUID()}` });
    await pool().query("UPDATE stock SET expected_restock_date = NULL WHERE store_id = $1 AND sku = $2", [storeId, mug]);
    expect((await list(storeId, true)).items).toEqual([]);
  });

  it("answers an empty list for a store without dates, and refuses a request naming no store", async () => {
    expect((await list(testStore())).items).toEqual([]);
    await expect(list(" ")).rejects.toMatchObject({ kind: "validation" });
  });
});
