import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, type OrderEventOf } from "@oms/contracts";
import { withTransaction } from "@oms/postgres";
import { eventually, publishEvents } from "@oms/testing";
import { reservationRepository } from "./adapters/pg/reservation-repository.ts";
import { newStepWrites, takeSteps, writeSteps } from "./app/advance-reservation.ts";
import { TimerKinds } from "./app/step-deadlines.ts";
import { decideShipment } from "./domain/shipment.ts";
import {
  answersFor,
  clerk,
  putOnRecord,
  releaseRequested,
  reservationRequested,
  reservationStatusOf,
  shipmentRequested,
  startTestWarehouse,
  stockEvents,
  testSku,
  testStore,
  type TestWarehouse,
} from "./test-fixtures.ts";

/**
 * The time nodes of a shipment's way out on the real Kafka and Postgres, with short
 * allowances: a step that runs late warns the store's warehouse clerks (level 1), then
 * escalates to its store manager (level 2), once each, on durable timers; a step done in
 * time and a released reservation flag nothing; a timer fired again changes nothing; the
 * store's overdue list shows what is late until it is done.
 */
const allowance = { pickMs: 2_500, packMs: 2_500, shipMs: 2_500, escalateAfterMs: 2_000 };
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse({ stepDeadlines: allowance });
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Past a step's deadline and its escalation, with a poller's pass to spare. */
const pastEscalation = () => sleep(allowance.pickMs + allowance.escalateAfterMs + 1_500);

/** A reservation of one unit on its store's pick list, as fulfillment asks once the order has an assignee. */
async function readyToPick(fulfillmentMethod = "ship") {
  const [storeId, sku] = [testStore(), testSku()];
  await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: 5, safetyStock: 0 }]);
  const request = reservationRequested(storeId, [{ sku, quantity: 1 }]);
  const { reservationId } = request.payload;
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request]);
  await answersFor(under.namespace.name, [reservationId]);
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [shipmentRequested(storeId, request.orderId, reservationId, fulfillmentMethod)]);
  await eventually(async () => ((await reservationStatusOf(pool(), reservationId)) === "ready-to-pick" ? true : undefined));
  return { storeId, orderId: request.orderId, reservationId };
}

type Overdue = OrderEventOf<typeof EventTypes.ShipmentStepOverdue>;

async function overdueOf(reservationId: string): Promise<Overdue[]> {
  await under.warehouse.relay.flush();
  return (await stockEvents(under.namespace.name)).filter((e): e is Overdue => e.type === EventTypes.ShipmentStepOverdue && e.payload.reservationId === reservationId);
}

const overdueList = async (storeId: string) => (await under.stock.listOverdueShipments({ storeId, limit: 0, pageSize: 0, pageToken: "" })).shipments;

/** The reservation's shipment-step timers: key → fired or cancelled. */
async function timersOf(reservationId: string): Promise<Record<string, string>> {
  const { rows } = await pool().query<{ timer_key: string; fired: boolean; cancelled: boolean }>(
    "SELECT timer_key, fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled FROM timers WHERE kind = $1 AND timer_key LIKE $2 || '/%'",
    [TimerKinds.shipmentStepDeadline, reservationId],
  );
  return Object.fromEntries(rows.map((t) => [t.timer_key.slice(reservationId.length + 1), t.fired ? "fired" : t.cancelled ? "cancelled" : "pending"]));
}

describe("a shipment step that runs late", () => {
  it("warns the store's warehouse clerks at its deadline, then escalates to the store manager, once each, and leaves the list once done", async () => {
    const { storeId, orderId, reservationId } = await readyToPick();

    const warned = await eventually(async () => {
      const late = await overdueList(storeId);
      return late[0]?.level === 1 ? late : undefined;
    }, 15_000);
    expect(warned).toEqual([
      expect.objectContaining({ reservationId, orderId, step: "pick", level: 1, priority: 1, fulfillmentMethod: "ship" }),
    ]);
    expect(new Date(warned[0]!.overdueSince).getTime()).toBeGreaterThanOrEqual(new Date(warned[0]!.dueAt).getTime());

    const escalated = await eventually(async () => {
      const late = await overdueList(storeId);
      return late[0]?.level === 2 ? late : undefined;
    }, 15_000);
    expect(escalated[0]).toMatchObject({ step: "pick", level: 2, dueAt: warned[0]!.dueAt, overdueSince: warned[0]!.overdueSince });

    const flagged = await eventually(async () => {
      const found = await overdueOf(reservationId);
      return found.length >= 2 ? found : undefined;
    });
    expect(flagged.map((e) => e.payload)).toEqual([
      { reservationId, step: "pick", level: 1, dueAt: warned[0]!.dueAt, responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId },
      { reservationId, step: "pick", level: 2, dueAt: warned[0]!.dueAt, responsibleRole: "warehouse-clerk", escalatedToRole: "store-manager", storeId },
    ]);
    expect(flagged.map((e) => [e.orderId, e.storeId, e.actor.id, e.causationId.startsWith("timer:")])).toEqual([
      [orderId, storeId, "warehouse", true],
      [orderId, storeId, "warehouse", true],
    ]);
    // The warning continues the chain of the request that put the reservation on the pick list.
    expect(new Set(flagged.map((e) => e.correlationId)).size).toBe(1);

    // Picked at last: off the list; the pack's clock starts now.
    await under.commands.pickReservation({ reservationId, caller: clerk, correlationId: "" });
    expect(await overdueList(storeId)).toEqual([]);
    expect(await timersOf(reservationId)).toEqual({ "pick/1": "fired", "pick/2": "fired", "pack/1": "pending" });
    await sleep(1_000);
    expect(await overdueOf(reservationId)).toHaveLength(2);
  });

  it("flags nothing when every step is done in time, and gives a pick-up order no ship deadline", async () => {
    const pickAndPack = async (fulfillmentMethod: string) => {
      const ready = await readyToPick(fulfillmentMethod);
      await under.commands.pickReservation({ reservationId: ready.reservationId, caller: clerk, correlationId: "" });
      await under.commands.packReservation({ reservationId: ready.reservationId, caller: clerk, parcels: 1, correlationId: "" });
      return ready;
    };
    const shipped = await pickAndPack("ship");
    await under.commands.shipReservation({ reservationId: shipped.reservationId, caller: clerk, carrier: "SF Express", trackingNumber: "SF-1", correlationId: "" });
    const pickup = await pickAndPack("pickup");
    await pastEscalation();

    expect(await overdueOf(shipped.reservationId)).toEqual([]);
    expect(await overdueOf(pickup.reservationId)).toEqual([]);
    expect(await overdueList(shipped.storeId)).toEqual([]);
    expect(await timersOf(shipped.reservationId)).toEqual({ "pick/1": "cancelled", "pack/1": "cancelled", "ship/1": "cancelled" });
    expect(await timersOf(pickup.reservationId)).toEqual({ "pick/1": "cancelled", "pack/1": "cancelled" });
  });
});

describe("a pick and a pack written in one transaction (a clerks' batch)", () => {
  it("record the pack as started and met at once: no timer for it, the ship's clock running", async () => {
    const { reservationId } = await readyToPick();
    await withTransaction(pool(), async (tx) => {
      const steps = newStepWrites();
      const current = (await reservationRepository.find(tx, reservationId, { lock: true }))!;
      const picked = await takeSteps(tx, current, decideShipment({ type: "PickReservation", reservationId }, current), { actor: clerk }, steps);
      const [pack] = decideShipment({ type: "PackReservation", reservationId, parcels: 1 }, picked);
      await takeSteps(tx, picked, [pack!], { actor: clerk }, steps);
      await writeSteps(tx, steps, { settings: allowance, clock: () => new Date() });
    });
    const { rows } = await pool().query<{ step: string; met: boolean }>(
      "SELECT step, met_at IS NOT NULL AS met FROM shipment_step_deadlines WHERE reservation_id = $1 ORDER BY step",
      [reservationId],
    );
    expect(rows).toEqual([
      { step: "pack", met: true },
      { step: "pick", met: true },
      { step: "ship", met: false },
    ]);
    expect(await timersOf(reservationId)).toEqual({ "pick/1": "cancelled", "ship/1": "pending" });
  });
});

describe("a released reservation", () => {
  it("flags nothing when released before its deadline, and is not escalated when released after the warning", async () => {
    const early = await readyToPick();
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [releaseRequested(early.storeId, early.orderId, early.reservationId)]);
    await eventually(async () => ((await reservationStatusOf(pool(), early.reservationId)) === "released" ? true : undefined));

    const late = await readyToPick();
    await eventually(async () => ((await overdueOf(late.reservationId)).length === 1 ? true : undefined), 15_000);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [releaseRequested(late.storeId, late.orderId, late.reservationId)]);
    await eventually(async () => ((await reservationStatusOf(pool(), late.reservationId)) === "released" ? true : undefined));
    expect(await overdueList(late.storeId)).toEqual([]);
    await pastEscalation();

    expect(await overdueOf(early.reservationId)).toEqual([]);
    expect(await timersOf(early.reservationId)).toEqual({ "pick/1": "cancelled" });
    expect((await overdueOf(late.reservationId)).map((e) => e.payload.level)).toEqual([1]);
    expect(await timersOf(late.reservationId)).toEqual({ "pick/1": "fired", "pick/2": "cancelled" });
  });
});

describe("a shipment step's timer fired again", () => {
  it("(a replay, a redelivery) flags the step no second time at either level", async () => {
    const { storeId, reservationId } = await readyToPick();
    await eventually(async () => ((await overdueList(storeId))[0]?.level === 2 ? true : undefined), 15_000);

    // Both timers come due once more, as if their firing had been lost and replayed.
    await pool().query("UPDATE timers SET fired_at = NULL, due_at = now() WHERE kind = $1 AND timer_key LIKE $2 || '/%'", [TimerKinds.shipmentStepDeadline, reservationId]);
    await eventually(async () => (Object.values(await timersOf(reservationId)).every((t) => t === "fired") ? true : undefined));
    await sleep(500);

    expect((await overdueOf(reservationId)).map((e) => e.payload.level)).toEqual([1, 2]);
    expect(await overdueList(storeId)).toEqual([expect.objectContaining({ reservationId, level: 2 })]);
  });
});

describe("the store's overdue shipments", () => {
  it("need the store, and a limit (the page size's older name) from 1 to 500", async () => {
    await expect(under.stock.listOverdueShipments({ storeId: "", limit: 0, pageSize: 0, pageToken: "" })).rejects.toMatchObject({ kind: "validation", fields: [{ field: "storeId", message: "is required" }] });
    await expect(under.stock.listOverdueShipments({ storeId: "store-1", limit: 501, pageSize: 0, pageToken: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: [{ field: "limit", message: "must be 1 to 500 (0: 100)" }],
    });
  });
});
