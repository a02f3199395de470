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
});
