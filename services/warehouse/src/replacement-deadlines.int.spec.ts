import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, type OrderEventOf } from "@oms/contracts";
import { withTransaction } from "@oms/postgres";
import { eventually, publishEvents } from "@oms/testing";
import { replacementRepository } from "./adapters/pg/replacement-repository.ts";
import { startReplacementDeadlines } from "./app/replacement-deadlines.ts";
import { TimerKinds } from "./app/step-deadlines.ts";
import { clerk, putOnRecord, startTestWarehouse, stockEvents, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

/**
 * An exchange's replacement's time nodes (ADR 030's fifth and seventh addenda: one a clerk step,
 * the pick's first) on the real Kafka and Postgres, with short allowances: reserved and left on
 * the shelf, it warns the store's warehouse clerks, then its store manager, once each, on durable timers, and shows on the store's overdue
 * list until shipped; shipped or called off in time it flags nothing; one reserved when stock
 * comes, or at the store the desk moved it to, is timed from then, at that store; an acceptance
 * heard again and a timer fired again add nothing.
 */
// Picked by reserved + 0.8 s, packed 0.6 s later, shipped 0.6 s after that; escalated 2 s after a warning.
const allowance = { pickMs: 800, packMs: 600, shipMs: 600, escalateAfterMs: 2_000 };
const shipByMs = allowance.pickMs + allowance.packMs + allowance.shipMs;
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse({ stepDeadlines: allowance });
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const desk = { kind: "staff", id: "cs-4", role: "customer-service" } as const;
type Overdue = OrderEventOf<typeof EventTypes.ReplacementShipOverdue>;

function accepted(storeId: string, sku: string) {
  const caseId = `case-${randomUUID()}`;
  const orderId = `o-${randomUUID()}`;
  const lines = [{ sku, quantity: 1 }];
  return newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: desk.id, note: "", kind: "exchange", lines }, { producer: "after-sales", orderId, storeId, actor: desk, correlationId: `corr-${caseId}` });
}

async function exchange(storeId: string, sku: string, status: "reserved" | "awaiting-stock", heard = 1) {
  const event = accepted(storeId, sku);
  await publishEvents(under.namespace.name, Topics.afterSalesCase, Array.from({ length: heard }, () => event));
  const { caseId } = event.payload;
  await eventually(async () => ((await listed(storeId)).some((r) => r.caseId === caseId && r.status === status) ? true : undefined));
  return { caseId, orderId: event.orderId, correlationId: event.correlationId };
}

const listed = async (storeId: string) => (await under.stock.listReplacements({ storeId, limit: 0, pageSize: 0, pageToken: "" })).replacements;
const overdueList = async (storeId: string) => (await under.stock.listOverdueShipments({ storeId, limit: 0, pageSize: 0, pageToken: "" })).shipments;

async function overdueOf(caseId: string): Promise<Overdue[]> {
  await under.warehouse.relay.flush();
  return (await stockEvents(under.namespace.name)).filter((e): e is Overdue => e.type === EventTypes.ReplacementShipOverdue && e.payload.caseId === caseId);
}

/** The case's step timers: `store/step/level` (`store/level` for the ship's) → fired, cancelled or pending. */
async function timersOf(caseId: string): Promise<Record<string, string>> {
  const { rows } = await pool().query<{ timer_key: string; fired: boolean; cancelled: boolean }>(
    "SELECT timer_key, fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled FROM timers WHERE kind = $1 AND timer_key LIKE $2 || '/%'",
    [TimerKinds.replacementShipDeadline, caseId],
  );
  return Object.fromEntries(rows.map((t) => [t.timer_key.slice(caseId.length + 1), t.fired ? "fired" : t.cancelled ? "cancelled" : "pending"]));
}

/** The case's nodes, one a step, in the order the steps come. */
async function nodeOf(caseId: string) {
  const { rows } = await pool().query(
    `SELECT step, store_id, level, due_at, started_at, met_at IS NOT NULL AS met, called_off_at IS NOT NULL AS called_off FROM replacement_ship_deadlines
     WHERE case_id = $1 ORDER BY array_position(ARRAY['pick', 'pack', 'ship'], step)`,
    [caseId],
  );
  return rows;
}

const stepRequest = (caseId: string, parcels = 0) => ({ caseId, parcels, caller: clerk, correlationId: "", callerStoreIds: [] });
/** The clerk's three steps, in their order (ADR 030's seventh addendum). */
async function ship(caseId: string, trackingNumber = `SF-${randomUUID().slice(0, 8)}`) {
  await under.commands.pickReplacement(stepRequest(caseId));
  await under.commands.packReplacement(stepRequest(caseId, 1));
  return under.commands.shipReplacement({ caseId, carrier: "SF Express", trackingNumber, caller: clerk, correlationId: "", callerStoreIds: [] });
}
const callOff = (caseId: string) => under.commands.callOffReplacement({ caseId, reason: "refund instead", caller: desk, correlationId: "" });

describe("a replacement reserved and left on the shelf", () => {
  it("warns the store's clerks at its pick deadline, then escalates to the store manager, once each, on the overdue list until picked; each later step met in time", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 3, safetyStock: 0 }]);
    // Heard twice (a redelivery): one replacement, one node, one timer.
    const { caseId, orderId, correlationId } = await exchange(storeId, sku, "reserved", 2);
    const [node] = await nodeOf(caseId);
    expect(await nodeOf(caseId)).toHaveLength(1);
    expect(node).toMatchObject({ step: "pick", store_id: storeId, level: 0, met: false, called_off: false });
    expect(node.due_at.getTime() - node.started_at.getTime()).toBe(allowance.pickMs);
    expect(await timersOf(caseId)).toEqual({ [`${storeId}/pick/1`]: "pending" });

    const warned = await eventually(async () => {
      const late = await overdueList(storeId);
      return late[0]?.level === 1 ? late : undefined;
    }, 15_000);
    expect(warned).toEqual([expect.objectContaining({ caseId, reservationId: "", orderId, step: "pick", level: 1, fulfillmentMethod: "ship", dueAt: node.due_at.toISOString() })]);
    const escalated = await eventually(async () => {
      const late = await overdueList(storeId);
      return late[0]?.level === 2 ? late : undefined;
    }, 15_000);
    expect(escalated[0]).toMatchObject({ caseId, level: 2, overdueSince: warned[0]!.overdueSince });

    const flagged = await eventually(async () => {
      const found = await overdueOf(caseId);
      return found.length >= 2 ? found : undefined;
    });
    const dueAt = node.due_at.toISOString();
    expect(flagged.map((e) => e.payload)).toEqual([
      { caseId, level: 1, dueAt, responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId, step: "pick" },
      { caseId, level: 2, dueAt, responsibleRole: "warehouse-clerk", escalatedToRole: "store-manager", storeId, step: "pick" },
    ]);
    // Keyed by the order, the store's, the warehouse's own flag, continuing the acceptance's chain.
    expect(flagged.map((e) => [e.orderId, e.storeId, e.actor.id, e.correlationId, e.causationId.startsWith("timer:")])).toEqual([
      [orderId, storeId, "warehouse", correlationId, true],
      [orderId, storeId, "warehouse", correlationId, true],
    ]);

    // Both timers fire again (a replay): nothing more is flagged.
    await pool().query("UPDATE timers SET fired_at = NULL, due_at = now() WHERE kind = $1 AND timer_key LIKE $2 || '/%'", [TimerKinds.replacementShipDeadline, caseId]);
    await eventually(async () => (Object.values(await timersOf(caseId)).every((t) => t === "fired") ? true : undefined));
    await sleep(500);
    expect(await overdueOf(caseId)).toHaveLength(2);

    await under.commands.pickReplacement(stepRequest(caseId));
    expect(await overdueList(storeId)).toEqual([]);
    const [pick, pack] = await nodeOf(caseId);
    expect(pick).toMatchObject({ step: "pick", level: 2, met: true });
    expect(pack).toMatchObject({ step: "pack", level: 0, met: false });
    expect(pack.due_at.getTime() - pack.started_at.getTime()).toBe(allowance.packMs);
    await under.commands.packReplacement(stepRequest(caseId, 2));
    await under.commands.shipReplacement({ caseId, carrier: "SF Express", trackingNumber: "SF-9", caller: clerk, correlationId: "", callerStoreIds: [] });
    expect(await nodeOf(caseId)).toEqual([
      expect.objectContaining({ step: "pick", level: 2, met: true }),
      expect.objectContaining({ step: "pack", level: 0, met: true }),
      expect.objectContaining({ step: "ship", level: 0, met: true }),
    ]);
    expect(await timersOf(caseId)).toEqual({ [`${storeId}/pick/1`]: "fired", [`${storeId}/pick/2`]: "fired", [`${storeId}/pack/1`]: "cancelled", [`${storeId}/1`]: "cancelled" });
  });
});

describe("an acceptance the warehouse hears late (a backlog after an outage, another service's clock)", () => {
  it("times the replacement from when the warehouse reserves it, not from the acceptance's own clock: it is not late the moment it is reserved", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 1, safetyStock: 0 }]);
    const caseId = `case-${randomUUID()}`;
    const lines = [{ sku, quantity: 1 }];
    // Accepted an hour ago, heard only now: far longer ago than the whole allowance.
    const late = newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: desk.id, note: "", kind: "exchange", lines }, {
      producer: "after-sales",
      orderId: `o-${randomUUID()}`,
      storeId,
      actor: desk,
      now: new Date(Date.now() - 3_600_000),
    });
    const before = Date.now();
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [late]);
    await eventually(async () => ((await nodeOf(caseId)).length === 1 ? true : undefined));
    const [node] = await nodeOf(caseId);
    expect(node.started_at.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(node.due_at.getTime() - node.started_at.getTime()).toBe(allowance.pickMs);
    expect(await timersOf(caseId)).toEqual({ [`${storeId}/pick/1`]: "pending" });
  });
});

describe("a replacement shipped or called off in time", () => {
  it("flags nothing, its timer called off; one called off after the warning is not escalated", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 5, safetyStock: 0 }]);
    const shipped = await exchange(storeId, sku, "reserved");
    const calledOff = await exchange(storeId, sku, "reserved");
    const late = await exchange(storeId, sku, "reserved");
    await ship(shipped.caseId);
    await callOff(calledOff.caseId);
    await eventually(async () => ((await overdueOf(late.caseId)).length === 1 ? true : undefined), 15_000);
    await callOff(late.caseId);
    expect(await overdueList(storeId)).toEqual([]);
    await sleep(shipByMs + allowance.escalateAfterMs + 1_500);

    expect(await overdueOf(shipped.caseId)).toEqual([]);
    expect(await overdueOf(calledOff.caseId)).toEqual([]);
    expect((await overdueOf(late.caseId)).map((e) => e.payload.level)).toEqual([1]);
    expect(await timersOf(shipped.caseId)).toEqual({ [`${storeId}/pick/1`]: "cancelled", [`${storeId}/pack/1`]: "cancelled", [`${storeId}/1`]: "cancelled" });
    expect(await timersOf(calledOff.caseId)).toEqual({ [`${storeId}/pick/1`]: "cancelled" });
    expect(await timersOf(late.caseId)).toEqual({ [`${storeId}/pick/1`]: "fired", [`${storeId}/pick/2`]: "cancelled" });
    expect(await nodeOf(calledOff.caseId)).toEqual([expect.objectContaining({ step: "pick", called_off: true, met: false })]);
  });
});

describe("a replacement that waited for stock", () => {
  it("has no deadline while waiting; reserved when goods come, it is timed from then; reserved by the clerk's pick, it never had a pick node", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 0, safetyStock: 0 }]);
    const waiting = await exchange(storeId, sku, "awaiting-stock");
    expect(await nodeOf(waiting.caseId)).toEqual([]);
    expect(await timersOf(waiting.caseId)).toEqual({});

    const before = Date.now();
    await under.commands.receiveStock({ storeId, receiptId: `DN-${randomUUID()}`, sku, location: "A-01", quantity: 1, caller: clerk });
    const [node] = await nodeOf(waiting.caseId);
    expect(node).toMatchObject({ step: "pick", store_id: storeId, level: 0 });
    expect(node.started_at.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(await timersOf(waiting.caseId)).toEqual({ [`${storeId}/pick/1`]: "pending" });
    const [warned] = await eventually(async () => {
      const found = await overdueOf(waiting.caseId);
      return found.length >= 1 ? found : undefined;
    }, 15_000);
    expect(warned?.actor.id).toBe("warehouse");
    await ship(waiting.caseId);

    // Waiting, then reserved by the clerk's pick (opening stock raises nothing): no pick node, the pack's starts from the pick.
    const other = await exchange(storeId, testSku(), "awaiting-stock");
    const { lines } = (await listed(storeId)).find((r) => r.caseId === other.caseId)!;
    await putOnRecord(pool(), [{ storeId, sku: lines[0]!.sku, location: "B-01", onHand: 1, safetyStock: 0 }]);
    await under.commands.pickReplacement(stepRequest(other.caseId));
    expect(await nodeOf(other.caseId)).toEqual([expect.objectContaining({ step: "pack", level: 0, met: false })]);
    expect(await timersOf(other.caseId)).toEqual({ [`${storeId}/pack/1`]: "pending" });
  });
});

describe("a waiting replacement moved to another store", () => {
  it("is timed from the move at the new store, whose clerks and manager are told", async () => {
    const [storeA, storeB, sku] = [testStore(), testStore(), testSku()];
    await putOnRecord(pool(), [
      { storeId: storeA, sku, location: "A-01", onHand: 0, safetyStock: 0 },
      { storeId: storeB, sku, location: "B-01", onHand: 2, safetyStock: 0 },
    ]);
    const { caseId, orderId } = await exchange(storeA, sku, "awaiting-stock");
    await under.commands.moveReplacement({ caseId, toStoreId: storeB, reason: "B has it", caller: desk, correlationId: `move-${caseId}` });
    expect(await nodeOf(caseId)).toEqual([expect.objectContaining({ step: "pick", store_id: storeB, level: 0 })]);
    expect(await timersOf(caseId)).toEqual({ [`${storeB}/pick/1`]: "pending" });

    await eventually(async () => ((await overdueList(storeB))[0]?.caseId === caseId ? true : undefined), 15_000);
    expect(await overdueList(storeA)).toEqual([]);
    const [warned] = await overdueOf(caseId);
    expect(warned).toMatchObject({ orderId, storeId: storeB, correlationId: `move-${caseId}`, payload: { storeId: storeB, level: 1 } });
  });

  it("started again at another store (the node's re-set), calls the old store's timers off and starts unflagged; a replay at the same store keeps the first deadline", async () => {
    const [storeA, storeB, sku] = [testStore(), testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId: storeA, sku, location: "A-01", onHand: 1, safetyStock: 0 }]);
    const { caseId } = await exchange(storeA, sku, "reserved");
    await eventually(async () => ((await nodeOf(caseId))[0]?.level === 1 ? true : undefined), 15_000);
    const replacement = (await replacementRepository.find(pool(), caseId))!;
    const [first] = await nodeOf(caseId);

    // The same reservation heard again at the same store: nothing moves.
    await withTransaction(pool(), (tx) => startReplacementDeadlines(tx, [replacement], () => "again", { settings: allowance }));
    expect(await nodeOf(caseId)).toEqual([first]);

    const movedAt = new Date();
    const moved = { ...replacement, storeId: storeB, reservedAt: movedAt, moved: { fromStoreId: storeA, at: movedAt, by: `staff:${desk.id}`, reason: "B has it" } };
    await withTransaction(pool(), (tx) => startReplacementDeadlines(tx, [moved], () => "moved", { settings: allowance }));
    expect(await nodeOf(caseId)).toEqual([expect.objectContaining({ step: "pick", store_id: storeB, level: 0, started_at: movedAt, due_at: new Date(movedAt.getTime() + allowance.pickMs) })]);
    // The old store's escalation is called off (or had fired, on a slow machine, before the re-set): none is left to come.
    expect(await timersOf(caseId)).toEqual({ [`${storeA}/pick/1`]: "fired", [`${storeA}/pick/2`]: expect.stringMatching(/^(cancelled|fired)$/), [`${storeB}/pick/1`]: "pending" });
  });
});
