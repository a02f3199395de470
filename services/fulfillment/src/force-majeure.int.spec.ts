import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type OrderEventOf } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { reservationIdOf, taskIdOf } from "./domain/ids.ts";
import { intakeOrderReceived, startTestFulfillment, type FulfillmentUnderTest } from "./test-fixtures.ts";
import { settingsFromEnv } from "./service.ts";

/**
 * Force majeure on the real Postgres and Kafka (ADR 027): a store's open orders held once,
 * a confirmation deadline that would have cancelled one does not while it is held, the
 * customer's choices (continue with a new window, cancel without charge), a new order held
 * on arrival, and lifting resuming the rest.
 */
let under: FulfillmentUnderTest;
const storeId = `store-fm-${randomUUID().slice(0, 8)}`;
const otherStore = `store-fm-${randomUUID().slice(0, 8)}`;
const manager = { kind: "staff", id: "m-1", role: "store-manager" };
const orderTaker = { kind: "staff", id: "s-7", role: "order-taker" };

beforeAll(async () => {
  // Unconfirmed orders are followed up, escalated and cancelled within seconds here.
  under = await startTestFulfillment(
    settingsFromEnv({ FULFILLMENT_CONFIRMATION_FOLLOW_UP_HOURS: "0.0005", FULFILLMENT_CONFIRMATION_ESCALATION_HOURS: "0.0007", FULFILLMENT_CONFIRMATION_CANCEL_HOURS: "0.001" }),
  );
});

afterAll(() => under?.stop());

// One instant for every declaration of the file: two built a millisecond apart would be two contents under one id.
const declaredFrom = new Date(Date.now() - 60_000).toISOString();
const expectedUntil = new Date(Date.now() + 2 * 86_400_000).toISOString();
const declaration = (eventId: string) => ({
  eventId,
  caller: manager,
  storeId,
  districts: [],
  kind: "typhoon",
  cause: "Typhoon Haikui: the store is closed",
  from: declaredFrom,
  expectedUntil,
  correlationId: "",
});

async function timersOf(orderId: string) {
  const { rows } = await under.fulfillment.runtime.pool.query<{ kind: string; timer_key: string; fired: boolean; cancelled: boolean }>(
    "SELECT kind, timer_key, fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled FROM timers WHERE order_id = $1 ORDER BY id",
    [orderId],
  );
  return rows;
}

async function publishedFor(orderId: string) {
  await under.fulfillment.relay.flush();
  return (await readTopic(Topics.fulfillmentOrder, under.namespace.name)).map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
}

describe("force majeure over a store", () => {
  const eventId = `fm-${randomUUID()}`;
  const [unconfirmed, prepaid, elsewhere, arriving] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

  it("holds the store's open orders once, however often it is declared, tells each customer, and leaves other stores alone", async () => {
    await publishEvents(under.namespace.name, Topics.intakeOrder, [
      intakeOrderReceived(unconfirmed, false, storeId),
      intakeOrderReceived(prepaid, true, storeId),
      intakeOrderReceived(elsewhere, true, otherStore),
    ]);
    await under.statusOf(unconfirmed, "awaiting-confirmation");
    await under.statusOf(prepaid, "credit-checked");
    await under.statusOf(elsewhere, "credit-checked");

    const [first, again] = await Promise.all([under.commands.declareForceMajeure(declaration(eventId)), under.commands.declareForceMajeure(declaration(eventId))]);
    expect(first).toMatchObject({ eventId, storeId, kind: "typhoon", ordersHeld: 2, ordersStillHeld: 2, declaredBy: "staff:m-1", liftedAt: "" });
    expect(again).toMatchObject({ eventId, ordersHeld: 2 });
    await expect(under.commands.declareForceMajeure({ ...declaration(eventId), cause: "another cause" })).rejects.toMatchObject({ kind: "conflict", code: "force-majeure.id-in-use" });
    await expect(under.commands.declareForceMajeure({ ...declaration(`fm-${randomUUID()}`), caller: orderTaker })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(under.commands.declareForceMajeure({ ...declaration(`fm-${randomUUID()}`), kind: "meteor", from: "soon" })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "kind" }), expect.objectContaining({ field: "from" })],
    });

    for (const orderId of [unconfirmed, prepaid]) {
      const view = await under.query.getOrder({ orderId });
      expect(view).toMatchObject({ status: "on-hold", holdReason: "force-majeure" });
      expect(view.timeline.filter((t) => t.what === "order.on-hold")).toHaveLength(1);
      expect(view.timeline.find((t) => t.what === "order.exception-force-majeure")?.detail).toContain("customer told: typhoon: Typhoon Haikui: the store is closed");
      const held = (await publishedFor(orderId)).filter((e) => e?.type === EventTypes.OrderStatusChanged && (e.payload as { toStatus: string }).toStatus === "on-hold");
      expect(held.map((e) => (e!.payload as { holdReason: string }).holdReason)).toEqual(["force-majeure"]);
    }
    expect((await under.query.getOrder({ orderId: elsewhere })).status).toBe("credit-checked");
    expect((await under.commands.listForceMajeure({ storeId, includeLifted: false, eventId: "", pageSize: 0, pageToken: "" })).events.map((e) => e.eventId)).toEqual([eventId]);
  });

  it("does not let the confirmation deadline cancel an order while it is held", async () => {
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await under.query.getOrder({ orderId: unconfirmed })).status).toBe("on-hold");
    const confirmationTimers = (await timersOf(unconfirmed)).filter((t) => t.kind.startsWith("confirmation-"));
    expect(confirmationTimers.map((t) => [t.timer_key, t.cancelled, t.fired])).toEqual([
      [unconfirmed, true, false],
      [unconfirmed, true, false],
      [unconfirmed, true, false],
    ]);
  });

  it("continues with a new window: resumes where it was held at once, its deadlines started again from now", async () => {
    const requestedFrom = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const requestedUntil = new Date(Date.now() + 3 * 86_400_000 + 3 * 3_600_000).toISOString();
    const view = await under.commands.recordForceMajeureChoice({ orderId: unconfirmed, caller: orderTaker, choice: "continue", requestedFrom, requestedUntil, note: "after the storm", correlationId: "" });
    expect(view.status).toBe("awaiting-confirmation");
    expect(view.timeline.find((t) => t.what === "order.awaiting-confirmation" && t.detail.startsWith("work resumes"))?.detail).toContain(requestedUntil);
    const restarted = (await timersOf(unconfirmed)).filter((t) => t.timer_key === `${unconfirmed}~fm1`);
    expect(restarted.map((t) => t.kind).sort()).toEqual(["confirmation-cancellation", "confirmation-escalation", "confirmation-follow-up"]);
  });

  it("cancels without charge on the customer's choice, with the refund due when paid", async () => {
    await expect(under.commands.recordForceMajeureChoice({ orderId: prepaid, caller: manager, choice: "later", requestedFrom: "", requestedUntil: "", note: "", correlationId: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "choice" })],
    });
    const view = await under.commands.recordForceMajeureChoice({ orderId: prepaid, caller: orderTaker, choice: "cancel", requestedFrom: "", requestedUntil: "", note: "", correlationId: "" });
    expect(view.status).toBe("cancelled");
    const cancelled = (await publishedFor(prepaid)).find((e) => e?.type === EventTypes.OrderCancelled);
    expect(cancelled?.payload).toMatchObject({ refundDue: true, reason: expect.stringContaining("without charge") });
  });

  it("holds an order arriving while declared at once, and lifting resumes it where it was", async () => {
    await publishEvents(under.namespace.name, Topics.intakeOrder, [intakeOrderReceived(arriving, true, storeId)]);
    const held = await under.statusOf(arriving, "on-hold");
    expect(held.holdReason).toBe("force-majeure");

    const lifted = await under.commands.liftForceMajeure({ eventId, caller: manager, correlationId: "" });
    expect(lifted).toMatchObject({ eventId, liftedBy: "staff:m-1", ordersStillHeld: 0 });
    expect(lifted.liftedAt).not.toBe("");
    const resumed = await under.statusOf(arriving, "credit-checked");
    expect(resumed.timeline.find((t) => t.what === "order.exception-force-majeure-over")).toBeDefined();
    expect((await publishedFor(arriving)).map((e) => e?.type)).toContain(EventTypes.StockReservationRequested);
    // Lifting again changes nothing; a lifted declaration is no longer listed as declared.
    expect(await under.commands.liftForceMajeure({ eventId, caller: manager, correlationId: "" })).toMatchObject({ eventId, ordersStillHeld: 0 });
    expect((await under.commands.listForceMajeure({ storeId, includeLifted: false, eventId: "", pageSize: 0, pageToken: "" })).events).toEqual([]);
  });
});

describe("deadlines set while an order is held", () => {
  const heldStore = `store-fm-${randomUUID().slice(0, 8)}`;
  const [pickup, corrected] = [randomUUID(), randomUUID()];
  const from = (producer: string, orderId: string) => ({ producer, orderId, storeId: heldStore, actor: { kind: "system" as const, id: producer, role: "system" } });
  const pending = async (orderId: string, kind: string) => (await timersOf(orderId)).filter((t) => t.kind === kind && !t.fired && !t.cancelled).map((t) => t.timer_key);

  it("start only when it resumes, under its new round: none of the held round outlives the resumption", async () => {
    const promised = new Date(Date.now() + 86_400_000).toISOString();
    const moved = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const goods = intakeOrderReceived(corrected, true, heldStore) as OrderEventOf<typeof EventTypes.OrderReceived>;
    const order = goods.payload.order!;
    order.requestedUntil = promised;
    await publishEvents(under.namespace.name, Topics.intakeOrder, [intakeOrderReceived(pickup, true, heldStore, "pickup"), goods]);
    await under.statusOf(pickup, "credit-checked");
    await under.statusOf(corrected, "credit-checked");
    await publishEvents(under.namespace.name, Topics.warehouseStock, [newEvent(EventTypes.StockReserved, { routing: [], parts: [], reservationId: reservationIdOf(pickup), lines: [] }, from("warehouse", pickup))]);
    await under.statusOf(pickup, "reserved");
    await publishEvents(under.namespace.name, Topics.dispatchAssignment, [
      newEvent(EventTypes.TaskAssigned, { taskId: taskIdOf(pickup), assignmentId: randomUUID(), staffId: "staff-li-wei", acknowledgeBy: "", fencingToken: 1 }, from("dispatch", pickup)),
    ]);
    await under.statusOf(pickup, "assigned");
    await publishEvents(under.namespace.name, Topics.warehouseStock, [newEvent(EventTypes.ShipmentPicked, { reservationId: reservationIdOf(pickup) }, from("warehouse", pickup))]);
    await under.statusOf(pickup, "picked");

    const eventId = `fm-${randomUUID()}`;
    expect(await under.commands.declareForceMajeure({ ...declaration(eventId), storeId: heldStore })).toMatchObject({ ordersHeld: 2 });

    // While held: the goods are packed for pick-up, and the customer's time is corrected.
    await publishEvents(under.namespace.name, Topics.warehouseStock, [newEvent(EventTypes.ShipmentPacked, { reservationId: reservationIdOf(pickup), parcels: 1, label: "L-P" }, from("warehouse", pickup))]);
    await publishEvents(under.namespace.name, Topics.intakeOrder, [
      newEvent(EventTypes.OrderCorrected, { correctionId: randomUUID(), fields: ["requestedUntil"], order: { ...order, requestedUntil: moved }, requestedBy: "customer:c-42" }, from("intake", corrected)),
    ]);
    await eventually(async () => ((await under.query.getOrder({ orderId: pickup })).pickupCode ? true : undefined));
    await eventually(async () => {
      const { rows } = await under.fulfillment.runtime.pool.query<{ until: string }>("SELECT body->>'requestedUntil' AS until FROM orders WHERE order_id = $1", [corrected]);
      return rows[0]?.until === moved ? true : undefined;
    });
    expect((await under.query.getOrder({ orderId: pickup })).status).toBe("on-hold");

    await under.commands.liftForceMajeure({ eventId, caller: manager, correlationId: "" });
    await under.statusOf(pickup, "packed");
    await under.statusOf(corrected, "credit-checked");
    // Before, the pick-up period set as the goods were packed stayed pending under the held round's key and
    // cancelled the order as uncollected before its new period ended; the corrected time's deadline escalated twice.
    expect(await pending(pickup, "pickup-period")).toEqual([`${pickup}~fm1`]);
    expect(await pending(corrected, "delivery-deadline")).toEqual([`${corrected}~fm1/${moved}`]);
  });
});
