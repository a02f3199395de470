import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import { clerk, putOnRecord, startTestWarehouse, stockEvents, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

/**
 * An exchange's replacement goods (ADR 030) on the real Kafka and Postgres: after-sales
 * accepts an exchange, the warehouse reserves the replacement at the order's store (or waits
 * for stock) beside the expected return, a clerk ships it with a carrier, the desk may call it
 * off before; the ledger names the order and the case, and the books balance.
 */
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const agent = { kind: "staff", id: "cs-9", role: "customer-service" } as const;

function exchangeAccepted(storeId: string, lines: { sku: string; quantity: number }[]) {
  const orderId = `o-${randomUUID()}`;
  const caseId = `case-${randomUUID()}`;
  const event = newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: "cs-9", note: "", kind: "exchange", lines }, { producer: "after-sales", orderId, storeId, actor: agent, correlationId: `corr-${caseId}` });
  return { orderId, caseId, event };
}

async function listedAt(storeId: string, count: number) {
  return eventually(async () => {
    const { replacements } = await under.stock.listReplacements({ storeId, limit: 0 });
    return replacements.length >= count ? replacements : undefined;
  });
}

async function levelOf(storeId: string, sku: string) {
  const { levels } = await under.stock.getStock({ storeId, skus: [sku] });
  return levels.map((l) => [l.location, l.onHand, l.reserved]);
}

async function caseMovements(caseId: string) {
  const { rows } = await pool().query("SELECT kind, sku, location, quantity, order_id, reservation_id, actor_id FROM stock_movements WHERE case_id = $1 ORDER BY movement_id", [caseId]);
  return rows;
}

async function announced(caseId: string, count: number) {
  await under.warehouse.relay.flush();
  return eventually(async () => {
    const events = (await stockEvents(under.namespace.name)).filter((e) => e.type.includes(".Replacement") && (e.payload as { caseId?: string }).caseId === caseId);
    return events.length >= count ? events : undefined;
  });
}

const ship = (caseId: string, trackingNumber = "SF-1001") => under.commands.shipReplacement({ caseId, carrier: "SF Express", trackingNumber, caller: clerk, correlationId: `ship-${caseId}` });

describe("an exchange's replacement leaving the store", () => {
  it("is reserved when the exchange is accepted (once, however often heard), shipped by a clerk once, its units off the books as shipped", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 3, safetyStock: 0 }]);
    const { orderId, caseId, event } = exchangeAccepted(storeId, [{ sku: kettle, quantity: 2 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [event, event]);

    const [listed] = await listedAt(storeId, 1);
    expect(listed).toMatchObject({ caseId, orderId, storeId, status: "reserved", lines: [{ sku: kettle, quantity: 2, location: "" }], reserved: [{ sku: kettle, quantity: 2, location: "A-01" }] });
    // The same acceptance also expects the customer's goods back (ADR 021), in the same transaction.
    expect((await under.stock.listExpectedReturns({ storeId, limit: 0 })).returns.map((r) => r.caseId)).toEqual([caseId]);
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 3, 2]]);

    const shipped = await ship(caseId);
    expect(shipped).toMatchObject({ status: "shipped", carrier: "SF Express", trackingNumber: "SF-1001", shippedBy: `staff:${clerk.id}` });
    expect(shipped.shippedAt).not.toBe("");
    // A retry after a lost answer: as it stands. Another parcel under the same case: refused.
    expect(await ship(caseId)).toEqual(shipped);
    await expect(ship(caseId, "SF-2002")).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.already-shipped" });
    expect((await under.stock.listReplacements({ storeId, limit: 0 })).replacements).toEqual([]);

    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 1, 0]]);
    expect(await caseMovements(caseId)).toEqual([
      { kind: "reserved", sku: kettle, location: "A-01", quantity: 2, order_id: orderId, reservation_id: null, actor_id: agent.id },
      { kind: "shipped", sku: kettle, location: "A-01", quantity: 2, order_id: orderId, reservation_id: null, actor_id: clerk.id },
    ]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);

    const events = await announced(caseId, 2);
    expect(events.map((e) => e.type)).toEqual([EventTypes.ReplacementReserved, EventTypes.ReplacementShipped]);
    expect(events[0]).toMatchObject({ orderId, storeId, actor: agent, correlationId: `corr-${caseId}`, payload: { caseId, lines: [{ sku: kettle, quantity: 2, location: "A-01" }] } });
    expect(events[1]).toMatchObject({
      orderId,
      storeId,
      actor: clerk,
      correlationId: `ship-${caseId}`,
      payload: { caseId, carrier: "SF Express", trackingNumber: "SF-1001", lines: [{ sku: kettle, quantity: 2, location: "A-01" }] },
    });
  });

  it("waits for stock without failing, refuses shipping while short naming the SKU, then reserves and ships at once when the stock came", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 1, safetyStock: 0 }]);
    // The last kettle goes to the first exchange; the second, accepted after, waits. Oldest first on the list.
    const first = exchangeAccepted(storeId, [{ sku: kettle, quantity: 1 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [first.event]);
    await listedAt(storeId, 1);
    // The store expects kettles on a date (its supplier said so): the waiting replacement says when, as an order's shortage does.
    await pool().query("UPDATE stock SET expected_restock_date = '2030-02-01' WHERE store_id = $1 AND sku = $2", [storeId, kettle]);
    const second = exchangeAccepted(storeId, [{ sku: kettle, quantity: 1 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [second.event]);
    const listed = await listedAt(storeId, 2);
    expect(listed.map((r) => [r.caseId, r.status])).toEqual([
      [first.caseId, "reserved"],
      [second.caseId, "awaiting-stock"],
    ]);
    const [waiting] = await announced(second.caseId, 1);
    expect(waiting).toMatchObject({ type: EventTypes.ReplacementAwaitingStock, payload: { short: [{ sku: kettle, requested: 1, available: 0, expectedRestockDate: "2030-02-01" }] } });

    const short = ship(second.caseId);
    await expect(short).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.out-of-stock" });
    await expect(short).rejects.toThrow(kettle);
    expect(await caseMovements(second.caseId)).toEqual([]);

    await under.commands.receiveStock({ storeId, receiptId: `DN-${second.caseId}`, sku: kettle, location: "B-02", quantity: 1, caller: clerk });
    const shipped = await ship(second.caseId);
    expect(shipped).toMatchObject({ status: "shipped", reserved: [{ sku: kettle, quantity: 1, location: "B-02" }] });
    expect(shipped.reservedAt).toBe(shipped.shippedAt);
    expect((await caseMovements(second.caseId)).map((m) => [m.kind, m.location, m.quantity])).toEqual([
      ["reserved", "B-02", 1],
      ["shipped", "B-02", 1],
    ]);
    expect(await levelOf(storeId, kettle)).toEqual([
      ["A-01", 1, 1],
      ["B-02", 0, 0],
    ]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("lets the desk call one off before it ships, releasing its reservation once; refuses shipped ones, unknown cases, no reason and non-staff callers", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 2, safetyStock: 0 }]);
    const kept = exchangeAccepted(storeId, [{ sku: kettle, quantity: 1 }]);
    const sent = exchangeAccepted(storeId, [{ sku: kettle, quantity: 1 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [kept.event, sent.event]);
    await listedAt(storeId, 2);
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 2, 2]]);

    const desk = { kind: "staff", id: "cs-1", role: "customer-service" };
    const callOff = (caseId: string, reason = "customer took a refund instead") => under.commands.callOffReplacement({ caseId, reason, caller: desk, correlationId: "" });
    const calledOff = await callOff(kept.caseId);
    expect(calledOff).toMatchObject({ status: "called-off", calledOffBy: "staff:cs-1", calledOffReason: "customer took a refund instead" });
    expect(await callOff(kept.caseId, "another reason")).toEqual(calledOff);
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 2, 1]]);
    expect((await caseMovements(kept.caseId)).map((m) => [m.kind, m.quantity, m.actor_id])).toEqual([
      ["reserved", 1, agent.id],
      ["released", 1, "cs-1"],
    ]);
    await expect(ship(kept.caseId)).rejects.toMatchObject({ code: "replacement.called-off" });
    const events = await announced(kept.caseId, 2);
    expect(events[1]).toMatchObject({ type: EventTypes.ReplacementCalledOff, actor: desk, payload: { caseId: kept.caseId, released: 1, lines: [{ sku: kettle, quantity: 1, location: "A-01" }] } });

    await ship(sent.caseId);
    await expect(callOff(sent.caseId)).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.already-shipped" });
    await expect(callOff("case-nobody-accepted")).rejects.toMatchObject({ kind: "not-found", code: "replacement.not-found" });
    await expect(callOff(kept.caseId, "  ")).rejects.toMatchObject({ kind: "validation", fields: [{ field: "reason" }] });
    await expect(under.commands.callOffReplacement({ caseId: sent.caseId, reason: "x", caller: { kind: "customer", id: "c-1", role: "customer" }, correlationId: "" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(under.commands.shipReplacement({ caseId: sent.caseId, carrier: "", trackingNumber: " ", caller: clerk, correlationId: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: [{ field: "carrier" }, { field: "trackingNumber" }],
    });
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 1, 0]]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });
});
