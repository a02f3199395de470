import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { agent, caseEventsOf, knownOrder, newStore, openRequest, seenBy, unseen, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * Returned goods on a case (ADR 021), on the real Kafka and Postgres: an accepted return
 * announces its kind and goods, so the order's store expects them; the warehouse's
 * ReturnReceived (here published as the warehouse would) is kept on the case, a copy
 * republished after a crash counted once, for customer service to see before resolving.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;
const storeId = newStore();
const clerk = { kind: "staff", id: "w-1", role: "warehouse-clerk" } as const;

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

function returnReceived(orderId: string, caseId: string, receiptId: string, restocked: number, writtenOff: number, outstanding: number) {
  const writeOffs = writtenOff > 0 ? [{ quantity: writtenOff, condition: "damaged", cause: "cracked" }] : [];
  return newEvent(
    EventTypes.ReturnReceived,
    { caseId, receiptId, lines: [{ sku: "KETTLE-1", restocked, location: restocked > 0 ? "A-01" : "", writtenOff, writeOffs }], restocked, writtenOff, outstanding },
    { producer: "warehouse", orderId, storeId, actor: clerk },
  );
}

describe("a return's goods coming back", () => {
  it("announces the accepted return's goods, and keeps each receipt the warehouse announces on the case once", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { lines: [{ sku: "KETTLE-1", quantity: 1 }] });
    await clients.commands.openCase(ask);
    const accepted = await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "courier collects it" });
    expect(accepted).toMatchObject({ status: "accepted", goodsRestocked: 0, goodsWrittenOff: 0, goodsOutstanding: 1, goodsReceivedAt: "" });
    const announced = await eventually(async () => (await caseEventsOf(namespace.name, [orderId])).find((e) => e.type === EventTypes.CaseAccepted));
    expect(announced.payload).toEqual({ caseId: ask.caseId, assigneeStaffId: "cs-1", note: "courier collects it", kind: "return", lines: [{ sku: "KETTLE-1", quantity: 1 }] });

    const received = returnReceived(orderId, ask.caseId, "RET-1", 0, 1, 0);
    // The same event twice (a relay republishing after a crash): counted once.
    await publishEvents(namespace.name, Topics.warehouseStock, [received, received]);
    const seen = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.goodsReceivedAt ? c : undefined;
    });
    expect(seen).toMatchObject({ status: "accepted", goodsRestocked: 0, goodsWrittenOff: 1, goodsOutstanding: 0, goodsReceivedAt: received.occurredAt.toISOString() });
    // Resolving does not wait for the goods, and does not forget them.
    const resolved = await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "kettle arrived broken; refunded", cause: "carrier", refundMinor: 1_000 });
    expect(resolved).toMatchObject({ status: "resolved", goodsWrittenOff: 1 });
  });

  it("keeps on the case when and why the goods were called off, once, and still counts goods that arrive after all", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { lines: [{ sku: "KETTLE-1", quantity: 2 }] });
    await clients.commands.openCase(ask);
    await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    const calledOff = newEvent(EventTypes.ReturnCalledOff, { caseId: ask.caseId, reason: "customer kept the kettles", sealedReason: Buffer.alloc(0), outstanding: 2 }, { producer: "warehouse", orderId, storeId, actor: { kind: "staff", id: "cs-1", role: "customer-service" } });
    await publishEvents(namespace.name, Topics.warehouseStock, [calledOff, calledOff]);
    const seen = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.goodsCalledOffAt ? c : undefined;
    });
    expect(seen).toMatchObject({ goodsCalledOffAt: calledOff.occurredAt.toISOString(), goodsCalledOffReason: "", goodsOutstanding: 2, goodsReceivedAt: "" });
    // The desk's words are opened only for a viewer the query names (ADR 024, twenty-fourth-session addendum); this event is from before the sealing.
    expect((await clients.query.getCase({ caseId: ask.caseId, ...seenBy(agent) })).goodsCalledOffReason).toBe("customer kept the kettles");

    // One came back anyway: counted, the call-off still shown.
    await publishEvents(namespace.name, Topics.warehouseStock, [returnReceived(orderId, ask.caseId, "RET-late", 1, 0, 1)]);
    const late = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.goodsReceivedAt ? c : undefined;
    });
    expect(late).toMatchObject({ goodsRestocked: 1, goodsOutstanding: 1, goodsCalledOffAt: calledOff.occurredAt.toISOString() });
  });

  it("keeps an exchange's replacement as the warehouse announces it (ADR 030): awaiting stock, then shipped with its carrier, each heard once", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { kind: "exchange", lines: [{ sku: "KETTLE-1", quantity: 1 }] });
    await clients.commands.openCase(ask);
    const accepted = await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    expect(accepted).toMatchObject({ replacementStatus: "", replacementCarrier: "", replacementTrackingNumber: "", replacementAt: "" });
    const origin = (actor: { kind: "staff"; id: string; role: string }) => ({ producer: "warehouse", orderId, storeId, actor });
    const waiting = newEvent(
      EventTypes.ReplacementAwaitingStock,
      { caseId: ask.caseId, lines: [{ sku: "KETTLE-1", quantity: 1, location: "" }], short: [{ sku: "KETTLE-1", requested: 1, available: 0, expectedRestockDate: "" }] },
      origin({ kind: "staff", id: "cs-1", role: "customer-service" }),
    );
    await publishEvents(namespace.name, Topics.warehouseStock, [waiting, waiting]);
    expect(await eventually(async () => (await clients.query.getCase({ caseId: ask.caseId, ...unseen })).replacementStatus || undefined)).toBe("awaiting-stock");

    const shipped = newEvent(EventTypes.ReplacementShipped, { caseId: ask.caseId, carrier: "SF Express", trackingNumber: "SF77", lines: [{ sku: "KETTLE-1", quantity: 1, location: "B-02" }] }, origin(clerk));
    await publishEvents(namespace.name, Topics.warehouseStock, [shipped]);
    const seen = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.replacementStatus === "shipped" ? c : undefined;
    });
    expect(seen).toMatchObject({ status: "accepted", replacementCarrier: "SF Express", replacementTrackingNumber: "SF77", replacementAt: shipped.occurredAt.toISOString() });
  });

  it("shows the store a waiting replacement ships from once the desk sent it from another store, reserved there, then shipped from it (ADR 030, third addendum)", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { kind: "exchange", lines: [{ sku: "KETTLE-1", quantity: 1 }] });
    await clients.commands.openCase(ask);
    await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    const desk = { kind: "staff", id: "cs-1", role: "customer-service" } as const;
    const otherStore = `${storeId}-across-town`;
    const waiting = newEvent(
      EventTypes.ReplacementAwaitingStock,
      { caseId: ask.caseId, lines: [{ sku: "KETTLE-1", quantity: 1, location: "" }], short: [{ sku: "KETTLE-1", requested: 1, available: 0, expectedRestockDate: "2027-01-04" }] },
      { producer: "warehouse", orderId, storeId, actor: desk },
    );
    await publishEvents(namespace.name, Topics.warehouseStock, [waiting]);
    const told = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.replacementStatus ? c : undefined;
    });
    expect(told).toMatchObject({ replacementStatus: "awaiting-stock", replacementStoreId: storeId, replacementExpectedRestockDate: "2027-01-04" });

    const lines = [{ sku: "KETTLE-1", quantity: 1, location: "C-01" }];
    const moved = newEvent(EventTypes.ReplacementMoved, { caseId: ask.caseId, fromStoreId: storeId, toStoreId: otherStore, reason: "store across town has one", sealedReason: Buffer.alloc(0), lines }, { producer: "warehouse", orderId, storeId: otherStore, actor: desk });
    await publishEvents(namespace.name, Topics.warehouseStock, [moved, moved]);
    const reserved = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.replacementStatus === "reserved" ? c : undefined;
    });
    expect(reserved).toMatchObject({ storeId, replacementStoreId: otherStore, replacementExpectedRestockDate: "", replacementAt: moved.occurredAt.toISOString() });

    const shipped = newEvent(EventTypes.ReplacementShipped, { caseId: ask.caseId, carrier: "SF Express", trackingNumber: "SF88", lines }, { producer: "warehouse", orderId, storeId: otherStore, actor: clerk });
    await publishEvents(namespace.name, Topics.warehouseStock, [shipped]);
    const sent = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.replacementStatus === "shipped" ? c : undefined;
    });
    expect(sent).toMatchObject({ storeId, replacementStoreId: otherStore, replacementTrackingNumber: "SF88" });
  });

  it("shows when a replacement awaiting stock is expected, clears it once reserved, and a late awaiting-stock announcement brings it back to neither (ADR 030, addendum)", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { kind: "exchange", lines: [{ sku: "KETTLE-1", quantity: 1 }, { sku: "CUP-6", quantity: 1 }] });
    await clients.commands.openCase(ask);
    const accepted = await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    expect(accepted).toMatchObject({ replacementStatus: "", replacementExpectedRestockDate: "" });
    const origin = (actor: { kind: "staff"; id: string; role: string }) => ({ producer: "warehouse", orderId, storeId, actor });
    const desk = { kind: "staff", id: "cs-1", role: "customer-service" } as const;
    const lines = [{ sku: "KETTLE-1", quantity: 1, location: "" }, { sku: "CUP-6", quantity: 1, location: "" }];
    const waiting = newEvent(
      EventTypes.ReplacementAwaitingStock,
      {
        caseId: ask.caseId,
        lines,
        short: [
          { sku: "KETTLE-1", requested: 1, available: 0, expectedRestockDate: "2026-12-15" },
          { sku: "CUP-6", requested: 1, available: 0, expectedRestockDate: "2027-01-04" },
        ],
      },
      origin(desk),
    );
    await publishEvents(namespace.name, Topics.warehouseStock, [waiting]);
    // It ships whole, so the cups' later date is the replacement's.
    const told = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.replacementStatus ? c : undefined;
    });
    expect(told).toMatchObject({ replacementStatus: "awaiting-stock", replacementExpectedRestockDate: "2027-01-04", replacementAt: waiting.occurredAt.toISOString() });

    const reserved = newEvent(EventTypes.ReplacementReserved, { caseId: ask.caseId, lines: [{ sku: "KETTLE-1", quantity: 1, location: "A-01" }, { sku: "CUP-6", quantity: 1, location: "A-02" }] }, origin(clerk));
    await publishEvents(namespace.name, Topics.warehouseStock, [reserved]);
    const cleared = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.replacementStatus === "reserved" ? c : undefined;
    });
    expect(cleared).toMatchObject({ replacementExpectedRestockDate: "", replacementAt: reserved.occurredAt.toISOString() });

    // An older awaiting-stock announcement (its own id, another date, from before the
    // reservation) arriving late, then a receipt of the goods coming back on the same order:
    // once the receipt shows, the late one was heard before it and changed nothing.
    const late = newEvent(
      EventTypes.ReplacementAwaitingStock,
      { caseId: ask.caseId, lines, short: [{ sku: "CUP-6", requested: 1, available: 0, expectedRestockDate: "2026-12-20" }] },
      { ...origin(desk), now: new Date(waiting.occurredAt.getTime() - 60_000) },
    );
    await publishEvents(namespace.name, Topics.warehouseStock, [late, returnReceived(orderId, ask.caseId, "RET-after-late", 2, 0, 0)]);
    const after = await eventually(async () => {
      const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
      return c.goodsReceivedAt ? c : undefined;
    });
    expect(after).toMatchObject({ replacementStatus: "reserved", replacementExpectedRestockDate: "", replacementAt: reserved.occurredAt.toISOString() });
  });

  it("shows the new day when staff record or clear a restock date of a SKU the waiting replacement needs, and nothing once it is reserved (ADR 030, second addendum)", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { kind: "exchange", lines: [{ sku: "KETTLE-1", quantity: 1 }, { sku: "CUP-6", quantity: 1 }] });
    await clients.commands.openCase(ask);
    await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    const origin = { producer: "warehouse", orderId, storeId, actor: clerk };
    const lines = [{ sku: "KETTLE-1", quantity: 1, location: "" }, { sku: "CUP-6", quantity: 1, location: "" }];
    const short = (kettle: string, cup: string) => [
      { sku: "KETTLE-1", requested: 1, available: 0, expectedRestockDate: kettle },
      { sku: "CUP-6", requested: 1, available: 0, expectedRestockDate: cup },
    ];
    const caseNow = async (until: (c: { replacementStatus: string; replacementExpectedRestockDate: string }) => boolean) =>
      eventually(async () => {
        const c = await clients.query.getCase({ caseId: ask.caseId, ...unseen });
        return until(c) ? c : undefined;
      });
    // It waits with the cups' day unknown: no day for the whole replacement.
    const waiting = newEvent(EventTypes.ReplacementAwaitingStock, { caseId: ask.caseId, lines, short: short("2030-01-10", "") }, origin);
    await publishEvents(namespace.name, Topics.warehouseStock, [waiting]);
    expect(await caseNow((c) => c.replacementStatus === "awaiting-stock")).toMatchObject({ replacementExpectedRestockDate: "" });

    // The clerk records the cups' day: now every short line has one, the later is the replacement's.
    const cups = newEvent(EventTypes.ReplacementRestockExpected, { caseId: ask.caseId, sku: "CUP-6", expectedRestockDate: "2030-01-20", short: short("2030-01-10", "2030-01-20") }, origin);
    await publishEvents(namespace.name, Topics.warehouseStock, [cups]);
    const told = await caseNow((c) => c.replacementExpectedRestockDate !== "");
    expect(told).toMatchObject({ replacementStatus: "awaiting-stock", replacementExpectedRestockDate: "2030-01-20", replacementAt: waiting.occurredAt.toISOString() });

    // The kettles' day is cleared: unknown again.
    const kettles = newEvent(EventTypes.ReplacementRestockExpected, { caseId: ask.caseId, sku: "KETTLE-1", expectedRestockDate: "", short: short("", "2030-01-20") }, origin);
    await publishEvents(namespace.name, Topics.warehouseStock, [kettles]);
    expect(await caseNow((c) => c.replacementExpectedRestockDate === "")).toMatchObject({ replacementStatus: "awaiting-stock" });

    // Reserved, then a date heard: the case stays reserved with no day.
    const reserved = newEvent(EventTypes.ReplacementReserved, { caseId: ask.caseId, lines: [{ sku: "KETTLE-1", quantity: 1, location: "A-01" }, { sku: "CUP-6", quantity: 1, location: "A-02" }] }, origin);
    const lateNews = newEvent(EventTypes.ReplacementRestockExpected, { caseId: ask.caseId, sku: "KETTLE-1", expectedRestockDate: "2030-02-01", short: short("2030-02-01", "2030-01-20") }, origin);
    await publishEvents(namespace.name, Topics.warehouseStock, [reserved, lateNews, returnReceived(orderId, ask.caseId, "RET-after-news", 2, 0, 0)]);
    const after = await caseNow((c) => (c as unknown as { goodsReceivedAt: string }).goodsReceivedAt !== "");
    expect(after).toMatchObject({ replacementStatus: "reserved", replacementExpectedRestockDate: "" });
  });
});
