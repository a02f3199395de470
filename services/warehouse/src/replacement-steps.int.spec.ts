import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import { clerk, putOnRecord, startTestWarehouse, stockEvents, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

/**
 * A replacement's clerk steps (ADR 030's seventh addendum) on the real Kafka and Postgres: picked,
 * packed with a label, then shipped, in that order; each step asked again answers as recorded
 * with nothing more written (a step done before a call-off too); out of order or first asked once
 * called off, refused with nothing written; a pick reserves one still awaiting stock; one opened
 * before the steps still ships in one go.
 */
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const desk = { kind: "staff", id: "cs-3", role: "customer-service" } as const;

async function exchange(storeId: string, sku: string, status: "reserved" | "awaiting-stock") {
  const caseId = `case-${randomUUID()}`;
  const event = newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: desk.id, note: "", kind: "exchange", lines: [{ sku, quantity: 1 }] }, {
    producer: "after-sales",
    orderId: `o-${randomUUID()}`,
    storeId,
    actor: desk,
  });
  await publishEvents(under.namespace.name, Topics.afterSalesCase, [event]);
  await eventually(async () => ((await under.stock.listReplacements({ storeId, limit: 0, pageSize: 0, pageToken: "" })).replacements.some((r) => r.caseId === caseId && r.status === status) ? true : undefined));
  return caseId;
}

const step = (caseId: string, parcels = 0, callerStoreIds: string[] = []) => ({ caseId, parcels, caller: clerk, correlationId: `step-${caseId}`, callerStoreIds });
const ship = (caseId: string, trackingNumber = "SF-1") => under.commands.shipReplacement({ caseId, carrier: "SF Express", trackingNumber, caller: clerk, correlationId: "", callerStoreIds: [] });

async function stepEventsOf(caseId: string): Promise<string[]> {
  await under.warehouse.relay.flush();
  const all = await stockEvents(under.namespace.name);
  return all.filter((e) => (e.payload as { caseId?: string }).caseId === caseId).map((e) => e.type.replace(/^oms\.events\.v1\./, ""));
}

async function rowOf(caseId: string) {
  const { rows } = await pool().query("SELECT status, picked_by, packed_by, parcels, label, predates_steps FROM replacements WHERE case_id = $1", [caseId]);
  return rows[0];
}

describe("a replacement's clerk steps", () => {
  it("are taken in an order's order, each answered as recorded when asked again, shown on the store's list", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 2, safetyStock: 0 }]);
    const caseId = await exchange(storeId, sku, "reserved");
    expect((await under.stock.listReplacements({ storeId, limit: 0, pageSize: 0, pageToken: "" })).replacements[0]).toMatchObject({ caseId, awaitedStep: "pick", pickedAt: "", predatesSteps: false });

    // Out of order: nothing written.
    await expect(ship(caseId)).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.not-packed" });
    await expect(under.commands.packReplacement(step(caseId, 1))).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.not-picked" });
    await expect(under.commands.packReplacement(step(caseId, 0))).rejects.toMatchObject({ kind: "validation", code: "replacement.invalid-packing" });
    expect(await rowOf(caseId)).toMatchObject({ status: "reserved", picked_by: null, packed_by: null });

    const picked = await under.commands.pickReplacement(step(caseId));
    expect(picked).toMatchObject({ status: "reserved", awaitedStep: "pack", pickedBy: `staff:${clerk.id}` });
    expect(await under.commands.pickReplacement(step(caseId))).toEqual(picked);
    await expect(ship(caseId)).rejects.toMatchObject({ code: "replacement.not-packed" });

    const packed = await under.commands.packReplacement(step(caseId, 2));
    expect(packed).toMatchObject({ awaitedStep: "ship", parcels: 2, label: expect.stringMatching(new RegExp(`^${storeId}-[0-9A-F]{8}-2$`)) });
    expect(await under.commands.packReplacement(step(caseId, 2))).toEqual(packed);
    await expect(under.commands.packReplacement(step(caseId, 3))).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.already-packed" });

    const shipped = await ship(caseId);
    expect(shipped).toMatchObject({ status: "shipped", awaitedStep: "", pickedAt: picked.pickedAt, packedAt: packed.packedAt, label: packed.label });
    // Retries after the shipment still answer as recorded.
    expect(await under.commands.pickReplacement(step(caseId))).toEqual(shipped);
    expect(await under.commands.packReplacement(step(caseId, 2))).toEqual(shipped);

    expect(await stepEventsOf(caseId)).toEqual(["ReplacementReserved", "ReplacementPicked", "ReplacementPacked", "ReplacementShipped"]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("answers a retry of a step taken before the call-off as recorded, refuses a first step after it, and a clerk of another store", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 2, safetyStock: 0 }]);
    const caseId = await exchange(storeId, sku, "reserved");
    await expect(under.commands.pickReplacement(step(caseId, 0, [testStore()]))).rejects.toMatchObject({ kind: "forbidden", code: "caller.out-of-store-scope" });
    const picked = await under.commands.pickReplacement(step(caseId, 0, [storeId]));
    await under.commands.callOffReplacement({ caseId, reason: "refund instead", caller: desk, correlationId: "" });
    // The clerk's pick retried (its answer lost): the pick on record, nothing written.
    expect(await under.commands.pickReplacement(step(caseId))).toMatchObject({ status: "called-off", pickedAt: picked.pickedAt, pickedBy: picked.pickedBy });
    await expect(under.commands.packReplacement(step(caseId, 1))).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.called-off" });
    expect(await rowOf(caseId)).toMatchObject({ status: "called-off", picked_by: picked.pickedBy, packed_by: null });
    expect(await stepEventsOf(caseId)).toEqual(["ReplacementReserved", "ReplacementPicked", "ReplacementCalledOff"]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("answers a retried pack of a replacement called off after it as recorded; other parcels and a never-picked one are refused", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 2, safetyStock: 0 }]);
    const [packedOne, untouched] = [await exchange(storeId, sku, "reserved"), await exchange(storeId, sku, "reserved")];
    await under.commands.pickReplacement(step(packedOne));
    const packed = await under.commands.packReplacement(step(packedOne, 2));
    for (const caseId of [packedOne, untouched]) await under.commands.callOffReplacement({ caseId, reason: "refund instead", caller: desk, correlationId: "" });
    expect(await under.commands.packReplacement(step(packedOne, 2))).toMatchObject({ status: "called-off", parcels: 2, label: packed.label, packedAt: packed.packedAt });
    await expect(under.commands.packReplacement(step(packedOne, 3))).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.called-off" });
    await expect(under.commands.pickReplacement(step(untouched))).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.called-off" });
    expect(await rowOf(untouched)).toMatchObject({ status: "called-off", picked_by: null });
    expect(await stepEventsOf(packedOne)).toEqual(["ReplacementReserved", "ReplacementPicked", "ReplacementPacked", "ReplacementCalledOff"]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("reserves one awaiting stock at its pick when the stock is there, or refuses naming the SKU short", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 0, safetyStock: 0 }]);
    const caseId = await exchange(storeId, sku, "awaiting-stock");
    await expect(under.commands.pickReplacement(step(caseId))).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.out-of-stock", message: expect.stringContaining(sku) });
    // Opening stock raises nothing: the clerk's pick finds it.
    await putOnRecord(pool(), [{ storeId, sku, location: "B-01", onHand: 1, safetyStock: 0 }]);
    const picked = await under.commands.pickReplacement(step(caseId));
    expect(picked).toMatchObject({ status: "reserved", reserved: [{ sku, location: "B-01", quantity: 1 }], awaitedStep: "pack" });
    expect(await stepEventsOf(caseId)).toEqual(["ReplacementAwaitingStock", "ReplacementReserved", "ReplacementPicked"]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("still ships one opened before the steps in one go, from reserved", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 1, safetyStock: 0 }]);
    const caseId = await exchange(storeId, sku, "reserved");
    // As migration 017 marks the rows on record when it lands.
    await pool().query("UPDATE replacements SET predates_steps = true WHERE case_id = $1", [caseId]);
    expect((await under.stock.listReplacements({ storeId, limit: 0, pageSize: 0, pageToken: "" })).replacements[0]).toMatchObject({ predatesSteps: true, awaitedStep: "ship" });
    expect(await ship(caseId)).toMatchObject({ status: "shipped", pickedAt: "" });
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });
});
