import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { EventTypes, newEvent, type Actor } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { createPool, migrationsFromDirectory, runMigrations, withTransaction } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { timerMigrations } from "@oms/timers";
import { reservationRepository } from "../../../../services/warehouse/src/adapters/pg/reservation-repository.ts";
import { restockReturned, stockCorrections } from "../../../../services/warehouse/src/adapters/pg/stock-corrections.ts";
import { stockRepository } from "../../../../services/warehouse/src/adapters/pg/stock-repository.ts";
import { replacementStock } from "../../../../services/warehouse/src/adapters/pg/replacement-stock.ts";
import { expectReturns } from "../../../../services/warehouse/src/app/commands/expect-returns.ts";
import { moveReplacement } from "../../../../services/warehouse/src/app/commands/move-replacement.ts";
import { openReplacementsOf } from "../../../../services/warehouse/src/app/commands/open-replacements.ts";
import { packReplacement } from "../../../../services/warehouse/src/app/commands/pack-replacement.ts";
import { pickReplacement } from "../../../../services/warehouse/src/app/commands/pick-replacement.ts";
import { shipReplacement } from "../../../../services/warehouse/src/app/commands/ship-replacement.ts";
import { receiveReturn } from "../../../../services/warehouse/src/app/commands/receive-return.ts";
import { receiveStock } from "../../../../services/warehouse/src/app/commands/receive-stock.ts";
import { recordOpeningStock } from "../../../../services/warehouse/src/app/commands/record-opening-stock.ts";
import type { Reservation } from "../../../../services/warehouse/src/domain/reservation.ts";
import { defaultStepDeadlineSettings } from "../../../../services/warehouse/src/domain/step-deadlines.ts";
import type { CheckContext } from "./context.ts";
import { stockConserved } from "./warehouse-and-dispatch.ts";

/**
 * "Stock conserved" must catch what the per-row balance cannot: the warehouse writes each
 * movement in the statement that changes the stock, so a step taken twice balances. The
 * history is written with the warehouse's own migrations and adapters; each violation is
 * one a buggy caller of those adapters would leave — a reservation shipped or released
 * twice, goods received without their receipt, a receipt booked twice, returned goods
 * restocked twice or written off beyond their receipt — and the balance still holds for
 * every one of them.
 */
let namespace: TestNamespace;
let warehouse: pg.Pool;
let context: CheckContext;

const clerk: Actor = { kind: "staff", id: "clerk-1", role: "warehouse-clerk" };
const store = "store-1";
const noEvents = { append: async () => {} } as unknown as OutboxWriter;

beforeAll(async () => {
  namespace = await createTestNamespace();
  const admin = new pg.Pool({ connectionString: namespace.databaseUrl, max: 1 });
  await admin.query("CREATE SCHEMA warehouse");
  await admin.end();
  warehouse = createPool({ url: namespace.databaseUrl, schema: "warehouse", applicationName: "stock-ledger-spec" });
  const migrations = path.join(import.meta.dirname, "../../../../services/warehouse/src/adapters/pg/migrations");
  // The timers too: a replacement reserved at its acceptance gets its ship-by timer (ADR 030's fifth addendum).
  await runMigrations(warehouse, "warehouse", [...timerMigrations, ...(await migrationsFromDirectory(migrations, "warehouse"))]);
  // The checker reads every schema by its name, as in the fault harness.
  context = { db: new pg.Pool({ connectionString: namespace.databaseUrl, max: 2 }), accepted: new Map(), sent: new Set(), endOf: () => "closed", goodwillAskedFor: () => 0, complaintRefundFor: () => 0, exchanges: new Map(), planted: [], topics: new Map() };
});

afterAll(async () => {
  await context?.db.end();
  await warehouse?.end();
  await namespace?.drop();
});

beforeEach(async () => {
  // TRUNCATE fires no row trigger: the ledger's append-only guard does not stop it.
  await warehouse.query(
    "TRUNCATE stock, stock_movements, stock_receipts, reservation_steps, reservation_lines, reservations, stock_write_offs, return_receipts, expected_returns, replacements CASCADE",
  );
});

function reservation(reservationId: string, quantity: number): Reservation {
  return { reservationId, orderId: reservationId.split("/")[0]!, storeId: store, status: "reserved", priority: 0, lines: [{ sku: "KETTLE", location: "A-01", quantity }], fulfillmentMethod: "ship" };
}

const movedFor = (r: Reservation) => ({ orderId: r.orderId, reservationId: r.reservationId, reason: "spec", actor: clerk });

/** Opening stock, two receipts (one at a new location) and three reservations: one shipped, one released, one held. */
async function aDayAtTheStore(): Promise<Record<"shipped" | "released" | "held", Reservation>> {
  await withTransaction(warehouse, (tx) => recordOpeningStock(tx, [{ storeId: store, sku: "KETTLE", location: "A-01", onHand: 10, safetyStock: 0 }], clerk, "demo chain spec"));
  const caller = { kind: "staff", id: clerk.id, role: clerk.role };
  await receiveStock(warehouse, noEvents, { storeId: store, sku: "KETTLE", location: "A-01", quantity: 5, receiptId: "R-1", caller }, "c-1", timing);
  await receiveStock(warehouse, noEvents, { storeId: store, sku: "KETTLE", location: "B-02", quantity: 3, receiptId: "R-2", caller }, "c-2", timing);
  // Sent again: booked once.
  await receiveStock(warehouse, noEvents, { storeId: store, sku: "KETTLE", location: "A-01", quantity: 5, receiptId: "R-1", caller }, "c-3", timing);
  const day = { shipped: reservation("o-1/reservation/1", 2), released: reservation("o-2/reservation/1", 3), held: reservation("o-3/reservation/1", 6) };
  await withTransaction(warehouse, async (tx) => {
    for (const r of Object.values(day)) await reservationRepository.insert(tx, r);
    await stockRepository.reserve(tx, Object.values(day).map((r) => ({ storeId: store, lines: r.lines, context: movedFor(r) })));
    await stockRepository.ship(tx, store, day.shipped.lines, movedFor(day.shipped));
    await reservationRepository.advanceMany(tx, [{ next: { ...day.shipped, status: "shipped" }, actor: clerk, detail: "spec" }]);
    await stockRepository.release(tx, store, day.released.lines, movedFor(day.released));
    await reservationRepository.markReleased(tx, day.released.reservationId, "order cancelled");
  });
  return day;
}

describe("invariant: stock conserved", () => {
  it("passes the ledger the warehouse writes: opening stock, receipts booked once, each reservation moved once", async () => {
    await aDayAtTheStore();
    const outcome = await stockConserved(context);
    expect(outcome.details).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.figure).toContain("3 reservations each reserved, released or shipped once");
    expect(outcome.figure).toContain("8 units in by 2 receipts, each booked once, besides 10 of opening stock");
  });

  it("catches a reservation shipped twice, though every row still balances", async () => {
    const { shipped } = await aDayAtTheStore();
    // The second time takes the units the held reservation was promised.
    await withTransaction(warehouse, (tx) => stockRepository.ship(tx, store, shipped.lines, movedFor(shipped)));
    const outcome = await stockConserved(context);
    expect(outcome.ok).toBe(false);
    expect(outcome.details.sort()).toEqual([
      "reservation o-1/reservation/1 is shipped (2 units) but the ledger holds -2 and shipped 4 for it",
      "reservation o-1/reservation/1 store-1/KETTLE@A-01 shipped 2 times",
      "reservation o-1/reservation/1 store-1/KETTLE@A-01: 0 released + 4 shipped of 2 reserved",
    ]);
  });

  it("catches a reservation released twice, and one released after it shipped", async () => {
    const { released, shipped } = await aDayAtTheStore();
    await withTransaction(warehouse, async (tx) => {
      await stockRepository.release(tx, store, released.lines, movedFor(released));
      await stockRepository.release(tx, store, shipped.lines, movedFor(shipped));
    });
    const outcome = await stockConserved(context);
    expect(outcome.ok).toBe(false);
    expect(outcome.details.sort()).toEqual([
      "reservation o-1/reservation/1 is shipped (2 units) but the ledger holds -2 and shipped 2 for it",
      "reservation o-1/reservation/1 store-1/KETTLE@A-01 both released and shipped",
      "reservation o-1/reservation/1 store-1/KETTLE@A-01: 2 released + 2 shipped of 2 reserved",
      "reservation o-2/reservation/1 is released (3 units) but the ledger holds -3 and shipped 0 for it",
      "reservation o-2/reservation/1 store-1/KETTLE@A-01 released 2 times",
      "reservation o-2/reservation/1 store-1/KETTLE@A-01: 6 released + 0 shipped of 3 reserved",
    ]);
  });

  it("catches goods received without their receipt, a receipt booked twice, and units received with no receipt at all", async () => {
    await aDayAtTheStore();
    await withTransaction(warehouse, async (tx) => {
      await stockRepository.lockForSkus(tx, store, ["KETTLE"]);
      const key = { storeId: store, sku: "KETTLE", location: "A-01" };
      await stockCorrections.receive(tx, key, 7, "R-404", { reason: "goods received (receipt R-404)", actor: clerk });
      await stockCorrections.receive(tx, key, 5, "R-1", { reason: "goods received (receipt R-1)", actor: clerk });
      // Units booked in as received with no receipt named, the row and its ledger kept in balance.
      await tx.query("UPDATE stock SET on_hand = on_hand + 2 WHERE store_id = $1 AND sku = 'KETTLE' AND location = 'A-01'", [store]);
      await tx.query(
        `INSERT INTO stock_movements (store_id, sku, location, kind, quantity, reason, actor_kind, actor_id, actor_role)
         VALUES ($1, 'KETTLE', 'A-01', 'received', 2, 'found behind the shelf', $2, $3, $4)`,
        [store, clerk.kind, clerk.id, clerk.role],
      );
    });
    const outcome = await stockConserved(context);
    expect(outcome.ok).toBe(false);
    expect(outcome.details.sort()).toEqual([
      "receipt store-1 R-1 booked 2 times",
      "store-1/KETTLE@A-01: 2 units received without a receipt (\"found behind the shelf\")",
      "store-1/KETTLE@A-01: 7 units received under receipt R-404, which was never recorded",
    ]);
  });

  it("accounts for returned goods: the resellable back on hand by the balance, the written off in their book, each once", async () => {
    await aDayAtTheStore();
    await aReturnReceived();
    const outcome = await stockConserved(context);
    expect(outcome.details).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.figure).toContain("1 returns expected, 1 return receipts: 1 units back on hand, 1 written off, each once");
  });

  it("catches returned units restocked twice, units written off beyond their receipt, and a return whose figures disagree with its receipts", async () => {
    await aDayAtTheStore();
    const { orderId } = await aReturnReceived();
    await withTransaction(warehouse, async (tx) => {
      await stockRepository.lockForSkus(tx, store, ["KETTLE"]);
      // The restock applied a second time: the row still balances against its ledger.
      await restockReturned(tx, [{ storeId: store, sku: "KETTLE", location: "R-01", quantity: 1 }], { orderId, caseId: "case-1", receiptId: "RET-1", reason: "spec", actor: clerk });
      await tx.query(
        `INSERT INTO stock_write_offs (store_id, sku, quantity, condition, cause, case_id, receipt_id, order_id, actor_kind, actor_id, actor_role)
         VALUES ($1, 'KETTLE', 2, 'damaged', 'dropped', 'case-1', 'RET-1', $2, 'staff', 'clerk-1', 'warehouse-clerk')`,
        [store, orderId],
      );
      await tx.query(`UPDATE expected_returns SET lines = '[{"sku": "KETTLE", "expected": 2, "restocked": 2, "writtenOff": 1}]' WHERE case_id = 'case-1'`);
    });
    const outcome = await stockConserved(context);
    expect(outcome.ok).toBe(false);
    expect(outcome.details.sort()).toEqual([
      "case case-1 KETTLE: the return says 2 restocked and 1 written off, its receipts 1 and 1",
      "return receipt case-1 RET-1 KETTLE: 1 written off, 3 in the write-off book",
      "return receipt case-1 RET-1 store-1/KETTLE@R-01: 1 restocked, 2 on the ledger",
    ]);
  });
});

/** The clerk's pick and pack before a replacement's shipment (ADR 030's seventh addendum). */
async function pickAndPack(caseId: string, caller: { kind: string; id: string; role: string }): Promise<void> {
  const step = { caseId, caller, correlationId: `steps-${caseId}`, callerStoreIds: [] };
  await pickReplacement(warehouse, noEvents, { ...step, parcels: 0 }, step.correlationId, silent, timing);
  await packReplacement(warehouse, noEvents, { ...step, parcels: 1 }, step.correlationId, silent, timing);
}

describe("invariant: stock conserved, with exchanges' replacements (ADR 030)", () => {
  it("passes replacements reserved at acceptance, awaiting stock, and shipped by a clerk, each under its case", async () => {
    await aDayAtTheStore();
    // The third asks for more kettles than the store has left: it waits for stock, holding nothing.
    await replacementsOpened(["case-r1", "case-r2"], ["case-r3", 50]);
    const caller = { kind: "staff", id: clerk.id, role: clerk.role };
    await pickAndPack("case-r1", caller);
    await shipReplacement(warehouse, noEvents, { caseId: "case-r1", carrier: "SF Express", trackingNumber: "SF1", caller, correlationId: "c-5", callerStoreIds: [] }, "c-5", silent);
    const outcome = await stockConserved(context);
    expect(outcome.details).toEqual([]);
    expect(outcome.figure).toContain("3 exchange replacements (1 shipped, 0 moved to another store) each reserved, released or shipped once, at the store it ships from");
  });

  it("passes a waiting replacement the desk moved to another store, reserved and shipped there (ADR 030, third addendum)", async () => {
    await aDayAtTheStore();
    await withTransaction(warehouse, (tx) => recordOpeningStock(tx, [{ storeId: "store-2", sku: "KETTLE", location: "A-01", onHand: 80, safetyStock: 0 }], clerk, "spec"));
    await replacementsOpened(["case-r1"], ["case-r3", 50]);
    const desk = { kind: "staff", id: "cs-1", role: "customer-service" };
    await moveReplacement(warehouse, noEvents, { caseId: "case-r3", toStoreId: "store-2", reason: "store-1 waits weeks", caller: desk, correlationId: "c-6" }, "c-6", silent, timing);
    const caller = { kind: "staff", id: clerk.id, role: clerk.role };
    await pickAndPack("case-r3", caller);
    await shipReplacement(warehouse, noEvents, { caseId: "case-r3", carrier: "SF Express", trackingNumber: "SF3", caller, correlationId: "c-7", callerStoreIds: [] }, "c-7", silent);
    const outcome = await stockConserved(context);
    expect(outcome.details).toEqual([]);
    expect(outcome.figure).toContain("2 exchange replacements (1 shipped, 1 moved to another store) each reserved, released or shipped once, at the store it ships from");
  });

  it("catches a replacement whose stock moved at a store it does not ship from", async () => {
    await aDayAtTheStore();
    await replacementsOpened(["case-r1"]);
    // Marked moved to store-2 while its units stay reserved at store-1: every row still balances.
    await warehouse.query(
      "UPDATE replacements SET store_id = 'store-2', moved_from_store_id = 'store-1', moved_at = now(), moved_by = 'staff:cs-1', move_reason = 'spec' WHERE case_id = 'case-r1'",
    );
    const outcome = await stockConserved(context);
    expect(outcome.ok).toBe(false);
    expect(outcome.details).toEqual(["replacement of case case-r1 ships from store-2 but the ledger moves its stock at store-1"]);
  });

  it("catches a replacement shipped twice and a replacement's status that disagrees with its ledger", async () => {
    await aDayAtTheStore();
    await replacementsOpened(["case-r1", "case-r2"]);
    await withTransaction(warehouse, async (tx) => {
      await stockRepository.lockForSkus(tx, store, ["KETTLE"]);
      const context = { storeId: store, orderId: "o-case-r1", caseId: "case-r1", reason: "spec", actor: clerk };
      // Shipped twice, reserved again in between: every row still balances against its ledger.
      await replacementStock.ship(tx, [{ sku: "KETTLE", location: "A-01", quantity: 1 }], context);
      await replacementStock.reserve(tx, [{ sku: "KETTLE", location: "A-01", quantity: 1 }], context);
      await replacementStock.ship(tx, [{ sku: "KETTLE", location: "A-01", quantity: 1 }], context);
      await tx.query("UPDATE replacements SET status = 'called-off', called_off_at = now(), called_off_by = 'staff:cs-1', called_off_reason = 'spec' WHERE case_id = 'case-r2'");
    });
    const outcome = await stockConserved(context);
    expect(outcome.ok).toBe(false);
    expect(outcome.details.sort()).toEqual([
      "replacement of case case-r1 is reserved (1 units) but the ledger holds 0 and shipped 2 for it",
      "replacement of case case-r1 store-1/KETTLE@A-01 reserved 2 times",
      "replacement of case case-r1 store-1/KETTLE@A-01 shipped 2 times",
      "replacement of case case-r2 is called-off (1 units) but the ledger holds 1 and shipped 0 for it",
    ]);
  });
});

/** Production's allowances: a replacement reserved here gets its ship-by timer, which no spec waits for. */
const timing = { settings: defaultStepDeadlineSettings, clock: () => new Date() };
const silent = createLogger({ service: "stock-ledger-spec", level: "silent" });

/** After-sales accepts exchanges (one kettle each unless said), heard by the warehouse's consumer: each reserved from what the day left, or waiting. */
async function replacementsOpened(caseIds: string[], ...more: [string, number][]): Promise<void> {
  const agent = { kind: "staff", id: "cs-1", role: "customer-service" } as const;
  const accepted = [...caseIds.map((caseId): [string, number] => [caseId, 1]), ...more].map(([caseId, quantity]) =>
    newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: "cs-1", note: "", kind: "exchange", lines: [{ sku: "KETTLE", quantity }] }, { producer: "after-sales", orderId: `o-${caseId}`, storeId: store, actor: agent }),
  );
  await withTransaction(warehouse, (tx) => openReplacementsOf(tx, noEvents, accepted, silent, timing));
}

/** After-sales accepts a return of two kettles; a clerk receives one fit to sell and one with a cracked base. */
async function aReturnReceived(): Promise<{ orderId: string }> {
  const orderId = "o-9";
  const agent = { kind: "staff", id: "cs-1", role: "customer-service" } as const;
  const accepted = newEvent(EventTypes.CaseAccepted, { caseId: "case-1", assigneeStaffId: "cs-1", note: "", kind: "return", lines: [{ sku: "KETTLE", quantity: 2 }] }, { producer: "after-sales", orderId, storeId: store, actor: agent });
  const logger = createLogger({ service: "stock-ledger-spec", level: "silent" });
  await withTransaction(warehouse, (tx) => expectReturns(tx, [accepted], logger));
  const caller = { kind: "staff", id: clerk.id, role: clerk.role };
  const lines = [{ sku: "KETTLE", resellable: 1, location: "R-01", writeOffs: [{ quantity: 1, condition: "damaged", cause: "base cracked" }] }];
  await receiveReturn(warehouse, noEvents, { caseId: "case-1", receiptId: "RET-1", caller, correlationId: "c-4", lines }, "c-4", logger, timing);
  return { orderId };
}
