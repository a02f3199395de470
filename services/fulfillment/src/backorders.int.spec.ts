import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, fulfillmentApi, newEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { reservationIdOf } from "./domain/ids.ts";
import { defineFulfillmentService, settingsFromEnv } from "./service.ts";
import { intakeOrderReceived } from "./test-fixtures.ts";

/** Orders waiting for stock are released by any stock that comes free, not only by deliveries and counts. */
let namespace: TestNamespace;
let fulfillment: RunningService;
let query: ReturnType<typeof createClient<typeof fulfillmentApi.OrderQueryService>>;
let commands: ReturnType<typeof createClient<typeof fulfillmentApi.OrderCommandsService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  fulfillment = await startService(defineFulfillmentService(settingsFromEnv({})), testServiceConfig("fulfillment", namespace));
  const address = `127.0.0.1:${fulfillment.grpc.port}`;
  query = createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", address);
  commands = createClient(fulfillmentApi.OrderCommandsService, "oms.fulfillment.v1.OrderCommands", address);
});

afterAll(async () => {
  query?.close();
  commands?.close();
  await fulfillment?.stop();
  await namespace?.drop();
});

const statusOf = (orderId: string, status: string) =>
  eventually(async () => {
    const view = await query.getOrder({ orderId });
    return view.status === status ? view : undefined;
  });

describe("backorders", () => {
  it("asks again for an order waiting for stock when another order's reservation of its SKU is given back", async () => {
    // Pick-up orders: each is served by its own store, so only this store's orders compete.
    const storeId = `store-bo-${randomUUID().slice(0, 8)}`;
    const [cancelled, waiting] = [randomUUID(), randomUUID()];
    const warehouse = (orderId: string) => ({ producer: "warehouse", orderId, storeId, actor: { kind: "system", id: "warehouse", role: "system" } as const });
    await publishEvents(namespace.name, Topics.intakeOrder, [intakeOrderReceived(cancelled, true, storeId, "pickup"), intakeOrderReceived(waiting, true, storeId, "pickup")]);
    await Promise.all([statusOf(cancelled, "credit-checked"), statusOf(waiting, "credit-checked")]);
    const lastKettle = { sku: "KETTLE-1L7", requested: 1, available: 0, expectedRestockDate: "" };
    await publishEvents(namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId: reservationIdOf(cancelled), lines: [] }, warehouse(cancelled)),
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(waiting), lines: [lastKettle] }, warehouse(waiting)),
    ]);
    await Promise.all([statusOf(cancelled, "reserved"), statusOf(waiting, "on-hold")]);

    await commands.cancelOrder({ orderId: cancelled, caller: { kind: "customer", id: "c-42", role: "customer" }, reason: "bought it elsewhere", correlationId: "" });
    await publishEvents(namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockReleased, { reservationId: reservationIdOf(cancelled), reason: "order cancelled" }, warehouse(cancelled)),
    ]);

    const retried = await eventually(async () => {
      const view = await query.getOrder({ orderId: waiting });
      return view.reservationId === reservationIdOf(waiting, 2) ? view : undefined;
    });
    expect(retried).toMatchObject({ status: "on-hold", holdReason: "awaiting-stock" });
  });
});
