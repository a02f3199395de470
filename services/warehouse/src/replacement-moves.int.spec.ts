import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { deskReasonsFromEnv } from "@oms/sealing";
import { eventually, publishEvents } from "@oms/testing";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import { clerk, putOnRecord, startTestWarehouse, stockEvents, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

/**
 * A replacement awaiting stock sent from another store (ADR 030's third addendum) on the real
 * Kafka and Postgres: the desk moves it to a store that can reserve it whole, in one transaction
 * (reserved there, on that store's list, announced); refusals write nothing; a retry answers as it
 * stands; the new store's clerk ships it, the goods coming back are still expected at the order's
 * store, and the books of both stores balance.
 */
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const desk = { kind: "staff", id: "cs-4", role: "customer-service" } as const;

async function waitingExchange(storeId: string, lines: { sku: string; quantity: number }[]) {
  const orderId = `o-${randomUUID()}`;
  const caseId = `case-${randomUUID()}`;
  const event = newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: desk.id, note: "", kind: "exchange", lines }, { producer: "after-sales", orderId, storeId, actor: desk, correlationId: `corr-${caseId}` });
  await publishEvents(under.namespace.name, Topics.afterSalesCase, [event]);
  await eventually(async () => ((await listed(storeId)).some((r) => r.caseId === caseId && r.status === "awaiting-stock") ? true : undefined));
  return { orderId, caseId };
}

async function listed(storeId: string) {
  return (await under.stock.listReplacements({ storeId, limit: 0, pageSize: 0, pageToken: "" })).replacements;
}

/** The SKUs' levels in the order the specs name them: the query sorts by SKU, and the SKUs are random. */
async function levelsOf(storeId: string, skus: string[]) {
  const { levels } = await under.stock.getStock({ storeId, skus });
  return levels.sort((a, b) => skus.indexOf(a.sku) - skus.indexOf(b.sku) || a.location.localeCompare(b.location)).map((l) => [l.sku, l.location, l.onHand, l.reserved]);
}

async function caseMovements(caseId: string) {
  const { rows } = await pool().query("SELECT store_id, kind, sku, location, quantity, order_id, actor_id FROM stock_movements WHERE case_id = $1 ORDER BY movement_id", [caseId]);
  return rows;
}

async function replacementRow(caseId: string) {
  const { rows } = await pool().query("SELECT store_id, status, reserved, moved_from_store_id, picked_at FROM replacements WHERE case_id = $1", [caseId]);
  return rows[0];
}

const moveTo = (caseId: string, toStoreId: string, caller: { kind: string; id: string; role: string } = desk, reason = "store across town has them") =>
  under.commands.moveReplacement({ caseId, toStoreId, reason, caller, correlationId: `move-${caseId}` });

describe("a waiting replacement sent from another store", () => {
  it("is reserved whole at the store that has the goods and becomes its to ship, once; the goods coming back still go to the order's store", async () => {
    const [storeA, storeB, kettle, lid] = [testStore(), testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [
      { storeId: storeA, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId: storeB, sku: kettle, location: "B-01", onHand: 1, safetyStock: 0 },
      { storeId: storeB, sku: kettle, location: "B-02", onHand: 4, safetyStock: 1 },
      { storeId: storeB, sku: lid, location: "B-01", onHand: 1, safetyStock: 0 },
    ]);
    const { orderId, caseId } = await waitingExchange(storeA, [
      { sku: kettle, quantity: 2 },
      { sku: lid, quantity: 1 },
    ]);

    // The desk looks for a store that has them: what each can promise, as a reservation counts it.
    expect(await under.stock.getSkuAvailability({ sku: kettle })).toEqual({
      sku: kettle,
      stores: [
        { storeId: storeB, available: 4, onHand: 5, reserved: 0, safetyStock: 1, expectedRestockDate: "" },
        { storeId: storeA, available: 0, onHand: 0, reserved: 0, safetyStock: 0, expectedRestockDate: "" },
      ],
    });
    const moved = await moveTo(caseId, storeB);
    expect(moved).toMatchObject({
      caseId,
      orderId,
      storeId: storeB,
      status: "reserved",
      reserved: [
        { sku: kettle, location: "B-02", quantity: 2 },
        { sku: lid, location: "B-01", quantity: 1 },
      ],
      movedFromStoreId: storeA,
      movedBy: `staff:${desk.id}`,
      moveReason: "store across town has them",
    });
    expect(moved.movedAt).toBe(moved.reservedAt);
    // Off the old store's list, on the new one's, for its clerks to ship.
    expect((await listed(storeA)).map((r) => r.caseId)).not.toContain(caseId);
    expect((await listed(storeB)).map((r) => [r.caseId, r.status])).toEqual([[caseId, "reserved"]]);
    expect(await levelsOf(storeB, [kettle, lid])).toEqual(
      expect.arrayContaining([
        [kettle, "B-01", 1, 0],
        [kettle, "B-02", 4, 2],
        [lid, "B-01", 1, 1],
      ]),
    );
    expect(await caseMovements(caseId)).toEqual([
      { store_id: storeB, kind: "reserved", sku: kettle, location: "B-02", quantity: 2, order_id: orderId, actor_id: desk.id },
      { store_id: storeB, kind: "reserved", sku: lid, location: "B-01", quantity: 1, order_id: orderId, actor_id: desk.id },
    ]);

    expect((await under.stock.getSkuAvailability({ sku: kettle })).stores[0]).toMatchObject({ storeId: storeB, available: 2, reserved: 2 });
    await expect(under.stock.getSkuAvailability({ sku: " " })).rejects.toMatchObject({ kind: "validation" });
    // The desk's retry after a lost answer: as it stands, nothing more reserved.
    expect(await moveTo(caseId, storeB, desk, "asked again")).toEqual(moved);
    expect(await caseMovements(caseId)).toHaveLength(2);

    // Stock rising at the old store no longer concerns it: it waits there no more.
    await under.commands.receiveStock({ storeId: storeA, receiptId: `DN-${caseId}`, sku: kettle, location: "A-01", quantity: 5, caller: clerk });
    expect(await caseMovements(caseId)).toHaveLength(2);

    // Its steps start at the store it was sent to: B's clerk picks and packs it there (ADR 030's seventh addendum).
    const pickedAtB = await under.commands.pickReplacement({ caseId, parcels: 0, caller: clerk, correlationId: `pick-${caseId}`, callerStoreIds: [storeB] });
    expect(pickedAtB).toMatchObject({ storeId: storeB, awaitedStep: "pack", pickedBy: `staff:${clerk.id}` });
    await under.commands.packReplacement({ caseId, parcels: 1, caller: clerk, correlationId: `pack-${caseId}`, callerStoreIds: [storeB] });
    const shipped = await under.commands.shipReplacement({ caseId, carrier: "SF Express", trackingNumber: "SF-77", caller: clerk, correlationId: `ship-${caseId}`, callerStoreIds: [storeB] });
    expect(shipped).toMatchObject({ storeId: storeB, status: "shipped", movedFromStoreId: storeA });
    expect(await levelsOf(storeB, [kettle])).toEqual(
      expect.arrayContaining([
        [kettle, "B-01", 1, 0],
        [kettle, "B-02", 2, 0],
      ]),
    );
    // ADR 021: the customer's goods are expected back at the order's store, untouched by the move.
    expect((await under.stock.listExpectedReturns({ storeId: storeA, limit: 0, pageSize: 0, pageToken: "" })).returns.map((r) => r.caseId)).toEqual([caseId]);
    expect((await under.stock.listExpectedReturns({ storeId: storeB, limit: 0, pageSize: 0, pageToken: "" })).returns).toEqual([]);
    expect(await findLedgerDiscrepancies(pool(), storeA)).toEqual([]);
    expect(await findLedgerDiscrepancies(pool(), storeB)).toEqual([]);

    await under.warehouse.relay.flush();
    const events = await eventually(async () => {
      const all = (await stockEvents(under.namespace.name)).filter((e) => e.type.includes(".Replacement") && (e.payload as { caseId?: string }).caseId === caseId);
      return all.length >= 5 ? all : undefined;
    });
    expect(events.map((e) => e.type)).toEqual([EventTypes.ReplacementAwaitingStock, EventTypes.ReplacementMoved, EventTypes.ReplacementPicked, EventTypes.ReplacementPacked, EventTypes.ReplacementShipped]);
    expect(events[1]).toMatchObject({
      orderId,
      storeId: storeB,
      actor: desk,
      correlationId: `move-${caseId}`,
      payload: { caseId, fromStoreId: storeA, toStoreId: storeB, reason: "", lines: moved.reserved },
    });
    const { sealedReason } = events[1]!.payload as { sealedReason: Uint8Array };
    expect(deskReasonsFromEnv(process.env).reasons.toShow("replacement-move", caseId, { sealed: sealedReason })).toBe("store across town has them");
    expect(events[2]).toMatchObject({ storeId: storeB });
  });

  it("ships only for a clerk of the store it ships from now: the old store's clerk is refused once it moved, however the gateway last heard of it", async () => {
    const [storeA, storeB, kettle] = [testStore(), testStore(), testSku()];
    await putOnRecord(pool(), [
      { storeId: storeA, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId: storeB, sku: kettle, location: "B-01", onHand: 3, safetyStock: 0 },
    ]);
    const { caseId } = await waitingExchange(storeA, [{ sku: kettle, quantity: 1 }]);

    await moveTo(caseId, storeB);
    // A's clerk, let through by a gateway that has not heard of the move yet (or whose shipment raced it and is applied
    // again): shipping it now would book B's kettle as gone while A's left the building.
    const fromA = under.commands.shipReplacement({ caseId, carrier: "SF Express", trackingNumber: "SF-A", caller: clerk, correlationId: `ship-a-${caseId}`, callerStoreIds: [storeA] });
    await expect(fromA).rejects.toMatchObject({ kind: "forbidden", code: "caller.out-of-store-scope" });
    await expect(fromA).rejects.toThrow(storeB);
    expect(await replacementRow(caseId)).toMatchObject({ store_id: storeB, status: "reserved" });
    expect(await levelsOf(storeB, [kettle])).toEqual([[kettle, "B-01", 3, 1]]);
    expect(await caseMovements(caseId)).toHaveLength(1);

    // Nor may A's clerk take its steps: they are B's now.
    const pickFromA = under.commands.pickReplacement({ caseId, parcels: 0, caller: clerk, correlationId: `pick-a-${caseId}`, callerStoreIds: [storeA] });
    await expect(pickFromA).rejects.toMatchObject({ kind: "forbidden", code: "caller.out-of-store-scope" });
    expect(await replacementRow(caseId)).toMatchObject({ picked_at: null });
    await under.commands.pickReplacement({ caseId, parcels: 0, caller: clerk, correlationId: `pick-b-${caseId}`, callerStoreIds: [storeB] });
    const packFromA = under.commands.packReplacement({ caseId, parcels: 1, caller: clerk, correlationId: `pack-a-${caseId}`, callerStoreIds: [storeA] });
    await expect(packFromA).rejects.toMatchObject({ kind: "forbidden", code: "caller.out-of-store-scope" });
    await under.commands.packReplacement({ caseId, parcels: 1, caller: clerk, correlationId: `pack-b-${caseId}`, callerStoreIds: [storeB] });
    const fromB = await under.commands.shipReplacement({ caseId, carrier: "SF Express", trackingNumber: "SF-B", caller: clerk, correlationId: `ship-b-${caseId}`, callerStoreIds: [storeB] });
    expect(fromB).toMatchObject({ storeId: storeB, status: "shipped", trackingNumber: "SF-B" });
    expect(await levelsOf(storeB, [kettle])).toEqual([[kettle, "B-01", 2, 0]]);
    expect(await findLedgerDiscrepancies(pool(), storeA)).toEqual([]);
    expect(await findLedgerDiscrepancies(pool(), storeB)).toEqual([]);
  });

  it("refuses with nothing written: a store short of any line (each named), the store it waits at, a store nobody knows, a field missing, one no longer waiting", async () => {
    const [storeA, storeB, storeC, kettle, lid] = [testStore(), testStore(), testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [
      { storeId: storeA, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 },
      // B has the kettles, but one only above its safety stock, and no lid.
      { storeId: storeB, sku: kettle, location: "B-01", onHand: 3, safetyStock: 2 },
      { storeId: storeC, sku: kettle, location: "C-01", onHand: 2, safetyStock: 0 },
      { storeId: storeC, sku: lid, location: "C-01", onHand: 1, safetyStock: 0 },
    ]);
    const { caseId } = await waitingExchange(storeA, [
      { sku: kettle, quantity: 2 },
      { sku: lid, quantity: 1 },
    ]);

    const short = moveTo(caseId, storeB);
    await expect(short).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.out-of-stock" });
    await expect(short).rejects.toThrow(`${kettle} (2 needed, 1 available)`);
    await expect(short).rejects.toThrow(`${lid} (1 needed, 0 available)`);
    await expect(moveTo(caseId, storeA)).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.same-store" });
    await expect(moveTo(caseId, `store-nowhere-${randomUUID()}`)).rejects.toMatchObject({ kind: "not-found", code: "store.unknown" });
    await expect(moveTo(caseId, storeB, desk, " ")).rejects.toMatchObject({ kind: "validation", code: "replacement.invalid-move" });
    await expect(moveTo(`case-${randomUUID()}`, storeB)).rejects.toMatchObject({ kind: "not-found", code: "replacement.not-found" });
    expect(await caseMovements(caseId)).toEqual([]);
    expect(await replacementRow(caseId)).toEqual({ store_id: storeA, status: "awaiting-stock", reserved: [], moved_from_store_id: null, picked_at: null });
    expect(await levelsOf(storeB, [kettle])).toEqual([[kettle, "B-01", 3, 0]]);

    // C has it all: moved. Then another desk member's move, or a move elsewhere, finds it no longer waiting.
    await moveTo(caseId, storeC);
    await expect(moveTo(caseId, storeC, { kind: "staff", id: "cs-5", role: "customer-service" })).rejects.toMatchObject({ code: "replacement.not-awaiting-stock" });
    await expect(moveTo(caseId, storeB)).rejects.toMatchObject({ code: "replacement.not-awaiting-stock" });
    expect(await caseMovements(caseId)).toHaveLength(2);

    // Called off once moved, it releases at the store that held it.
    const calledOff = await under.commands.callOffReplacement({ caseId, reason: "refund instead", caller: desk, correlationId: `off-${caseId}` });
    expect(calledOff).toMatchObject({ storeId: storeC, status: "called-off" });
    expect(await levelsOf(storeC, [kettle, lid])).toEqual([
      [kettle, "C-01", 2, 0],
      [lid, "C-01", 1, 0],
    ]);
    await expect(moveTo(`${caseId}`, storeB, { kind: "staff", id: "cs-6", role: "customer-service" })).rejects.toMatchObject({ code: "replacement.called-off" });
    expect(await findLedgerDiscrepancies(pool(), storeC)).toEqual([]);
  });

  it("refuses a store whose profile says it takes no orders, naming it, with nothing written; reopened, it may ship it", async () => {
    const [storeA, closed, kettle] = [testStore(), testStore(), testSku()];
    await putOnRecord(pool(), [
      { storeId: storeA, sku: kettle, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId: closed, sku: kettle, location: "D-01", onHand: 4, safetyStock: 0 },
    ]);
    await pool().query("INSERT INTO store_routing (store_id, priority, service_areas, daily_capacity, accepting_orders) VALUES ($1, 1, '{Minhang}', 100, false)", [closed]);
    const { caseId } = await waitingExchange(storeA, [{ sku: kettle, quantity: 1 }]);

    const refused = moveTo(caseId, closed);
    await expect(refused).rejects.toMatchObject({ kind: "illegal-state", code: "store.not-accepting-orders" });
    await expect(refused).rejects.toThrow(closed);
    expect(await caseMovements(caseId)).toEqual([]);
    expect(await replacementRow(caseId)).toEqual({ store_id: storeA, status: "awaiting-stock", reserved: [], moved_from_store_id: null, picked_at: null });
    expect(await levelsOf(closed, [kettle])).toEqual([[kettle, "D-01", 4, 0]]);

    // A profile alone makes a store known: one with no stock of the SKU is short, not unknown.
    const [profiled] = [testStore()];
    await pool().query("INSERT INTO store_routing (store_id, priority, service_areas, daily_capacity) VALUES ($1, 1, '{Minhang}', 100)", [profiled]);
    await expect(moveTo(caseId, profiled)).rejects.toMatchObject({ code: "replacement.out-of-stock" });

    await pool().query("UPDATE store_routing SET accepting_orders = true WHERE store_id = $1", [closed]);
    expect(await moveTo(caseId, closed)).toMatchObject({ storeId: closed, status: "reserved" });
  });
});
