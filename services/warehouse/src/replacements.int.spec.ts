import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { deskReasonsFromEnv } from "@oms/sealing";
import { eventually, publishEvents } from "@oms/testing";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import { answersFor, clerk, putOnRecord, releaseRequested, reservationRequested, startTestWarehouse, stockEvents, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

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
    const { replacements } = await under.stock.listReplacements({ storeId, limit: 0, pageSize: 0, pageToken: "" });
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

/** Every replacement of the store with its status, oldest acceptance first: what the restock decided, committed with it. */
async function statusesAt(storeId: string) {
  const { rows } = await pool().query<{ case_id: string; status: string }>("SELECT case_id, status FROM replacements WHERE store_id = $1 ORDER BY since, case_id", [storeId]);
  return rows.map((r) => [r.case_id, r.status]);
}

/** The clerk's pick, pack and shipment, in their order (ADR 030's seventh addendum); each asked again answers as recorded. */
async function ship(caseId: string, trackingNumber = "SF-1001") {
  await under.commands.pickReplacement({ caseId, parcels: 0, caller: clerk, correlationId: `pick-${caseId}`, callerStoreIds: [] });
  await under.commands.packReplacement({ caseId, parcels: 1, caller: clerk, correlationId: `pack-${caseId}`, callerStoreIds: [] });
  return under.commands.shipReplacement({ caseId, carrier: "SF Express", trackingNumber, caller: clerk, correlationId: `ship-${caseId}`, callerStoreIds: [] });
}

describe("an exchange's replacement leaving the store", () => {
  it("is reserved when the exchange is accepted (once, however often heard), shipped by a clerk once, its units off the books as shipped", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 3, safetyStock: 0 }]);
    const { orderId, caseId, event } = exchangeAccepted(storeId, [{ sku: kettle, quantity: 2 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [event, event]);

    const [listed] = await listedAt(storeId, 1);
    expect(listed).toMatchObject({ caseId, orderId, storeId, status: "reserved", lines: [{ sku: kettle, quantity: 2, location: "" }], reserved: [{ sku: kettle, quantity: 2, location: "A-01" }] });
    // The same acceptance also expects the customer's goods back (ADR 021), in the same transaction.
    expect((await under.stock.listExpectedReturns({ storeId, limit: 0, pageSize: 0, pageToken: "" })).returns.map((r) => r.caseId)).toEqual([caseId]);
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 3, 2]]);

    const shipped = await ship(caseId);
    expect(shipped).toMatchObject({ status: "shipped", carrier: "SF Express", trackingNumber: "SF-1001", shippedBy: `staff:${clerk.id}` });
    expect(shipped.shippedAt).not.toBe("");
    // A retry after a lost answer: as it stands. Another parcel under the same case: refused.
    expect(await ship(caseId)).toEqual(shipped);
    await expect(ship(caseId, "SF-2002")).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.already-shipped" });
    expect((await under.stock.listReplacements({ storeId, limit: 0, pageSize: 0, pageToken: "" })).replacements).toEqual([]);

    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 1, 0]]);
    expect(await caseMovements(caseId)).toEqual([
      { kind: "reserved", sku: kettle, location: "A-01", quantity: 2, order_id: orderId, reservation_id: null, actor_id: agent.id },
      { kind: "shipped", sku: kettle, location: "A-01", quantity: 2, order_id: orderId, reservation_id: null, actor_id: clerk.id },
    ]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);

    const events = await announced(caseId, 4);
    expect(events.map((e) => e.type)).toEqual([EventTypes.ReplacementReserved, EventTypes.ReplacementPicked, EventTypes.ReplacementPacked, EventTypes.ReplacementShipped]);
    expect(events[0]).toMatchObject({ orderId, storeId, actor: agent, correlationId: `corr-${caseId}`, payload: { caseId, lines: [{ sku: kettle, quantity: 2, location: "A-01" }] } });
    // The clerk's steps, each in its own chain, as an order's (ADR 030's seventh addendum).
    expect(events[1]).toMatchObject({ orderId, storeId, actor: clerk, correlationId: `pick-${caseId}`, payload: { caseId, lines: [{ sku: kettle, quantity: 2, location: "A-01" }] } });
    expect(events[2]).toMatchObject({ orderId, storeId, actor: clerk, correlationId: `pack-${caseId}`, payload: { caseId, parcels: 1, label: expect.stringMatching(new RegExp(`^${storeId}-[0-9A-F]{8}-1$`)) } });
    expect(events[3]).toMatchObject({
      orderId,
      storeId,
      actor: clerk,
      correlationId: `ship-${caseId}`,
      payload: { caseId, carrier: "SF Express", trackingNumber: "SF-1001", lines: [{ sku: kettle, quantity: 2, location: "A-01" }] },
    });
  });

  it("waits for stock without failing, saying when the store expects it, refuses shipping while short naming the SKU, is reserved once when a receipt brings the stock, then ships", async () => {
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

    // The delivery reserves it in the receipt's own transaction, before any order waiting for kettles hears of it.
    const received = await under.commands.receiveStock({ storeId, receiptId: `DN-${second.caseId}`, sku: kettle, location: "B-02", quantity: 1, caller: clerk });
    expect(received).toMatchObject({ onHand: 1, reserved: 1 });
    expect(await statusesAt(storeId)).toEqual([
      [first.caseId, "reserved"],
      [second.caseId, "reserved"],
    ]);
    // Sent again (the clerk's retry), the receipt books nothing and reserves nothing more.
    await under.commands.receiveStock({ storeId, receiptId: `DN-${second.caseId}`, sku: kettle, location: "B-02", quantity: 1, caller: clerk });
    const shipped = await ship(second.caseId);
    expect(shipped).toMatchObject({ status: "shipped", reserved: [{ sku: kettle, quantity: 1, location: "B-02" }] });
    expect(shipped.reservedAt < shipped.shippedAt).toBe(true);
    expect((await caseMovements(second.caseId)).map((m) => [m.kind, m.location, m.quantity, m.actor_id])).toEqual([
      ["reserved", "B-02", 1, clerk.id],
      ["shipped", "B-02", 1, clerk.id],
    ]);
    expect(await levelOf(storeId, kettle)).toEqual([
      ["A-01", 1, 1],
      ["B-02", 0, 0],
    ]);
    const events = await announced(second.caseId, 5);
    expect(events.map((e) => e.type)).toEqual([EventTypes.ReplacementAwaitingStock, EventTypes.ReplacementReserved, EventTypes.ReplacementPicked, EventTypes.ReplacementPacked, EventTypes.ReplacementShipped]);
    expect(events[1]).toMatchObject({ orderId: second.orderId, storeId, actor: clerk, payload: { caseId: second.caseId, lines: [{ sku: kettle, quantity: 1, location: "B-02" }] } });
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
    expect(events[1]).toMatchObject({ type: EventTypes.ReplacementCalledOff, actor: desk, payload: { caseId: kept.caseId, reason: "", released: 1, lines: [{ sku: kettle, quantity: 1, location: "A-01" }] } });
    const { sealedReason } = events[1]!.payload as { sealedReason: Uint8Array };
    expect(deskReasonsFromEnv(process.env).reasons.toShow("replacement-call-off", kept.caseId, { sealed: sealedReason })).toBe("customer took a refund instead");

    await ship(sent.caseId);
    await expect(callOff(sent.caseId)).rejects.toMatchObject({ kind: "illegal-state", code: "replacement.already-shipped" });
    await expect(callOff("case-nobody-accepted")).rejects.toMatchObject({ kind: "not-found", code: "replacement.not-found" });
    await expect(callOff(kept.caseId, "  ")).rejects.toMatchObject({ kind: "validation", fields: [{ field: "reason" }] });
    await expect(under.commands.callOffReplacement({ caseId: sent.caseId, reason: "x", caller: { kind: "customer", id: "c-1", role: "customer" }, correlationId: "" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(under.commands.shipReplacement({ caseId: sent.caseId, carrier: "", trackingNumber: " ", caller: clerk, correlationId: "", callerStoreIds: [] })).rejects.toMatchObject({
      kind: "validation",
      fields: [{ field: "carrier" }, { field: "trackingNumber" }],
    });
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 1, 0]]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });
});

/** ADR 030's addendum: every step that raises a store's stock reserves its replacements awaiting it first, oldest acceptance first, each whole. */
describe("replacements awaiting stock when stock rises", () => {
  async function awaitingAt(storeId: string, lines: { sku: string; quantity: number }[]) {
    const accepted = exchangeAccepted(storeId, lines);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [accepted.event]);
    await announced(accepted.caseId, 1);
    return accepted;
  }
  // Awaiting stock, then reserved: both announced before this reads (the relay flushed), a second reservation too if there were one.
  const reservedAnnouncements = async (caseId: string) => (await announced(caseId, 2)).filter((e) => e.type === EventTypes.ReplacementReserved);

  it("gives one receipt enough for one to the older of two, and a partial receipt reserves nothing for a replacement it cannot cover whole", async () => {
    const [storeId, kettle, lid] = [testStore(), testSku(), testSku()];
    const older = await awaitingAt(storeId, [{ sku: kettle, quantity: 1 }]);
    const younger = await awaitingAt(storeId, [{ sku: kettle, quantity: 1 }]);
    const pair = await awaitingAt(storeId, [{ sku: kettle, quantity: 2 }, { sku: lid, quantity: 1 }]);
    const receive = (sku: string, quantity: number, receiptId: string) => under.commands.receiveStock({ storeId, receiptId, sku, location: "A-01", quantity, caller: clerk });

    await receive(kettle, 1, "DN-1/1");
    expect(await statusesAt(storeId)).toEqual([
      [older.caseId, "reserved"],
      [younger.caseId, "awaiting-stock"],
      [pair.caseId, "awaiting-stock"],
    ]);
    // Three kettles: the younger single one takes one; two are left, but the pair waits for its lid, so it takes none of them.
    await receive(kettle, 3, "DN-2/1");
    expect(await statusesAt(storeId)).toEqual([
      [older.caseId, "reserved"],
      [younger.caseId, "reserved"],
      [pair.caseId, "awaiting-stock"],
    ]);
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 4, 2]]);
    expect(await caseMovements(pair.caseId)).toEqual([]);
    // The lid comes: the pair is reserved whole, its kettles too (their rows locked with the lid's).
    await receive(lid, 1, "DN-3/1");
    expect((await statusesAt(storeId)).map(([, status]) => status)).toEqual(["reserved", "reserved", "reserved"]);
    expect((await caseMovements(pair.caseId)).map((m) => [m.kind, m.sku, m.quantity])).toEqual([
      ["reserved", kettle, 2],
      ["reserved", lid, 1],
    ]);
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 4, 4]]);

    // Announced once each, with the clerk whose receipt brought the stock; a later receipt announces nothing more.
    await receive(kettle, 5, "DN-4/1");
    await under.warehouse.relay.flush();
    for (const { caseId, orderId } of [older, younger, pair]) {
      const reserved = await reservedAnnouncements(caseId);
      expect(reserved).toHaveLength(1);
      expect(reserved[0]).toMatchObject({ orderId, storeId, actor: clerk });
    }
    expect(await levelOf(storeId, kettle)).toEqual([["A-01", 9, 4]]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("are reserved by a count that finds more, a returned unit restocked, a replacement called off and an order's reservation released", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 2, safetyStock: 0 }]);
    // An order holds one kettle, an exchange the other; four more exchanges wait.
    const order = reservationRequested(storeId, [{ sku: kettle, quantity: 1 }]);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [order]);
    await answersFor(under.namespace.name, [order.payload.reservationId]);
    const holding = await awaitingAt(storeId, [{ sku: kettle, quantity: 1 }]);
    const [byCount, byReturn, byCallOff, byRelease] = [await awaitingAt(storeId, [{ sku: kettle, quantity: 1 }]), await awaitingAt(storeId, [{ sku: kettle, quantity: 1 }]), await awaitingAt(storeId, [{ sku: kettle, quantity: 1 }]), await awaitingAt(storeId, [{ sku: kettle, quantity: 1 }])];
    const statusOf = async (caseId: string) => (await statusesAt(storeId)).find(([id]) => id === caseId)?.[1];

    // A count that agrees or finds less reserves nothing; one that finds more does.
    await under.commands.countStock({ storeId, sku: kettle, location: "A-01", counted: 2, reason: "weekly count", caller: clerk });
    expect(await statusOf(byCount.caseId)).toBe("awaiting-stock");
    await under.commands.countStock({ storeId, sku: kettle, location: "A-01", counted: 3, reason: "one found behind the shelf", caller: clerk });
    expect(await statusOf(byCount.caseId)).toBe("reserved");

    // A customer's kettle comes back resellable.
    const returned = exchangeAccepted(storeId, [{ sku: kettle, quantity: 1 }]);
    const returnCase = { ...returned.event, payload: { ...returned.event.payload, kind: "return" } };
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [returnCase]);
    // Waited for by its own case: the exchanges above are expected back at this store too.
    await eventually(async () => ((await under.stock.listExpectedReturns({ storeId, limit: 0, pageSize: 0, pageToken: "" })).returns.some((r) => r.caseId === returned.caseId) ? true : undefined));
    await under.commands.receiveReturn({ caseId: returned.caseId, receiptId: "RR-1", lines: [{ sku: kettle, resellable: 1, location: "R-01", writeOffs: [] }], caller: clerk, correlationId: "" });
    expect(await statusOf(byReturn.caseId)).toBe("reserved");

    // The desk calls the holding replacement off: its kettle goes to the next one waiting, not back on the shelf.
    const desk = { kind: "staff", id: "cs-1", role: "customer-service" } as const;
    await under.commands.callOffReplacement({ caseId: holding.caseId, reason: "refund instead", caller: desk, correlationId: "" });
    expect(await statusOf(byCallOff.caseId)).toBe("reserved");
    expect((await caseMovements(byCallOff.caseId)).map((m) => [m.kind, m.actor_id])).toEqual([["reserved", desk.id]]);

    // Fulfillment releases the order's reservation (the order was cancelled): the last waiting one takes its kettle.
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [releaseRequested(storeId, order.orderId, order.payload.reservationId)]);
    await eventually(async () => ((await statusOf(byRelease.caseId)) === "reserved" ? true : undefined));
    expect(await levelOf(storeId, kettle)).toEqual([
      ["A-01", 3, 3],
      ["R-01", 1, 1],
    ]);
    for (const { caseId } of [byCount, byReturn, byCallOff, byRelease]) expect(await reservedAnnouncements(caseId)).toHaveLength(1);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });
});
