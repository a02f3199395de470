import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesApi, events, newEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { withTransaction } from "@oms/postgres";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { orderFactsRepository } from "./adapters/pg/order-facts-repository.ts";
import { recordOrderFacts } from "./app/commands/record-order-facts.ts";
import { afterSalesService } from "./service.ts";

let namespace: TestNamespace;
let afterSales: RunningService;
let client: ReturnType<typeof createClient<typeof afterSalesApi.AfterSalesQueryService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  afterSales = await startService(afterSalesService, testServiceConfig("after-sales", namespace));
  client = createClient(afterSalesApi.AfterSalesQueryService, "oms.aftersales.v1.AfterSalesQuery", `127.0.0.1:${afterSales.grpc.port}`);
});

afterAll(async () => {
  client?.close();
  await afterSales?.stop();
  await namespace?.drop();
});

describe("after-sales order facts", () => {
  it("keeps each order's kind, status and first delivery time from fulfillment's events", async () => {
    const orderId = randomUUID();
    const origin = { producer: "fulfillment", orderId, storeId: "store-as", actor: { kind: "system", id: "fulfillment", role: "system" } as const };
    const order = events.CanonicalOrder.fromPartial({
      orderId,
      kind: "goods",
      customer: { customerId: "c-9", name: "Han Meimei" },
      lines: [{ sku: "RICE-5KG", quantity: 3, lineTotalMinor: 9_000 }],
      totals: { grandTotalMinor: 9_500, currency: "CNY" },
    });
    const created = newEvent(EventTypes.OrderCreated, { order, status: "received", priority: 0, classification: [] }, origin);
    const delivered = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "shipped", toStatus: "delivered", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, origin);
    const completed = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "accepted", toStatus: "completed", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, origin);
    const followUp = newEvent(EventTypes.OrderFollowUpRequested, { reason: "call the customer", nextStepAt: "" }, origin);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [created, delivered, followUp, completed, delivered]);
    const facts = await eventually(async () => {
      const f = await client.getOrderFacts({ orderId }).catch(() => undefined);
      return f?.status === "completed" ? f : undefined;
    });
    expect(facts).toMatchObject({ orderId, storeId: "store-as", kind: "goods", deliveredAt: delivered.occurredAt.toISOString(), customerId: "c-9" });
    // What a case needs of the order: the goods it names, and the bound of its refunds.
    expect(await orderFactsRepository.find(afterSales.runtime.pool, orderId)).toMatchObject({ lines: [{ sku: "RICE-5KG", quantity: 3 }], grandTotalMinor: 9_500, currency: "CNY" });
    // An event with no order fact in it is passed over: not even an inbox row.
    const { rows } = await afterSales.runtime.pool.query<{ event_id: string }>("SELECT event_id FROM processed_events WHERE event_id = ANY($1)", [[created.eventId, followUp.eventId]]);
    expect(rows.map((r) => r.event_id)).toEqual([created.eventId]);
  });

  it("follows the goods and money of a substitution: a case names what the customer received, and refunds at most what they paid", async () => {
    const orderId = randomUUID();
    const origin = { producer: "fulfillment", orderId, storeId: "store-as", actor: { kind: "system", id: "fulfillment", role: "system" } as const };
    const order = events.CanonicalOrder.fromPartial({
      orderId,
      kind: "goods",
      lines: [{ sku: "RICE-5KG", quantity: 3, lineTotalMinor: 9_000 }],
      totals: { grandTotalMinor: 9_500, currency: "CNY" },
    });
    const created = newEvent(EventTypes.OrderCreated, { order, status: "received", priority: 0, classification: [] }, origin);
    const substituted = newEvent(
      EventTypes.OrderLinesSubstituted,
      {
        substitutions: [{ sku: "RICE-5KG", substituteSku: "RICE-2KG", quantity: 3 }],
        lines: [events.OrderLine.fromPartial({ sku: "RICE-2KG", quantity: 3, unitPriceMinor: 2_000, lineTotalMinor: 6_000 })],
        totals: events.OrderTotals.fromPartial({ grandTotalMinor: 6_500, currency: "CNY" }),
        refundDueMinor: 3_000,
        absorbedMinor: 0,
      },
      origin,
    );
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [created, substituted]);
    const facts = await eventually(async () => {
      const f = await orderFactsRepository.find(afterSales.runtime.pool, orderId);
      return f?.grandTotalMinor === 6_500 ? f : undefined;
    });
    expect(facts).toMatchObject({ lines: [{ sku: "RICE-2KG", quantity: 3 }], grandTotalMinor: 6_500, currency: "CNY" });
  });

  it("records a batch of many orders' events in two statements, each order's events in their order", async () => {
    const orders = Array.from({ length: 25 }, () => randomUUID());
    const batch = orders.flatMap((orderId) => {
      const origin = { producer: "fulfillment", orderId, storeId: "store-as", actor: { kind: "system", id: "fulfillment", role: "system" } as const };
      return [
        newEvent(EventTypes.OrderCreated, { order: undefined, status: "received", priority: 0, classification: [] }, origin),
        newEvent(EventTypes.OrderStatusChanged, { fromStatus: "shipped", toStatus: "delivered", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, origin),
        newEvent(EventTypes.OrderStatusChanged, { fromStatus: "accepted", toStatus: "closed", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, origin),
      ];
    });
    let statements = 0;
    await withTransaction(afterSales.runtime.pool, async (tx) => {
      const counting = new Proxy(tx, {
        get: (target, property) => (property === "query" ? (...args: unknown[]) => (statements++, (target.query as (...a: unknown[]) => unknown)(...args)) : Reflect.get(target, property)),
      });
      await recordOrderFacts(counting, batch);
    });

    expect(statements).toBe(2);
    for (const orderId of orders) {
      const facts = await orderFactsRepository.find(afterSales.runtime.pool, orderId);
      expect(facts).toMatchObject({ status: "closed", kind: "goods" });
      expect(facts?.deliveredAt).toBeInstanceOf(Date);
      expect(facts?.closedAt).toBeInstanceOf(Date);
    }
  });

  it("learns an order's kind from a creation recorded after its status changes, and follows the order to the store it was routed to", async () => {
    const orderId = randomUUID();
    const at = (storeId: string) => ({ producer: "fulfillment", orderId, storeId, actor: { kind: "system", id: "fulfillment", role: "system" } as const });
    const delivered = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "shipped", toStatus: "delivered", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, at("store-as"));
    const created = newEvent(EventTypes.OrderCreated, { order: undefined, status: "received", priority: 0, classification: [] }, at("store-as"));
    const closed = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "settled", toStatus: "closed", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, at("store-routed"));
    for (const batch of [[delivered], [created], [closed]]) await withTransaction(afterSales.runtime.pool, (tx) => recordOrderFacts(tx, batch));
    expect(await orderFactsRepository.find(afterSales.runtime.pool, orderId)).toMatchObject({ kind: "goods", status: "closed", storeId: "store-routed" });
  });

  it("answers an unknown order with NOT_FOUND and an empty id with a field error", async () => {
    await expect(client.getOrderFacts({ orderId: randomUUID() })).rejects.toMatchObject({ kind: "not-found" });
    await expect(client.getOrderFacts({ orderId: "" })).rejects.toMatchObject({ kind: "validation", fields: [{ field: "orderId", message: "is required" }] });
  });
});
