import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { agent, knownOrder, newStore, openRequest, refusal, unseen, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * A replacement late to ship on its case (ADR 030, sixth addendum), on the real Kafka and
 * Postgres: the warehouse's ReplacementShipOverdue (published here as the warehouse would) shows
 * on the case and on the desk's worklist once, however often it is heard; a flag about a
 * replacement shipped, called off or moved to another store since is passed over; shipping or
 * calling it off clears it, and the store's report still counts it.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;
const clerk = { kind: "staff", id: "w-1", role: "warehouse-clerk" } as const;
const system = { kind: "system", id: "warehouse", role: "" } as const;
const deskAgent = { kind: "staff", id: "cs-1", role: "customer-service" } as const;
const lines = [{ sku: "KETTLE-1", quantity: 1, location: "A-01" }];

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

/** An accepted exchange at the store; the warehouse has not announced its replacement yet. */
async function acceptedExchange(storeId: string) {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId, { kind: "exchange", lines: [{ sku: "KETTLE-1", quantity: 1 }] });
  await clients.commands.openCase(ask);
  await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  return { orderId, caseId: ask.caseId };
}

const overdue = (orderId: string, caseId: string, storeId: string, level: 1 | 2, dueAt: string, step = "ship") =>
  newEvent(
    EventTypes.ReplacementShipOverdue,
    { caseId, level, dueAt, responsibleRole: "warehouse-clerk", escalatedToRole: level === 2 ? "store-manager" : "", storeId, step },
    { producer: "warehouse", orderId, storeId, actor: system },
  );

/** A receipt of the goods coming back, published after the events under test: once the case shows it, they were heard. */
const marker = (orderId: string, caseId: string, storeId: string, receiptId: string) =>
  newEvent(
    EventTypes.ReturnReceived,
    { caseId, receiptId, lines: [{ sku: "KETTLE-1", restocked: 1, location: "A-01", writtenOff: 0, writeOffs: [] }], restocked: 1, writtenOff: 0, outstanding: 0 },
    { producer: "warehouse", orderId, storeId, actor: clerk },
  );

const caseWhen = (caseId: string, until: (c: Awaited<ReturnType<AfterSalesClients["query"]["getCase"]>>) => boolean) =>
  eventually(async () => {
    const c = await clients.query.getCase({ caseId, ...unseen });
    return until(c) ? c : undefined;
  });

const lateList = async (storeId: string) =>
  (await clients.query.listCases({ storeId, orderId: "", status: "", kind: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: false, replacementLate: true, inRework: false, ...unseen })).cases.map((c) => c.caseId);

describe("a replacement late to ship on its case", () => {
  it("shows it late once, escalated with the same since, on the desk's worklist until shipped, and counts it in the report", async () => {
    const storeId = newStore();
    const { orderId, caseId } = await acceptedExchange(storeId);
    const other = await acceptedExchange(storeId);
    const reserved = newEvent(EventTypes.ReplacementReserved, { caseId, lines }, { producer: "warehouse", orderId, storeId, actor: deskAgent });
    const otherReserved = newEvent(EventTypes.ReplacementReserved, { caseId: other.caseId, lines }, { producer: "warehouse", orderId: other.orderId, storeId, actor: deskAgent });
    await publishEvents(namespace.name, Topics.warehouseStock, [reserved, otherReserved]);
    await caseWhen(caseId, (c) => c.replacementStatus === "reserved");
    expect((await clients.query.getCase({ caseId, ...unseen })).replacementLate).toBeUndefined();

    const dueAt = "2026-12-07T10:00:00.000Z";
    const warned = overdue(orderId, caseId, storeId, 1, dueAt);
    // Twice (a relay republishing after a crash), and a second copy of the same warning under its own id.
    await publishEvents(namespace.name, Topics.warehouseStock, [warned, warned, overdue(orderId, caseId, storeId, 1, dueAt)]);
    const late = await caseWhen(caseId, (c) => !!c.replacementLate);
    expect(late.replacementLate).toEqual({ since: warned.occurredAt.toISOString(), dueAt, level: 1, responsibleRole: "warehouse-clerk", escalatedToRole: "", step: "ship" });
    expect(late.replacementStatus).toBe("reserved");
    expect(await lateList(storeId)).toEqual([caseId]);

    const escalated = overdue(orderId, caseId, storeId, 2, dueAt);
    await publishEvents(namespace.name, Topics.warehouseStock, [escalated, overdue(orderId, caseId, storeId, 1, dueAt)]);
    const higher = await caseWhen(caseId, (c) => c.replacementLate?.level === 2);
    expect(higher.replacementLate).toEqual({ since: warned.occurredAt.toISOString(), dueAt, level: 2, responsibleRole: "warehouse-clerk", escalatedToRole: "store-manager", step: "ship" });

    const shipped = newEvent(EventTypes.ReplacementShipped, { caseId, carrier: "SF Express", trackingNumber: "SF9", lines }, { producer: "warehouse", orderId, storeId, actor: clerk });
    // A flag fired before the shipment but heard after it (the warehouse's timer and the clerk raced): passed over.
    await publishEvents(namespace.name, Topics.warehouseStock, [shipped, overdue(orderId, caseId, storeId, 2, dueAt), marker(orderId, caseId, storeId, "RET-late-1")]);
    const sent = await caseWhen(caseId, (c) => c.goodsReceivedAt !== "");
    expect(sent).toMatchObject({ replacementStatus: "shipped", replacementTrackingNumber: "SF9" });
    expect(sent.replacementLate).toBeUndefined();
    expect(await lateList(storeId)).toEqual([]);

    const report = await clients.query.getCaseReport({ storeId, from: new Date(Date.now() - 3_600_000).toISOString(), until: new Date(Date.now() + 3_600_000).toISOString() });
    expect(report).toMatchObject({ replacementsLate: 1, replacementsEscalated: 1 });
  });

  it("ends a late pick's lateness at the pick, and keeps one from before the steps late through its pick and pack: its ship-by is still owed", async () => {
    const storeId = newStore();
    const stepped = await acceptedExchange(storeId);
    const old = await acceptedExchange(storeId);
    const by = (orderId: string, actor: typeof clerk | typeof deskAgent = clerk) => ({ producer: "warehouse", orderId, storeId, actor });
    const dueAt = "2026-12-07T10:00:00.000Z";
    await publishEvents(namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.ReplacementReserved, { caseId: stepped.caseId, lines }, by(stepped.orderId, deskAgent)),
      overdue(stepped.orderId, stepped.caseId, storeId, 1, dueAt, "pick"),
      newEvent(EventTypes.ReplacementPicked, { caseId: stepped.caseId, lines }, by(stepped.orderId)),
      // Reserved before migration 017: its one node is the ship-by, flagged "" by a warehouse from before the steps.
      newEvent(EventTypes.ReplacementReserved, { caseId: old.caseId, lines }, by(old.orderId, deskAgent)),
      overdue(old.orderId, old.caseId, storeId, 1, dueAt, ""),
      newEvent(EventTypes.ReplacementPicked, { caseId: old.caseId, lines }, by(old.orderId)),
      newEvent(EventTypes.ReplacementPacked, { caseId: old.caseId, parcels: 1, label: `${storeId}-ABCDEF01-1` }, by(old.orderId)),
    ]);
    const picked = await caseWhen(stepped.caseId, (c) => c.replacementPickedAt !== "");
    expect(picked.replacementLate).toBeUndefined();
    const packed = await caseWhen(old.caseId, (c) => c.replacementPackedAt !== "");
    // Flagged "" by a warehouse from before the steps: its one ship-by deadline.
    expect(packed.replacementLate).toMatchObject({ level: 1, dueAt, step: "ship" });
    expect(await lateList(storeId)).toEqual([old.caseId]);
    // Its escalation for the same deadline rises the lateness shown, with the warning's since.
    await publishEvents(namespace.name, Topics.warehouseStock, [overdue(old.orderId, old.caseId, storeId, 2, dueAt, "")]);
    const escalated = await caseWhen(old.caseId, (c) => c.replacementLate?.level === 2);
    expect(escalated.replacementLate?.since).toBe(packed.replacementLate?.since);
  });

  it("names the step that is late: the pack's once picked; a row flagged before the steps were stored reads ship", async () => {
    const storeId = newStore();
    const { orderId, caseId } = await acceptedExchange(storeId);
    const by = (actor: typeof clerk | typeof deskAgent) => ({ producer: "warehouse", orderId, storeId, actor });
    const dueAt = "2026-12-07T12:00:00.000Z";
    await publishEvents(namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.ReplacementReserved, { caseId, lines }, by(deskAgent)),
      newEvent(EventTypes.ReplacementPicked, { caseId, lines }, by(clerk)),
      overdue(orderId, caseId, storeId, 1, dueAt, "pack"),
    ]);
    const late = await caseWhen(caseId, (c) => !!c.replacementLate);
    expect(late.replacementLate).toMatchObject({ dueAt, level: 1, step: "pack" });
    // A row flagged before migration 021 holds no step: its one deadline was the ship-by.
    await afterSales.runtime.pool.query("UPDATE cases SET replacement_late_step = NULL WHERE case_id = $1", [caseId]);
    expect((await clients.query.getCase({ caseId, ...unseen })).replacementLate).toMatchObject({ dueAt, step: "ship" });
  });

  it("passes over a flag of the store a replacement was moved from, takes the new store's, and a call-off clears it", async () => {
    const storeId = newStore();
    const acrossTown = `${storeId}-across-town`;
    const { orderId, caseId } = await acceptedExchange(storeId);
    const desk = { producer: "warehouse", orderId, actor: deskAgent };
    const waiting = newEvent(
      EventTypes.ReplacementAwaitingStock,
      { caseId, lines: [{ sku: "KETTLE-1", quantity: 1, location: "" }], short: [{ sku: "KETTLE-1", requested: 1, available: 0, expectedRestockDate: "" }] },
      { ...desk, storeId },
    );
    const moved = newEvent(EventTypes.ReplacementMoved, { caseId, fromStoreId: storeId, toStoreId: acrossTown, reason: "", sealedReason: Buffer.alloc(0), lines }, { ...desk, storeId: acrossTown });
    const oldStores = overdue(orderId, caseId, storeId, 1, "2026-12-07T09:00:00.000Z");
    await publishEvents(namespace.name, Topics.warehouseStock, [waiting, moved, oldStores, marker(orderId, caseId, storeId, "RET-moved-1")]);
    const there = await caseWhen(caseId, (c) => c.goodsReceivedAt !== "");
    expect(there).toMatchObject({ replacementStatus: "reserved", replacementStoreId: acrossTown });
    expect(there.replacementLate).toBeUndefined();

    const newStores = overdue(orderId, caseId, acrossTown, 1, "2026-12-07T11:00:00.000Z");
    await publishEvents(namespace.name, Topics.warehouseStock, [newStores]);
    expect((await caseWhen(caseId, (c) => !!c.replacementLate)).replacementLate).toMatchObject({ level: 1, dueAt: "2026-12-07T11:00:00.000Z" });
    // The desk's worklist is of the case's store: the case is listed there, wherever it ships from.
    expect(await lateList(storeId)).toEqual([caseId]);

    const calledOff = newEvent(EventTypes.ReplacementCalledOff, { caseId, reason: "", released: 1, sealedReason: Buffer.alloc(0), lines }, { ...desk, storeId: acrossTown });
    await publishEvents(namespace.name, Topics.warehouseStock, [calledOff]);
    expect((await caseWhen(caseId, (c) => c.replacementStatus === "called-off")).replacementLate).toBeUndefined();
  });

  it("lists the longest overdue first, whichever case was opened last, and the limit keeps the longest overdue", async () => {
    const storeId = newStore();
    const first = await acceptedExchange(storeId);
    const second = await acceptedExchange(storeId);
    const reserve = (c: { orderId: string; caseId: string }) =>
      newEvent(EventTypes.ReplacementReserved, { caseId: c.caseId, lines }, { producer: "warehouse", orderId: c.orderId, storeId, actor: deskAgent });
    // The case opened first missed the earlier deadline: newest first would put it last.
    await publishEvents(namespace.name, Topics.warehouseStock, [
      reserve(first),
      reserve(second),
      overdue(second.orderId, second.caseId, storeId, 1, "2026-12-07T11:00:00.000Z"),
      overdue(first.orderId, first.caseId, storeId, 1, "2026-12-07T08:00:00.000Z"),
    ]);
    await caseWhen(first.caseId, (c) => !!c.replacementLate);
    await caseWhen(second.caseId, (c) => !!c.replacementLate);
    expect(await lateList(storeId)).toEqual([first.caseId, second.caseId]);
    const limited = await clients.query.listCases({ storeId, orderId: "", status: "", kind: "", limit: 1, pageSize: 0, pageToken: "", refundShortfall: false, replacementLate: true, inRework: false, ...unseen });
    expect(limited.cases.map((c) => c.caseId)).toEqual([first.caseId]);
  });

  it("refuses the worklist of every store's late replacements, naming storeId", async () => {
    const refused = await refusal(clients.query.listCases({ storeId: "", orderId: "", status: "", kind: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: true, replacementLate: true, inRework: false, ...unseen }));
    expect(refused).toBe("ValidationError storeId");
  });
});
