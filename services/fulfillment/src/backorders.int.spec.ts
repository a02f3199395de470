import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { reservationIdOf } from "./domain/ids.ts";
import { type FulfillmentUnderTest, intakeOrderReceived, startTestFulfillment } from "./test-fixtures.ts";

/** Orders waiting for stock are released by any stock that comes free, not only by deliveries and counts. */
let under: FulfillmentUnderTest;

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

describe("backorders", () => {
  it("asks again for an order waiting for stock when another order's reservation of its SKU is given back", async () => {
    // Pick-up orders: each is served by its own store, so only this store's orders compete.
    const storeId = `store-bo-${randomUUID().slice(0, 8)}`;
    const [cancelled, waiting] = [randomUUID(), randomUUID()];
    const warehouse = (orderId: string) => ({ producer: "warehouse", orderId, storeId, actor: { kind: "system", id: "warehouse", role: "system" } as const });
    await publishEvents(under.namespace.name, Topics.intakeOrder, [intakeOrderReceived(cancelled, true, storeId, "pickup"), intakeOrderReceived(waiting, true, storeId, "pickup")]);
    await Promise.all([under.statusOf(cancelled, "credit-checked"), under.statusOf(waiting, "credit-checked")]);
    const lastKettle = { sku: "KETTLE-1L7", requested: 1, available: 0, expectedRestockDate: "" };
    await publishEvents(under.namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId: reservationIdOf(cancelled), lines: [] }, warehouse(cancelled)),
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(waiting), lines: [lastKettle] }, warehouse(waiting)),
    ]);
    await Promise.all([under.statusOf(cancelled, "reserved"), under.statusOf(waiting, "on-hold")]);

    await under.commands.cancelOrder({ orderId: cancelled, caller: { kind: "customer", id: "c-42", role: "customer" }, reason: "bought it elsewhere", correlationId: "" });
    await publishEvents(under.namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockReleased, { reservationId: reservationIdOf(cancelled), reason: "order cancelled" }, warehouse(cancelled)),
    ]);

    const retried = await eventually(async () => {
      const view = await under.query.getOrder({ orderId: waiting });
      return view.reservationId === reservationIdOf(waiting, 2) ? view : undefined;
    });
    expect(retried).toMatchObject({ status: "on-hold", holdReason: "awaiting-stock" });
  });

  it("passes over an order that ended with a part still waiting, so stock coming in reaches the next order in line", async () => {
    const storeId = `store-bo-${randomUUID().slice(0, 8)}`;
    const [ended, waiting] = [randomUUID(), randomUUID()];
    const warehouse = (orderId: string) => ({ producer: "warehouse", orderId, storeId, actor: { kind: "system", id: "warehouse", role: "system" } as const });
    await publishEvents(under.namespace.name, Topics.intakeOrder, [intakeOrderReceived(ended, true, storeId, "pickup"), intakeOrderReceived(waiting, true, storeId, "pickup")]);
    await Promise.all([under.statusOf(ended, "credit-checked"), under.statusOf(waiting, "credit-checked")]);
    const noKettle = { sku: "KETTLE-1L7", requested: 1, available: 0, expectedRestockDate: "" };
    await publishEvents(under.namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(ended), lines: [noKettle] }, warehouse(ended)),
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(waiting), lines: [noKettle] }, warehouse(waiting)),
    ]);
    await Promise.all([under.statusOf(ended, "on-hold"), under.statusOf(waiting, "on-hold")]);
    await under.commands.cancelOrder({ orderId: ended, caller: { kind: "customer", id: "c-42", role: "customer" }, reason: "changed my mind", correlationId: "" });
    await under.statusOf(ended, "cancelled");
    // As a split order cancelled while one of its parts waited for stock is kept (evolve keeps
    // the part's hold reason), and first in line by its priority.
    await under.fulfillment.runtime.pool.query(
      "UPDATE orders SET hold_reason = 'awaiting-stock', priority = 99, body = jsonb_set(body, '{parts}', '[]') WHERE order_id = $1",
      [ended],
    );

    await publishEvents(under.namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockReceived, { sku: "KETTLE-1L7", location: "A-01-01", quantity: 1 }, { ...warehouse(""), orderId: "" }),
    ]);
    const retried = await eventually(async () => {
      const view = await under.query.getOrder({ orderId: waiting });
      return view.reservationId === reservationIdOf(waiting, 2) ? view : undefined;
    });
    expect(retried.status).toBe("on-hold");
  });

  it("tells every order waiting for a SKU at the store when staff record or clear its restock date, on the timeline only, once however often heard", async () => {
    const [storeId, otherStore] = [`store-bo-${randomUUID().slice(0, 8)}`, `store-bo-${randomUUID().slice(0, 8)}`];
    const [first, second, elsewhere] = [randomUUID(), randomUUID(), randomUUID()];
    const warehouse = (orderId: string, store = storeId) => ({ producer: "warehouse", orderId, storeId: store, actor: { kind: "system", id: "warehouse", role: "system" } as const });
    await publishEvents(under.namespace.name, Topics.intakeOrder, [
      intakeOrderReceived(first, true, storeId, "pickup"),
      intakeOrderReceived(second, true, storeId, "pickup"),
      intakeOrderReceived(elsewhere, true, otherStore, "pickup"),
    ]);
    await Promise.all([first, second, elsewhere].map((o) => under.statusOf(o, "credit-checked")));
    const noKettle = { sku: "KETTLE-1L7", requested: 1, available: 0, expectedRestockDate: "" };
    await publishEvents(under.namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(first), lines: [noKettle] }, warehouse(first)),
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(second), lines: [noKettle] }, warehouse(second)),
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(elsewhere), lines: [noKettle] }, warehouse(elsewhere, otherStore)),
    ]);
    await Promise.all([under.statusOf(first, "on-hold"), under.statusOf(second, "on-hold"), under.statusOf(elsewhere, "on-hold")]);

    const clerk = { kind: "staff", id: "w-1", role: "warehouse-clerk" } as const;
    const restock = (sku: string, expectedRestockDate: string) =>
      newEvent(EventTypes.RestockExpected, { sku, expectedRestockDate, previousExpectedRestockDate: "", reason: expectedRestockDate ? "" : "supplier cancelled" }, { producer: "warehouse", orderId: "", storeId, actor: clerk });
    const recorded = restock("KETTLE-1L7", "2030-01-15");
    // Another SKU's date concerns none of them; the same announcement heard twice is told once.
    await publishEvents(under.namespace.name, Topics.warehouseStock, [restock("LID-9", "2030-01-02"), recorded, recorded]);
    const restockLines = async (orderId: string) => (await under.query.getOrder({ orderId })).timeline.filter((t) => t.what.startsWith("restock."));
    for (const orderId of [first, second]) {
      const lines = await eventually(async () => {
        const found = await restockLines(orderId);
        return found.length > 0 ? found : undefined;
      });
      expect(lines).toEqual([expect.objectContaining({ service: "warehouse", what: "restock.expected", detail: `restock of KETTLE-1L7 expected 2030-01-15 at ${storeId}`, actor: `staff:${clerk.id}` })]);
    }

    await publishEvents(under.namespace.name, Topics.warehouseStock, [restock("KETTLE-1L7", "")]);
    const afterClearing = await eventually(async () => {
      const found = await restockLines(first);
      return found.length > 1 ? found : undefined;
    });
    expect(afterClearing.map((t) => [t.what, t.detail])).toEqual([
      ["restock.expected", `restock of KETTLE-1L7 expected 2030-01-15 at ${storeId}`],
      ["restock.no-longer-expected", `restock of KETTLE-1L7 no longer expected at ${storeId}`],
    ]);
    // The orders still wait for the stock itself; another store's order heard nothing.
    expect(await under.query.getOrder({ orderId: first })).toMatchObject({ status: "on-hold", holdReason: "awaiting-stock" });
    expect(await restockLines(elsewhere)).toEqual([]);
  });

  it("tells a split order only of the SKUs its waiting part needs, not of those its other parts already have", async () => {
    const storeId = `store-bo-${randomUUID().slice(0, 8)}`;
    const split = randomUUID();
    await publishEvents(under.namespace.name, Topics.intakeOrder, [intakeOrderReceived(split, true, storeId, "pickup")]);
    await under.statusOf(split, "credit-checked");
    // Split over two stores: the kettle's part has left this store, the towels' part waits in the queue (as parts.ts leaves it).
    const line = (sku: string) => ({ lineId: sku, sku, description: sku, quantity: 1, unitPriceMinor: 100, lineTotalMinor: 100, specialRequests: "" });
    const parts = [
      { partId: "1", reservationId: `${split}/part/1`, storeId, lines: [{ sku: "KETTLE-1L7", quantity: 1 }], stage: "shipped", taskId: `${split}/task/part-1` },
      { partId: "2", reservationId: `${split}/part/2`, storeId, lines: [{ sku: "TOWEL-SET", quantity: 1 }], stage: "awaiting-stock", taskId: `${split}/task/part-2` },
    ];
    await under.fulfillment.runtime.pool.query(
      `UPDATE orders SET status = 'partially-shipped', hold_reason = 'awaiting-stock',
         body = body || jsonb_build_object('lines', $2::jsonb, 'parts', $3::jsonb, 'routed', true) WHERE order_id = $1`,
      [split, JSON.stringify([line("KETTLE-1L7"), line("TOWEL-SET")]), JSON.stringify(parts)],
    );

    const clerk = { kind: "staff", id: "w-1", role: "warehouse-clerk" } as const;
    const restock = (sku: string) =>
      newEvent(EventTypes.RestockExpected, { sku, expectedRestockDate: "2030-01-15", previousExpectedRestockDate: "", reason: "" }, { producer: "warehouse", orderId: "", storeId, actor: clerk });
    // Kettles are expected, then towels: the order waits for the towels only (one partition, key "": in this order).
    await publishEvents(under.namespace.name, Topics.warehouseStock, [restock("KETTLE-1L7"), restock("TOWEL-SET")]);
    const told = await eventually(async () => {
      const found = (await under.query.getOrder({ orderId: split })).timeline.filter((t) => t.what.startsWith("restock."));
      return found.some((t) => t.detail.includes("TOWEL-SET")) ? found : undefined;
    });
    expect(told.map((t) => t.detail)).toEqual([`restock of TOWEL-SET expected 2030-01-15 at ${storeId}`]);
  });

  it("releases to stock that came in only an order waiting for it, not a split order first in line whose waiting part needs other goods", async () => {
    const storeId = `store-bo-${randomUUID().slice(0, 8)}`;
    const [split, waiting] = [randomUUID(), randomUUID()];
    const warehouse = (orderId: string) => ({ producer: "warehouse", orderId, storeId, actor: { kind: "system", id: "warehouse", role: "system" } as const });
    await publishEvents(under.namespace.name, Topics.intakeOrder, [intakeOrderReceived(split, true, storeId, "pickup"), intakeOrderReceived(waiting, true, storeId, "pickup")]);
    await Promise.all([under.statusOf(split, "credit-checked"), under.statusOf(waiting, "credit-checked")]);
    const noKettle = { sku: "KETTLE-1L7", requested: 1, available: 0, expectedRestockDate: "" };
    await publishEvents(under.namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(waiting), lines: [noKettle] }, warehouse(waiting)),
    ]);
    await under.statusOf(waiting, "on-hold");
    // First in line by its priority: a split order whose kettle has shipped and whose towels wait in the queue (as parts.ts leaves it),
    // not waiting for the warehouse's answer (its first request is answered in this story).
    const line = (sku: string) => ({ lineId: sku, sku, description: sku, quantity: 1, unitPriceMinor: 100, lineTotalMinor: 100, specialRequests: "" });
    const parts = [
      { partId: "1", reservationId: `${split}/part/1`, storeId, lines: [{ sku: "KETTLE-1L7", quantity: 1 }], stage: "shipped", taskId: `${split}/task/part-1` },
      { partId: "2", reservationId: `${split}/part/2`, storeId, lines: [{ sku: "TOWEL-SET", quantity: 1 }], stage: "awaiting-stock", taskId: `${split}/task/part-2` },
    ];
    await under.fulfillment.runtime.pool.query(
      `UPDATE orders SET status = 'partially-shipped', hold_reason = 'awaiting-stock', priority = 99,
         body = body || jsonb_build_object('lines', $2::jsonb, 'parts', $3::jsonb, 'reservationPending', false) WHERE order_id = $1`,
      [split, JSON.stringify([line("KETTLE-1L7"), line("TOWEL-SET")]), JSON.stringify(parts)],
    );

    await publishEvents(under.namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockReceived, { sku: "KETTLE-1L7", location: "A-01-01", quantity: 1 }, { ...warehouse(""), orderId: "" }),
    ]);
    // One order is asked again per delivery: the kettle goes to the order waiting for a kettle.
    const retried = await eventually(async () => {
      const view = await under.query.getOrder({ orderId: waiting });
      return view.reservationId === reservationIdOf(waiting, 2) ? view : undefined;
    });
    expect(retried.status).toBe("on-hold");
    const { rows } = await under.fulfillment.runtime.pool.query("SELECT (body->>'reservationPending')::boolean AS pending FROM orders WHERE order_id = $1", [split]);
    expect(rows[0].pending).not.toBe(true);
  });
});
