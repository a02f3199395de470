// Shared by warehouse's integration tests: requests as fulfillment sends them, and ways to read what warehouse did.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, Topics, decodeEvent, newEvent, physicalTopic, warehouseApi, type Actor, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { withTransaction } from "@oms/postgres";
import type { RunningService } from "@oms/service-kit";
import { eventually, readTopic, startServiceUnderTest, testKafka, type TestNamespace } from "@oms/testing";
import { recordOpeningStock } from "./app/commands/record-opening-stock.ts";
import type { ShipmentDeadlines } from "./app/step-deadlines.ts";
import { defaultStepDeadlineSettings } from "./domain/step-deadlines.ts";
import type { OpeningStock } from "./adapters/pg/stock-repository.ts";
import { warehouseServiceWith } from "./service.ts";
import type { WarehouseSettings } from "./settings.ts";

const fulfillment = { kind: "system", id: "fulfillment", role: "system" } as const;

export function reservationRequested(
  storeId: string,
  lines: { sku: string; quantity: number }[],
  ids: { orderId?: string; reservationId?: string } = {},
): OrderEventOf<typeof EventTypes.StockReservationRequested> {
  const orderId = ids.orderId ?? randomUUID();
  return newEvent(
    EventTypes.StockReservationRequested,
    {
      reservationId: ids.reservationId ?? `${orderId}/reservation/1`,
      route: false,
      splitAllowed: false,
      district: "",
      excludedStoreIds: [],
      lines: lines.map((line, index) => ({
        lineId: String(index + 1),
        sku: line.sku,
        description: "",
        quantity: line.quantity,
        unitPriceMinor: 1_000,
        lineTotalMinor: 1_000 * line.quantity,
        specialRequests: "",
      })),
      priority: 1,
    },
    { producer: "fulfillment", orderId, storeId, actor: fulfillment },
  );
}

/** Fulfillment asks for the goods once the order has an assignee. */
export function shipmentRequested(storeId: string, orderId: string, reservationId: string, fulfillmentMethod = "ship") {
  const destination = { line1: "1 Test Road", line2: "", city: "Shanghai", district: "Jing'an", postalCode: "200040", country: "CN" };
  const origin = { producer: "fulfillment", orderId, storeId, actor: fulfillment };
  return newEvent(EventTypes.ShipmentRequested, { reservationId, fulfillmentMethod, destination }, origin);
}

/** Fulfillment recorded that the order reached the customer (for a pick-up order: at the counter). */
export function deliveryRecorded(storeId: string, orderId: string, by: Actor, method = "pickup") {
  return newEvent(
    EventTypes.DeliveryRecorded,
    { deliveredAt: new Date().toISOString(), place: "store counter", method, deliveredBy: by.id, proofKind: "signature", proofRef: "sig-1", collectedMinor: 0 , reservationId: "", taskId: "" },
    { producer: "fulfillment", orderId, storeId, actor: by },
  );
}

/** Production's step deadlines (an hour to pick): far beyond what a test that does not watch them takes. */
export const testDeadlines: ShipmentDeadlines = { settings: defaultStepDeadlineSettings, clock: () => new Date() };

export const clerk = { kind: "staff", id: "clerk-7", role: "warehouse-clerk" } as const satisfies Actor;

export function releaseRequested(storeId: string, orderId: string, reservationId: string) {
  return newEvent(EventTypes.StockReleaseRequested, { reservationId, reason: "order cancelled" }, { producer: "fulfillment", orderId, storeId, actor: fulfillment });
}

/** Everything warehouse has published so far. */
export async function stockEvents(namespace: string): Promise<OrderEvent[]> {
  const messages = await readTopic(Topics.warehouseStock, namespace);
  return messages.map((m) => decodeEvent(m.value!)).filter((e): e is OrderEvent => e !== undefined);
}

/** Waits until warehouse has answered `count` times about the given reservations, and returns those answers. */
export async function answersFor(namespace: string, reservationIds: string[], count = reservationIds.length): Promise<OrderEvent[]> {
  const wanted = new Set(reservationIds);
  return eventually(async () => {
    const answers = (await stockEvents(namespace)).filter((e) => "reservationId" in e.payload && wanted.has(e.payload.reservationId));
    return answers.length >= count ? answers : undefined;
  });
}

export function testStore(): string {
  return `store-${randomUUID().slice(0, 8)}`;
}

export function testSku(): string {
  return `SKU-${randomUUID().slice(0, 8)}`;
}

export async function putOnRecord(pool: pg.Pool, rows: OpeningStock[]): Promise<void> {
  await withTransaction(pool, (tx) => recordOpeningStock(tx, rows, { kind: "staff", id: "clerk-test", role: "warehouse-clerk" }));
}

export async function movementsOf(pool: pg.Pool, storeId: string): Promise<{ sku: string; kind: string; quantity: number; reservation_id: string | null }[]> {
  const { rows } = await pool.query("SELECT sku, kind, quantity, reservation_id FROM stock_movements WHERE store_id = $1 ORDER BY movement_id", [storeId]);
  return rows;
}

/** The ledger with who and why, for tests about the actor. */
export async function movementsWithActorsOf(
  pool: pg.Pool,
  storeId: string,
): Promise<{ sku: string; kind: string; quantity: number; reason: string; actor_id: string; actor_role: string }[]> {
  const { rows } = await pool.query(
    "SELECT sku, kind, quantity, reason, actor_id, actor_role FROM stock_movements WHERE store_id = $1 ORDER BY movement_id",
    [storeId],
  );
  return rows;
}

export async function reservationStatusOf(pool: pg.Pool, reservationId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ status: string }>("SELECT status FROM reservations WHERE reservation_id = $1", [reservationId]);
  return rows[0]?.status;
}

/** Waits until the consumer group has `members` members sharing the partitions, so a test really spreads work over replicas. */
export async function waitForStableGroup(namespace: string, group: string, members: number): Promise<void> {
  const admin = testKafka("oms-test-admin").admin();
  await admin.connect();
  try {
    await eventually(async () => {
      const { groups } = await admin.describeGroups([physicalTopic(group, namespace)]);
      const described = groups[0];
      return described?.state === "Stable" && described.members.length === members ? true : undefined;
    }, 60_000, 250);
  } finally {
    await admin.disconnect();
  }
}

/** A warehouse of its own namespace, with clients of its stock queries and of the clerks' commands. */
export interface TestWarehouse {
  namespace: TestNamespace;
  warehouse: RunningService;
  stock: ReturnType<typeof createClient<typeof warehouseApi.StockQueryService>>;
  commands: ReturnType<typeof createClient<typeof warehouseApi.WarehouseCommandsService>>;
  /** Closes the clients, stops the service and drops the namespace. */
  stop(): Promise<void>;
}

/** A warehouse under test; `settings` shorten its step deadlines (a test that watches them). */
export async function startTestWarehouse(settings: Partial<WarehouseSettings> = {}): Promise<TestWarehouse> {
  const { namespace, service, clients, stop } = await startServiceUnderTest("warehouse", warehouseServiceWith(settings), (address) => ({
    stock: createClient(warehouseApi.StockQueryService, "oms.warehouse.v1.StockQuery", address),
    commands: createClient(warehouseApi.WarehouseCommandsService, "oms.warehouse.v1.WarehouseCommands", address),
  }));
  return { namespace, warehouse: service, ...clients, stop };
}
