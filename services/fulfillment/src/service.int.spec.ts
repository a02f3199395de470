import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, fulfillmentApi, newEvent, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
import { reservationIdOf, taskIdOf } from "./domain/ids.ts";
import { defaultCommandBatching } from "./app/run-order-command.ts";
import { defineFulfillmentService } from "./service.ts";
import { intakeOrderReceived } from "./test-fixtures.ts";

let namespace: TestNamespace;
let fulfillment: RunningService;
let query: ReturnType<typeof createClient<typeof fulfillmentApi.OrderQueryService>>;
let commands: ReturnType<typeof createClient<typeof fulfillmentApi.OrderCommandsService>>;
const storeId = `store-${randomUUID().slice(0, 8)}`;
/** Hours in seconds, so deadlines can be watched firing: acceptance after 2 s, pick-up held 3 s; confirmation follow-up at 60 s by default. */
const testSettings = { acceptancePeriodHours: 2 / 3600, pickupHoldHours: 3 / 3600, confirmation: { followUpHours: 60 / 3600, escalationHours: 120 / 3600, cancelHours: 180 / 3600 }, commandBatching: defaultCommandBatching };

beforeAll(async () => {
  namespace = await createTestNamespace();
  // A two-second acceptance period, so acceptance by rule can be seen firing.
  fulfillment = await startService(defineFulfillmentService(testSettings), testServiceConfig("fulfillment", namespace));
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

const customer = { kind: "customer", id: "c-42", role: "customer" };

const orderReceived = (orderId: string, confirmedByChannel: boolean, store = storeId, fulfillmentMethod = "ship") =>
  intakeOrderReceived(orderId, confirmedByChannel, store, fulfillmentMethod);

/** What warehouse or dispatch would report, in the same correlation chain as the order. */
const reported = (type: "StockReserved" | "TaskAssigned", orderId: string, correlationId: string): OrderEvent =>
  type === "StockReserved"
    ? newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId: reservationIdOf(orderId), lines: [] }, { producer: "warehouse", orderId, storeId, correlationId, actor: { kind: "system", id: "warehouse", role: "system" } })
    : newEvent(
        EventTypes.TaskAssigned,
        { taskId: taskIdOf(orderId), assignmentId: randomUUID(), staffId: "staff-li-wei", acknowledgeBy: "", fencingToken: 1 },
        { producer: "dispatch", orderId, storeId, correlationId, actor: { kind: "system", id: "dispatch", role: "system" } },
      );

const statusOf = (orderId: string, status: string) =>
  eventually(async () => {
    const view = await query.getOrder({ orderId });
    return view.status === status ? view : undefined;
  });

describe("fulfillment", () => {
  it("creates the order from intake's event and drives it through reservation and assignment to the settlement request", async () => {
    const orderId = randomUUID();
    const received = orderReceived(orderId, true);
    await publishEvents(namespace.name, Topics.intakeOrder, [received]);
    await statusOf(orderId, "credit-checked");
    await publishEvents(namespace.name, Topics.warehouseStock, [reported("StockReserved", orderId, received.correlationId)]);
    await statusOf(orderId, "reserved");
    await publishEvents(namespace.name, Topics.dispatchAssignment, [reported("TaskAssigned", orderId, received.correlationId)]);
    const view = await statusOf(orderId, "assigned");

    expect(view.assigneeStaffId).toBe("staff-li-wei");
    expect(view.timeline.map((t) => t.what)).toEqual([
      "order.received",
      "order.created",
      "order.confirmed",
      "order.credit-checked",
      "stock.reservation-requested",
      "stock.reserved",
      "order.reserved",
      "assignment.requested",
      "task.assigned",
      "order.assigned",
      "shipment.requested",
      "settlement.requested",
    ]);
    await fulfillment.relay.flush();
    const published = (await readTopic(Topics.fulfillmentOrder, namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
    expect(published.map((e) => e?.type)).toContain(EventTypes.SettlementRequested);
    expect(new Set(published.map((e) => e?.correlationId))).toEqual(new Set([received.correlationId]));
  });

  it("waits for the customer's confirmation, then confirms over gRPC", async () => {
    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.intakeOrder, [orderReceived(orderId, false)]);
    await statusOf(orderId, "awaiting-confirmation");
    const confirmed = await commands.confirmOrder({ orderId, caller: customer, reason: "", correlationId: "" });
    expect(confirmed.status).toBe("credit-checked");
    expect(confirmed.timeline.find((t) => t.what === "order.confirmed")?.actor).toBe("customer:c-42");
  });

  it("refuses an illegal transition with a clear error, and a command without a caller", async () => {
    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.intakeOrder, [orderReceived(orderId, false)]);
    await statusOf(orderId, "awaiting-confirmation");
    await commands.cancelOrder({ orderId, caller: customer, reason: "ordered by mistake", correlationId: "" });
    await expect(commands.confirmOrder({ orderId, caller: customer, reason: "", correlationId: "" })).rejects.toMatchObject({
      kind: "illegal-state",
      message: expect.stringContaining("cancelled"),
    });
    await expect(commands.confirmOrder({ orderId, caller: undefined, reason: "", correlationId: "" })).rejects.toMatchObject({ kind: "unauthenticated" });
    await expect(query.getOrder({ orderId: randomUUID() })).rejects.toMatchObject({ kind: "not-found" });
  });

  it("lists a store's orders newest first, page by page", async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await publishEvents(namespace.name, Topics.intakeOrder, ids.map((id) => orderReceived(id, false)));
    await Promise.all(ids.map((id) => statusOf(id, "awaiting-confirmation")));
    const first = await query.listOrders({ storeId, status: "awaiting-confirmation", pageSize: 2, pageToken: "", channel: "", minPriority: 0, createdFrom: "", createdUntil: "" });
    expect(first.orders).toHaveLength(2);
    const rest = await query.listOrders({ storeId, status: "awaiting-confirmation", pageSize: 50, pageToken: first.nextPageToken, channel: "", minPriority: 0, createdFrom: "", createdUntil: "" });
    const seen = [...first.orders, ...rest.orders].map((o) => o.orderId);
    for (const id of ids) expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
    await expect(query.listOrders({ storeId, status: "teleported", pageSize: 500, pageToken: "x", channel: "", minPriority: 0, createdFrom: "", createdUntil: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: expect.arrayContaining([expect.objectContaining({ field: "status" }), expect.objectContaining({ field: "pageSize" }), expect.objectContaining({ field: "pageToken" })]),
    });
  });

  it("follows the goods out of the warehouse, records the delivery, and closes the order after acceptance and settlement", async () => {
    const orderId = await settledOrder(true);
    await expect(commands.closeOrder({ orderId, caller: rider, reason: "", correlationId: "" })).rejects.toMatchObject({ kind: "forbidden" });
    const closed = await commands.closeOrder({ orderId, caller: finance, reason: "", correlationId: "" });
    expect(closed.status).toBe("closed");
    expect(closed.timeline.map((t) => t.what)).toEqual(
      expect.arrayContaining(["shipment.picked", "order.packed", "shipment.dispatched", "delivery.recorded", "order.accepted", "order.completed", "settlement.settled", "order.closed"]),
    );
    // The carrier's payment on a claim of the order, heard before its settlement, is the chain's business with the carrier: not on the timeline.
    expect(closed.timeline.filter((t) => t.service === "billing").map((t) => t.what)).toEqual(["settlement.settled"]);
  });

  it("closes many settled orders in one call, answering each on its own: the unsettled and the unknown refused, the closed left closed", async () => {
    const [settled, closedBefore] = [await settledOrder(), await settledOrder()];
    const assigned = randomUUID();
    await moveToAssigned(assigned, orderReceived(assigned, true));
    await commands.closeOrder({ orderId: closedBefore, caller: finance, reason: "", correlationId: "" });
    const unknown = randomUUID();
    const closeAll = (orderIds: string[], caller = finance) => commands.closeOrders({ orderIds, caller, reason: "", correlationId: "" });

    const { outcomes } = await closeAll([settled, assigned, unknown, closedBefore]);

    expect(outcomes.map((o) => [o.orderId, o.status || o.refusal?.code])).toEqual([
      [settled, "closed"],
      [assigned, "order.not-closable"],
      [unknown, "order.not-found"],
      [closedBefore, "closed"],
    ]);
    expect(outcomes[1]!.refusal).toMatchObject({ kind: "illegal-state", message: expect.stringContaining("finance closes settled orders only") });
    expect((await query.getOrder({ orderId: assigned })).status).toBe("assigned");
    await expect(closeAll([settled], rider)).rejects.toMatchObject({ kind: "forbidden", code: "order.close-by-finance" });
    await expect(closeAll([settled, settled, ""])).rejects.toMatchObject({
      kind: "validation",
      fields: [
        { field: "orderIds[1]", message: `${settled} is already in the closure` },
        { field: "orderIds[2]", message: "is required" },
      ],
    });
  });

  it("accepts a delivery by rule when the acceptance period passes without an answer, once, also across a restart", async () => {
    const { orderId } = await shippedOrder();
    await commands.recordDelivery({ orderId, caller: rider, deliveredAt: new Date().toISOString(), place: "locker", method: "rider", proofKind: "photo", proofRef: "photo-1", collectedMinor: 0, partId: "", correlationId: "" });

    // The deadline is in Postgres, not in this process: a restart in between loses nothing.
    await fulfillment.stop();
    fulfillment = await startService(defineFulfillmentService(testSettings), testServiceConfig("fulfillment", namespace));
    query.close();
    commands.close();
    const address = `127.0.0.1:${fulfillment.grpc.port}`;
    query = createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", address);
    commands = createClient(fulfillmentApi.OrderCommandsService, "oms.fulfillment.v1.OrderCommands", address);

    const completed = await statusOf(orderId, "completed");
    const accepted = completed.timeline.filter((t) => t.what === "order.accepted");
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.detail).toContain("acceptance period");
    expect(accepted[0]!.actor).toBe("system:fulfillment");
  });
});

const rider = { kind: "staff", id: "staff-li-wei", role: "rider" };
const finance = { kind: "staff", id: "staff-fin", role: "finance" };

describe("confirmation deadlines", () => {
  it("follows up, escalates and finally cancels an order the customer never confirms, each step once", async () => {
    const quickStore = `store-quick-${randomUUID().slice(0, 8)}`;
    const { storeSettingsRepository } = await import("./adapters/pg/store-settings-repository.ts");
    await storeSettingsRepository.upsert(fulfillment.runtime.pool, quickStore, { followUpHours: 1 / 3600, escalationHours: 2 / 3600, cancelHours: 3 / 3600 });
    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.intakeOrder, [orderReceived(orderId, false, quickStore)]);
    const cancelled = await statusOf(orderId, "cancelled");
    const whats = cancelled.timeline.map((t) => t.what);
    expect(whats.filter((w) => w === "order.follow-up-requested")).toHaveLength(1);
    expect(whats.filter((w) => w === "order.escalated")).toHaveLength(1);
    expect(whats.indexOf("order.follow-up-requested")).toBeLessThan(whats.indexOf("order.escalated"));
    expect(cancelled.timeline.find((t) => t.what === "order.cancelled")?.detail).toContain("cancelled by rule");
  });

  it("does nothing more once the customer confirms in time", async () => {
    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.intakeOrder, [orderReceived(orderId, false)]);
    await statusOf(orderId, "awaiting-confirmation");
    await commands.confirmOrder({ orderId, caller: customer, reason: "", correlationId: "" });
    const { rows } = await fulfillment.runtime.pool.query<{ kind: string; cancelled: boolean }>(
      "SELECT kind, cancelled_at IS NOT NULL AS cancelled FROM timers WHERE order_id = $1 ORDER BY kind",
      [orderId],
    );
    expect(rows).toEqual([
      { kind: "confirmation-cancellation", cancelled: true },
      { kind: "confirmation-escalation", cancelled: true },
      { kind: "confirmation-follow-up", cancelled: true },
    ]);
  });
});

/** An order walked to shipped as the warehouse reports it: picked, packed, handed to a carrier. */
async function shippedOrder() {
  const orderId = randomUUID();
  const received = orderReceived(orderId, true);
  await moveToAssigned(orderId, received);
  const reservationId = reservationIdOf(orderId);
  const warehouse = { producer: "warehouse", orderId, storeId, correlationId: received.correlationId, actor: { kind: "staff", id: "staff-clerk", role: "warehouse-clerk" } as const };
  await publishEvents(namespace.name, Topics.warehouseStock, [
    newEvent(EventTypes.ShipmentPicked, { reservationId }, warehouse),
    newEvent(EventTypes.ShipmentPacked, { reservationId, parcels: 1, label: "L-1" }, warehouse),
    newEvent(EventTypes.ShipmentDispatched, { shipmentId: randomUUID(), reservationId, carrier: "SF Express", trackingNumber: "SF1234567" }, warehouse),
  ]);
  const shipped = await statusOf(orderId, "shipped");
  expect(shipped.trackingNumber).toBe("SF1234567");
  return { orderId, warehouse };
}

describe("status announcements", () => {
  it("name the carrier and the tracking number of the parcel that left on the shipment's status change only", async () => {
    const { orderId } = await shippedOrder();
    await fulfillment.relay.flush();
    const changes = (await readTopic(Topics.fulfillmentOrder, namespace.name))
      .map((m) => decodeEvent(m.value!))
      .flatMap((e) => (e?.orderId === orderId && e.type === EventTypes.OrderStatusChanged ? [e.payload] : []));
    expect(changes.filter((c) => c.carrier || c.trackingNumber)).toEqual([
      { fromStatus: "packed", toStatus: "shipped", reason: expect.any(String), carrier: "SF Express", trackingNumber: "SF1234567", holdReason: "" },
    ]);
  });
});

/** An order walked to settled as the warehouse, the rider, the customer and billing would. */
/** `carrierPaid`: billing announces a carrier's payment on a claim of the order first (it must stay off the order's timeline). */
async function settledOrder(carrierPaid = false): Promise<string> {
  const { orderId, warehouse } = await shippedOrder();
  const delivered = await commands.recordDelivery({
    orderId,
    caller: rider,
    deliveredAt: new Date().toISOString(),
    place: "front door",
    method: "rider",
    proofKind: "signature",
    proofRef: "sig-42",
    collectedMinor: 0,
    partId: "",
    correlationId: "",
  });
  expect(delivered.status).toBe("delivered");
  const completed = await commands.acceptDelivery({ orderId, caller: customer, reason: "", correlationId: "" });
  expect(completed.status).toBe("completed");
  const byBilling = { ...warehouse, producer: "billing", actor: { kind: "staff", id: "fin-1", role: "finance" } as const };
  const carrierPayment = newEvent(
    EventTypes.CarrierRecoveryReceived,
    {
      caseId: "case-1",
      carrier: "SF Express",
      reference: "BANK-1",
      received: { minor: 500, currency: "CNY" },
      receivedTotal: { minor: 500, currency: "CNY" },
      due: { minor: 800, currency: "CNY" },
      status: "partly-received",
      remittanceReference: "",
    },
    byBilling,
  );
  await publishEvents(namespace.name, Topics.billingSettlement, [
    ...(carrierPaid ? [carrierPayment] : []),
    newEvent(EventTypes.OrderSettled, { settlementId: `${orderId}/settlement`, amountPaid: { minor: 19_900, currency: "CNY" } }, { ...warehouse, producer: "billing", actor: { kind: "system", id: "billing", role: "system" } }),
  ]);
  await statusOf(orderId, "settled");
  return orderId;
}

async function moveToAssigned(orderId: string, received: OrderEvent) {
  await publishEvents(namespace.name, Topics.intakeOrder, [received]);
  await statusOf(orderId, "credit-checked");
  await publishEvents(namespace.name, Topics.warehouseStock, [reported("StockReserved", orderId, received.correlationId)]);
  await statusOf(orderId, "reserved");
  await publishEvents(namespace.name, Topics.dispatchAssignment, [reported("TaskAssigned", orderId, received.correlationId)]);
  await statusOf(orderId, "assigned");
}

describe("backorders", () => {
  it("releases orders waiting for stock in priority order, one after the other, when stock comes in", async () => {
    const store = `store-bo-${randomUUID().slice(0, 8)}`;
    const [low, high] = [randomUUID(), randomUUID()];
    const warehouseOrigin = (orderId: string) => ({ producer: "warehouse", orderId, storeId: store, actor: { kind: "system", id: "warehouse", role: "system" } as const });
    const urgent = orderReceived(high, true, store);
    (urgent.payload as { order: { tags: string[] } }).order.tags = ["urgent"];
    await publishEvents(namespace.name, Topics.intakeOrder, [orderReceived(low, true, store)]);
    await statusOf(low, "credit-checked");
    await publishEvents(namespace.name, Topics.intakeOrder, [urgent]);
    await statusOf(high, "credit-checked");
    const short = (orderId: string, attempt = 1) =>
      newEvent(EventTypes.StockShortage, { routing: [], reservationId: reservationIdOf(orderId, attempt), lines: [{ sku: "KETTLE-1L7", requested: 1, available: 0, expectedRestockDate: "2026-12-01" }] }, warehouseOrigin(orderId));
    await publishEvents(namespace.name, Topics.warehouseStock, [short(low), short(high)]);
    const held = await statusOf(low, "on-hold");
    expect(held.timeline.find((t) => t.what === "stock.shortage")?.detail).toContain("restock expected 2026-12-01");
    await statusOf(high, "on-hold");

    await publishEvents(namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockReceived, { sku: "KETTLE-1L7", location: "A-01-01", quantity: 1 }, { ...warehouseOrigin(""), orderId: "" }),
    ]);
    // The urgent order is asked for first; the other waits its turn.
    const retried = await eventually(async () => {
      const view = await query.getOrder({ orderId: high });
      return view.reservationId === reservationIdOf(high, 2) ? view : undefined;
    });
    expect(retried.status).toBe("on-hold");
    expect((await query.getOrder({ orderId: low })).reservationId).toBe(reservationIdOf(low, 1));

    await publishEvents(namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId: reservationIdOf(high, 2), lines: [] }, warehouseOrigin(high)),
    ]);
    await statusOf(high, "reserved");
    await eventually(async () => ((await query.getOrder({ orderId: low })).reservationId === reservationIdOf(low, 2) ? true : undefined));
  });
});

describe("fulfillment: buy online, pick up in store", () => {
  const counterClerk = { kind: "staff", id: "staff-sun-li", role: "counter" };
  const warehouse = (orderId: string) => ({ producer: "warehouse", orderId, storeId, actor: { kind: "system" as const, id: "warehouse", role: "system" } });

  async function readyForPickup(orderId: string) {
    const received = orderReceived(orderId, true, storeId, "pickup");
    await publishEvents(namespace.name, Topics.intakeOrder, [received]);
    await statusOf(orderId, "credit-checked");
    await publishEvents(namespace.name, Topics.warehouseStock, [reported("StockReserved", orderId, received.correlationId)]);
    await statusOf(orderId, "reserved");
    await publishEvents(namespace.name, Topics.dispatchAssignment, [reported("TaskAssigned", orderId, received.correlationId)]);
    await statusOf(orderId, "assigned");
    const reservationId = reservationIdOf(orderId);
    await publishEvents(namespace.name, Topics.warehouseStock, [
      newEvent(EventTypes.ShipmentPicked, { reservationId }, warehouse(orderId)),
      newEvent(EventTypes.ShipmentPacked, { reservationId, parcels: 1, label: "L-P" }, warehouse(orderId)),
    ]);
    return statusOf(orderId, "packed");
  }

  const handover = (orderId: string, code: string, proofKind = "one-time-code") =>
    commands.recordDelivery({ orderId, caller: counterClerk, deliveredAt: new Date().toISOString(), place: "store counter", method: "pickup", proofKind, proofRef: code, collectedMinor: 0, partId: "", correlationId: "" });

  it("tells the customer the order is ready, and hands it over only against the pick-up code", async () => {
    const orderId = randomUUID();
    const ready = await readyForPickup(orderId);
    expect(ready.pickupCode).toMatch(/^\d{6}$/);
    expect(Date.parse(ready.pickupCollectBy) - Date.parse(ready.pickupReadyAt)).toBe(3_000);
    expect(ready.timeline.map((t) => t.what)).toContain("order.ready-for-pickup");
    await fulfillment.relay.flush();
    const published = (await readTopic(Topics.fulfillmentOrder, namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
    const notice = published.find((e) => e?.type === EventTypes.OrderReadyForPickup);
    expect(notice?.payload).toEqual({ readyAt: ready.pickupReadyAt, collectBy: ready.pickupCollectBy });
    // The code is for the customer only: it is on no topic.
    expect(published.some((e) => JSON.stringify(e?.payload).includes(ready.pickupCode))).toBe(false);

    const wrong = ready.pickupCode === "000000" ? "111111" : "000000";
    await expect(handover(orderId, wrong)).rejects.toMatchObject({ code: "order.wrong-pickup-code" });
    await expect(handover(orderId, ready.pickupCode, "signature")).rejects.toMatchObject({ fields: [{ field: "proofKind" }] });
    const delivered = await handover(orderId, ready.pickupCode);
    expect(delivered.status).toBe("delivered");
    // Collected in time: the hold period's deadline is withdrawn and never cancels it (it goes on to acceptance by rule).
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const later = await query.getOrder({ orderId });
    expect(later.status).not.toBe("cancelled");
    expect(later.timeline.map((t) => t.what)).not.toContain("order.cancelled");
  });

  it("cancels an order nobody collects by rule, gives its stock back and marks the refund due", async () => {
    const orderId = randomUUID();
    await readyForPickup(orderId);
    const cancelled = await statusOf(orderId, "cancelled");
    expect(cancelled.timeline.find((t) => t.what === "order.cancelled")).toMatchObject({ actor: "system:fulfillment", detail: expect.stringMatching(/^not collected by .*: cancelled by rule$/) });
    await fulfillment.relay.flush();
    const published = (await readTopic(Topics.fulfillmentOrder, namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
    expect(published.find((e) => e?.type === EventTypes.OrderCancelled)?.payload).toMatchObject({ refundDue: true });
    expect(published.find((e) => e?.type === EventTypes.StockReleaseRequested)?.payload).toMatchObject({ reservationId: reservationIdOf(orderId) });
  });
});
