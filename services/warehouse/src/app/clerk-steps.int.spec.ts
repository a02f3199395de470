import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, warehouseApi } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { warehouseService } from "../service.ts";
import { findLedgerDiscrepancies } from "./queries/find-ledger-discrepancies.ts";
import { answersFor, clerk, putOnRecord, reservationRequested, shipmentRequested, stockEvents, testSku, testStore } from "../test-fixtures.ts";

/**
 * Clerks' picks and packs under load, over gRPC on the real database: one transaction at
 * a time (WAREHOUSE_COMMANDS_IN_FLIGHT=1), so the steps that arrive while it commits
 * share the next one.
 */
let namespace: TestNamespace;
let warehouse: RunningService;
let commands: ReturnType<typeof createClient<typeof warehouseApi.WarehouseCommandsService>>;
const inFlightBefore = process.env.WAREHOUSE_COMMANDS_IN_FLIGHT;

beforeAll(async () => {
  namespace = await createTestNamespace();
  process.env.WAREHOUSE_COMMANDS_IN_FLIGHT = "1";
  warehouse = await startService(warehouseService, testServiceConfig("warehouse", namespace));
  commands = createClient(warehouseApi.WarehouseCommandsService, "oms.warehouse.v1.WarehouseCommands", `127.0.0.1:${warehouse.grpc.port}`);
});

afterAll(async () => {
  if (inFlightBefore === undefined) delete process.env.WAREHOUSE_COMMANDS_IN_FLIGHT;
  else process.env.WAREHOUSE_COMMANDS_IN_FLIGHT = inFlightBefore;
  commands?.close();
  await warehouse?.stop();
  await namespace?.drop();
});

const pool = () => warehouse.runtime.pool;

/** `count` reservations of one unit each of one SKU at a fresh store, on the pick list. */
async function readyToPick(count: number, storeId = testStore(), sku = testSku()): Promise<{ orderId: string; reservationId: string }[]> {
  await putOnRecord(pool(), [{ storeId, sku, location: "A-01", onHand: count + 5, safetyStock: 0 }]);
  const requests = Array.from({ length: count }, () => reservationRequested(storeId, [{ sku, quantity: 1 }]));
  await publishEvents(namespace.name, Topics.fulfillmentOrder, requests);
  await answersFor(namespace.name, requests.map((r) => r.payload.reservationId));
  const orders = requests.map((r) => ({ orderId: r.orderId, reservationId: r.payload.reservationId }));
  await publishEvents(namespace.name, Topics.fulfillmentOrder, orders.map((o) => shipmentRequested(storeId, o.orderId, o.reservationId)));
  await eventually(async () => {
    const { rows } = await pool().query("SELECT 1 FROM reservations WHERE reservation_id = ANY($1) AND status = 'ready-to-pick'", [orders.map((o) => o.reservationId)]);
    return rows.length === count || undefined;
  });
  return orders;
}

/** How many transactions recorded these reservations' steps to `status` (xmin: the writing transaction). */
const transactionsOf = async (reservationIds: string[], status: string) =>
  (
    await pool().query<{ n: number }>("SELECT count(DISTINCT xmin::text)::int AS n FROM reservation_steps WHERE reservation_id = ANY($1) AND status = $2", [
      reservationIds,
      status,
    ])
  ).rows[0]!.n;

const pick = (reservationId: string) => commands.pickReservation({ reservationId, caller: clerk, correlationId: "" });
const pack = (reservationId: string) => commands.packReservation({ reservationId, caller: clerk, parcels: 1, correlationId: "" });
const ship = (reservationId: string) => commands.shipReservation({ reservationId, caller: clerk, carrier: "SF Express", trackingNumber: `SF-${reservationId}`, correlationId: "" });

describe("clerks' picks and packs under load", () => {
  it("commits the picks that arrive together in one transaction, each answered with its own reservation and announced", async () => {
    const orders = await readyToPick(6);
    const ids = orders.map((o) => o.reservationId);

    const answers = await Promise.all(ids.map(pick));

    expect(answers.map((a) => [a.reservationId, a.status])).toEqual(ids.map((id) => [id, "picked"]));
    // The first went alone and at once; the five that came while it committed went together.
    expect(await transactionsOf(ids, "picked")).toBe(2);
    await warehouse.relay.flush();
    const picked = (await stockEvents(namespace.name)).filter((e) => e.type === EventTypes.ShipmentPicked && ids.includes(e.payload.reservationId));
    expect(picked.map((e) => e.orderId).sort()).toEqual(orders.map((o) => o.orderId).sort());
  });

  it("answers a refused or unknown step with its own error, sees the steps before it in the same transaction, and commits the rest", async () => {
    const [first, second, third] = (await readyToPick(3)).map((o) => o.reservationId);

    const answers = await Promise.allSettled([pick(first!), pick(second!), pack(third!), pick("no-such-reservation"), pick(third!), pack(third!), pick(second!)]);

    expect(answers.map((a) => (a.status === "fulfilled" ? a.value.status : (a.reason as { kind: string }).kind))).toEqual([
      "picked",
      "picked",
      "illegal-state", // not picked yet
      "not-found",
      "picked",
      "packed",
      "illegal-state", // picked earlier in the same transaction: refused, as it would be alone
    ]);
    const steps = await pool().query<{ reservation_id: string; status: string }>(
      "SELECT reservation_id, status FROM reservation_steps WHERE reservation_id = $1 ORDER BY step_id",
      [third],
    );
    expect(steps.rows.map((r) => r.status)).toEqual(["ready-to-pick", "picked", "packed"]);
  });

  it("ships the packed reservations of a busy item together: each unit leaves stock once, and the books balance", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    const orders = (await readyToPick(5, storeId, sku)).map((o) => o.reservationId);
    for (const id of orders.slice(0, 4)) {
      await pick(id);
      await pack(id);
    }

    const answers = await Promise.allSettled([...orders.slice(0, 4), orders[4]!].map(ship));

    expect(answers.map((a) => (a.status === "fulfilled" ? a.value.status : (a.reason as { kind: string }).kind))).toEqual([
      "shipped",
      "shipped",
      "shipped",
      "shipped",
      "illegal-state", // never packed
    ]);
    // Ten on hand less the four shipped; the fifth still reserved.
    const { rows } = await pool().query<{ on_hand: number; reserved: number }>("SELECT on_hand, reserved FROM stock WHERE store_id = $1 AND sku = $2", [storeId, sku]);
    expect(rows).toEqual([{ on_hand: 6, reserved: 1 }]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
    expect(await transactionsOf(orders.slice(0, 4), "shipped")).toBeLessThan(4);
  });
});

describe("a clerk's wave", () => {
  const wave = (step: string, items: Partial<warehouseApi.WaveItem>[], caller: warehouseApi.Caller = clerk) =>
    commands.workWave({ caller, correlationId: "", step, items: items.map((item) => ({ reservationId: "", parcels: 0, carrier: "", trackingNumber: "", ...item })) });
  const summary = (outcomes: warehouseApi.WaveOutcome[]) => outcomes.map((o) => [o.reservationId, o.reservation?.status ?? o.refusal?.code]);

  it("takes a wave's steps in one transaction, answers each in the order asked and refuses only the ones that cannot be taken", async () => {
    const ids = (await readyToPick(5)).map((o) => o.reservationId);
    await pick(ids[4]!);

    const { outcomes } = await wave("pick", [...ids, "no-such-reservation"].map((reservationId) => ({ reservationId })));

    expect(summary(outcomes)).toEqual([
      ...ids.slice(0, 4).map((id) => [id, "picked"]),
      [ids[4], "reservation.not-ready-to-pick"], // picked before the wave
      ["no-such-reservation", "reservation.not-found"],
    ]);
    expect(outcomes[4]!.refusal).toMatchObject({ kind: "illegal-state", message: expect.stringContaining(`reservation ${ids[4]} is picked`) });
    // One by one, the first would have gone alone: the wave shares its transaction from the start.
    expect(await transactionsOf(ids.slice(0, 4), "picked")).toBe(1);
    await warehouse.relay.flush();
    const picked = (await stockEvents(namespace.name)).filter((e) => e.type === EventTypes.ShipmentPicked && ids.includes(e.payload.reservationId));
    expect(picked).toHaveLength(5);
  });

  it("packs and ships a wave with each item's own parcels and tracking number, moving each unit out of stock once", async () => {
    const [storeId, sku] = [testStore(), testSku()];
    const ids = (await readyToPick(3, storeId, sku)).map((o) => o.reservationId);
    await wave("pick", ids.map((reservationId) => ({ reservationId })));
    await wave("pack", ids.map((reservationId, i) => ({ reservationId, parcels: i + 1 })));

    const { outcomes } = await wave("ship", ids.map((reservationId) => ({ reservationId, carrier: "SF Express", trackingNumber: `SF-${reservationId}` })));

    expect(outcomes.map((o) => [o.reservation?.status, o.reservation?.trackingNumber])).toEqual(ids.map((id) => ["shipped", `SF-${id}`]));
    const parcels = await pool().query<{ reservation_id: string; parcels: number }>("SELECT reservation_id, parcels FROM reservations WHERE reservation_id = ANY($1) ORDER BY reservation_id", [ids]);
    expect(parcels.rows).toEqual(ids.map((id, i) => ({ reservation_id: id, parcels: i + 1 })).sort((a, b) => a.reservation_id.localeCompare(b.reservation_id)));
    const { rows } = await pool().query<{ on_hand: number; reserved: number }>("SELECT on_hand, reserved FROM stock WHERE store_id = $1 AND sku = $2", [storeId, sku]);
    expect(rows).toEqual([{ on_hand: 5, reserved: 0 }]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("refuses a malformed wave as a whole, naming each wrong field, and takes none of its steps", async () => {
    const [id] = (await readyToPick(1)).map((o) => o.reservationId);

    await expect(wave("sort", [{ reservationId: id! }, { reservationId: id! }, {}])).rejects.toMatchObject({
      kind: "validation",
      fields: [
        { field: "step", message: 'must be one of pick, pack, ship, got "sort"' },
        { field: "items[1].reservationId", message: `${id} is already in the wave` },
        { field: "items[2].reservationId", message: "is required" },
      ],
    });
    await expect(wave("pick", [])).rejects.toMatchObject({ kind: "validation", fields: [{ field: "items", message: "must hold 1 to 200 reservations, got 0" }] });
    await expect(wave("pick", [{ reservationId: id! }], { kind: "customer", id: "c-1", role: "" })).rejects.toMatchObject({ kind: "forbidden" });
    const { rows } = await pool().query("SELECT status FROM reservations WHERE reservation_id = $1", [id]);
    expect(rows).toEqual([{ status: "ready-to-pick" }]);
  });
});
