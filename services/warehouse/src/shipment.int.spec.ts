import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import {
  answersFor,
  clerk,
  deliveryRecorded,
  movementsWithActorsOf,
  putOnRecord,
  reservationRequested,
  reservationStatusOf,
  shipmentRequested,
  testSku,
  startTestWarehouse,
  testStore,
  type TestWarehouse,
} from "./test-fixtures.ts";

let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const typesOf = (events: OrderEvent[]) => events.map((e) => e.type);

/** A store with two SKUs on record and a reservation of 3 + 1 units, answered StockReserved. */
async function reservedOrder() {
  const [storeId, kettle, vase] = [testStore(), testSku(), testSku()];
  await putOnRecord(pool(), [
    { storeId, sku: kettle, location: "A-01", onHand: 10, safetyStock: 1 },
    { storeId, sku: vase, location: "C-01", onHand: 4, safetyStock: 0 },
  ]);
  const request = reservationRequested(storeId, [{ sku: kettle, quantity: 3 }, { sku: vase, quantity: 1 }]);
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request]);
  const [answer] = await answersFor(under.namespace.name, [request.payload.reservationId]);
  expect(answer?.type).toBe(EventTypes.StockReserved);
  return { storeId, kettle, vase, orderId: request.orderId, reservationId: request.payload.reservationId };
}

/** Fulfillment asks for the shipment; returns once the reservation is on the pick list. */
async function askForShipment(order: { storeId: string; orderId: string; reservationId: string }, fulfillmentMethod = "ship") {
  const request = shipmentRequested(order.storeId, order.orderId, order.reservationId, fulfillmentMethod);
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request]);
  await eventually(async () => ((await reservationStatusOf(pool(), order.reservationId)) === "ready-to-pick" ? true : undefined));
  return request;
}

/** Everything the requests before it on the order's partition caused is done once this marker is answered. */
async function drainOrder(storeId: string, orderId: string, sku: string) {
  const marker = reservationRequested(storeId, [{ sku, quantity: 1 }], { orderId, reservationId: `${orderId}/marker/${Math.random()}` });
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [marker]);
  await answersFor(under.namespace.name, [marker.payload.reservationId]);
}

describe("shipment", () => {
  it("picks, packs and ships a reservation on the pick list; the units leave stock, the books balance, the clerk is the actor", async () => {
    const order = await reservedOrder();
    const { storeId, kettle, vase, reservationId } = order;
    await askForShipment(order);

    expect(await under.commands.pickReservation({ reservationId, caller: clerk, correlationId: "corr-ship-1" })).toMatchObject({ status: "picked" });
    expect(await under.commands.packReservation({ reservationId, caller: clerk, parcels: 2, correlationId: "corr-ship-1" })).toMatchObject({ status: "packed" });
    const dispatch = { carrier: "SF Express", trackingNumber: "SF1234567", correlationId: "corr-ship-1" };
    const shipped = await under.commands.shipReservation({ reservationId, caller: clerk, ...dispatch });
    expect(shipped).toEqual({ reservationId, orderId: order.orderId, storeId, status: "shipped", carrier: "SF Express", trackingNumber: "SF1234567" });

    const levels = (await under.stock.getStock({ storeId, skus: [] })).levels;
    expect(levels.map((l) => [l.sku, l.onHand, l.reserved, l.available])).toEqual(
      expect.arrayContaining([
        [kettle, 7, 0, 6],
        [vase, 3, 0, 3],
      ]),
    );
    const ledger = await movementsWithActorsOf(pool(), storeId);
    expect(ledger.filter((m) => m.kind === "shipped").map((m) => [m.sku, m.quantity, m.actor_id, m.actor_role])).toEqual(
      expect.arrayContaining([
        [kettle, 3, clerk.id, clerk.role],
        [vase, 1, clerk.id, clerk.role],
      ]),
    );
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);

    await under.warehouse.relay.flush();
    const events = await answersFor(under.namespace.name, [reservationId], 4);
    expect(typesOf(events)).toEqual([EventTypes.StockReserved, EventTypes.ShipmentPicked, EventTypes.ShipmentPacked, EventTypes.ShipmentDispatched]);
    for (const event of events.slice(1)) {
      expect(event).toMatchObject({ orderId: order.orderId, storeId, producer: "warehouse", correlationId: "corr-ship-1", actor: clerk });
    }
    expect(events[2]!.payload).toEqual({ reservationId, parcels: 2, label: expect.stringMatching(new RegExp(`^${storeId}-[0-9A-F]{8}-2$`)) });
    expect(events[3]!.payload).toEqual({ shipmentId: `${reservationId}/shipment`, reservationId, carrier: "SF Express", trackingNumber: "SF1234567" });

    const { rows: steps } = await pool().query("SELECT status, actor_id FROM reservation_steps WHERE reservation_id = $1 ORDER BY step_id", [reservationId]);
    expect(steps.map((s) => [s.status, s.actor_id])).toEqual([
      ["ready-to-pick", "fulfillment"],
      ["picked", clerk.id],
      ["packed", clerk.id],
      ["shipped", clerk.id],
    ]);
  });

  it("refuses every step out of order, naming the status, and bad fields, naming each field", async () => {
    const order = await reservedOrder();
    const { reservationId } = order;
    await expect(under.commands.pickReservation({ reservationId, caller: clerk, correlationId: "" })).rejects.toMatchObject({
      kind: "illegal-state",
      message: expect.stringContaining("is reserved;"),
    });
    await askForShipment(order);
    await expect(under.commands.packReservation({ reservationId, caller: clerk, parcels: 1, correlationId: "" })).rejects.toMatchObject({
      kind: "illegal-state",
      message: expect.stringContaining("is ready-to-pick;"),
    });
    await under.commands.pickReservation({ reservationId, caller: clerk, correlationId: "" });
    await expect(under.commands.pickReservation({ reservationId, caller: clerk, correlationId: "" })).rejects.toMatchObject({
      message: expect.stringContaining("is picked;"),
    });
    await expect(under.commands.shipReservation({ reservationId, caller: clerk, carrier: "SF", trackingNumber: "1", correlationId: "" })).rejects.toMatchObject({
      kind: "illegal-state",
      code: "reservation.not-packed",
    });
    await expect(under.commands.packReservation({ reservationId, caller: clerk, parcels: 0, correlationId: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: [{ field: "parcels", message: "must be a whole number >= 1, got 0" }],
    });
    await under.commands.packReservation({ reservationId, caller: clerk, parcels: 1, correlationId: "" });
    await expect(under.commands.shipReservation({ reservationId, caller: clerk, carrier: "", trackingNumber: " ", correlationId: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: [
        { field: "carrier", message: "is required" },
        { field: "trackingNumber", message: "is required" },
      ],
    });
    await expect(under.commands.pickReservation({ reservationId: "no-such-reservation", caller: clerk, correlationId: "" })).rejects.toMatchObject({ kind: "not-found" });
    // Nothing refused moved anything.
    expect(await reservationStatusOf(pool(), reservationId)).toBe("packed");
    expect((await movementsWithActorsOf(pool(), order.storeId)).filter((m) => m.kind === "shipped")).toEqual([]);
  });

  it("takes commands from the store's staff only, and from nobody who does not say who they are", async () => {
    const order = await reservedOrder();
    await askForShipment(order);
    const { reservationId } = order;
    await expect(under.commands.pickReservation({ reservationId, caller: undefined, correlationId: "" })).rejects.toMatchObject({ kind: "unauthenticated" });
    await expect(under.commands.pickReservation({ reservationId, caller: { kind: "customer", id: "c-1", role: "" }, correlationId: "" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    expect(await reservationStatusOf(pool(), reservationId)).toBe("ready-to-pick");
  });

  it("never ships a pick-up order; the hand-over recorded by fulfillment takes its stock out, once", async () => {
    const order = await reservedOrder();
    const { storeId, kettle, vase, orderId, reservationId } = order;
    await askForShipment(order, "pickup");
    await under.commands.pickReservation({ reservationId, caller: clerk, correlationId: "" });
    await under.commands.packReservation({ reservationId, caller: clerk, parcels: 1, correlationId: "" });
    await expect(under.commands.shipReservation({ reservationId, caller: clerk, carrier: "SF", trackingNumber: "SF1", correlationId: "" })).rejects.toMatchObject({
      kind: "illegal-state",
      code: "reservation.pickup-not-shipped",
      message: expect.stringContaining("is packed; it is a pick-up order"),
    });

    const counter = { kind: "staff", id: "counter-3", role: "counter-staff" } as const;
    const delivery = deliveryRecorded(storeId, orderId, counter);
    // Delivered again after a rework: the goods left once.
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [delivery, delivery, deliveryRecorded(storeId, orderId, counter)]);
    await eventually(async () => ((await reservationStatusOf(pool(), reservationId)) === "handed-over" ? true : undefined));
    await drainOrder(storeId, orderId, vase);

    const shippedOut = (await movementsWithActorsOf(pool(), storeId)).filter((m) => m.kind === "shipped");
    expect(shippedOut.map((m) => [m.sku, m.quantity, m.actor_id, m.reason])).toEqual(
      expect.arrayContaining([
        [kettle, 3, counter.id, "handed over at the counter"],
        [vase, 1, counter.id, "handed over at the counter"],
      ]),
    );
    expect(shippedOut).toHaveLength(2);
    const levels = (await under.stock.getStock({ storeId, skus: [kettle] })).levels;
    expect(levels[0]).toMatchObject({ onHand: 7, reserved: 0 });
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
    await under.warehouse.relay.flush();
    expect(typesOf(await answersFor(under.namespace.name, [reservationId], 3))).toEqual([EventTypes.StockReserved, EventTypes.ShipmentPicked, EventTypes.ShipmentPacked]);
  });

  it("changes nothing when a shipment request is redelivered or sent again", async () => {
    const order = await reservedOrder();
    const { storeId, vase, orderId, reservationId } = order;
    const request = await askForShipment(order);
    await under.commands.pickReservation({ reservationId, caller: clerk, correlationId: "" });

    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request, shipmentRequested(storeId, orderId, reservationId, "pickup")]);
    await drainOrder(storeId, orderId, vase);

    expect(await reservationStatusOf(pool(), reservationId)).toBe("picked");
    const { rows } = await pool().query("SELECT fulfillment_method FROM reservations WHERE reservation_id = $1", [reservationId]);
    expect(rows[0]?.fulfillment_method).toBe("ship");
    const { rows: steps } = await pool().query("SELECT status FROM reservation_steps WHERE reservation_id = $1 ORDER BY step_id", [reservationId]);
    expect(steps.map((s) => s.status)).toEqual(["ready-to-pick", "picked"]);
  });
});
