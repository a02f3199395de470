// Shared by billing's integration tests: events as fulfillment sends them, and ways to see what billing did.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, billingApi, events, fulfillmentApi, newEvent, type Actor, type OrderEvent, type OrderEventOf } from "@oms/contracts";
import { bindService, createClient, startGrpcServer } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, sessionsBlockedOnLocks, startServiceUnderTest, testServiceConfig, type TestNamespace } from "@oms/testing";
import { billingService, defineBillingService } from "./service.ts";

export const totals = { linesMinor: 10_000, discountMinor: 0, shippingFeeMinor: 800, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 10_800, currency: "CNY" };
const fulfillment: Actor = { kind: "system", id: "fulfillment", role: "system" };
export const customer: Actor = { kind: "customer", id: "cust-7", role: "customer" };
export const clerk = { callerKind: "staff", callerId: "staff-fin", callerRole: "finance" };
export const byFulfillment = (orderId: string, actor: Actor = fulfillment) => ({ producer: "fulfillment", orderId, storeId: "store-test", actor });

export interface OrderShape {
  channel: string;
  paymentMethod: string;
  prepaid: boolean;
}
export const prepaidWebsite: OrderShape = { channel: "website", paymentMethod: "third-party", prepaid: true };
export const tmall: OrderShape = { channel: "marketplace:tmall", paymentMethod: "third-party", prepaid: true };
export const payLater: OrderShape = { channel: "phone", paymentMethod: "bank-transfer", prepaid: false };
export const payOnCredit: OrderShape = { channel: "phone", paymentMethod: "on-credit", prepaid: false };

export function orderCreated(orderId: string, shape: OrderShape): OrderEvent {
  const order = events.CanonicalOrder.fromPartial({ orderId, storeId: "store-test", kind: "goods", totals, ...shape });
  return newEvent(EventTypes.OrderCreated, { order, status: "received", priority: 0, classification: [] }, byFulfillment(orderId));
}

/** An on-credit order of `totalMinor` by the customer, created and held for credit, as fulfillment announces it. */
export function heldForCredit(orderId: string, customerId: string, totalMinor: number): OrderEvent[] {
  const order = events.CanonicalOrder.fromPartial({ orderId, storeId: "store-test", kind: "goods", customer: { customerId }, totals: { ...totals, grandTotalMinor: totalMinor }, ...payOnCredit });
  return [
    newEvent(EventTypes.OrderCreated, { order, status: "received", priority: 0, classification: [] }, byFulfillment(orderId)),
    newEvent(
      EventTypes.OrderStatusChanged,
      { fromStatus: "confirmed", toStatus: "on-hold", reason: "on-credit order awaits credit approval", carrier: "", trackingNumber: "", holdReason: "awaiting-credit" },
      byFulfillment(orderId),
    ),
  ];
}

export function settlementRequested(orderId: string, shape: OrderShape): OrderEvent {
  return newEvent(EventTypes.SettlementRequested, { settlementId: randomUUID(), totals, ...shape }, byFulfillment(orderId));
}

export function orderCancelled(orderId: string, refundDue: boolean): OrderEventOf<typeof EventTypes.OrderCancelled> {
  return newEvent(EventTypes.OrderCancelled, { reason: "customer changed their mind", refundDue }, byFulfillment(orderId, customer));
}

/** Waits until billing's consumer has handled (or skipped as already seen) every one of these events. */
export async function consumed(pool: pg.Pool, ...handled: OrderEvent[]): Promise<void> {
  const ids = handled.map((e) => e.eventId);
  await eventually(async () => {
    const { rows } = await pool.query("SELECT DISTINCT event_id FROM processed_events WHERE event_id = ANY($1)", [ids]);
    return rows.length === new Set(ids).size ? true : undefined;
  });
}

export interface HoldingOrder<T> {
  /** Takes the order as billing's payments or refunds do, in the test's own transaction. */
  hold(tx: pg.ClientBase): Promise<unknown>;
  /** Requests sent while the order is held. */
  send(): Promise<T>;
  /** How many sessions those requests block on a lock when they queue behind the test. */
  blockedSessions: number;
}

/**
 * Runs `hold` in a transaction of the test's own and keeps it open until what `send`
 * started is blocked behind it; then commits and returns what `send` answered. This makes
 * a race between the test's transaction and the requests come out the same way every run.
 */
export async function whileHolding<T>(pool: pg.Pool, { hold, send, blockedSessions }: HoldingOrder<T>): Promise<T> {
  const held = await pool.connect();
  try {
    await held.query("BEGIN");
    await hold(held);
    // Observed now, settled later: a refusal must not go unhandled while the test waits.
    const outcome = send().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await sessionsBlockedOnLocks(pool, blockedSessions);
    await held.query("COMMIT");
    const answered = await outcome;
    if (!answered.ok) throw answered.error;
    return answered.value;
  } finally {
    // After COMMIT a no-op; after a failure on the way it lets the queued requests go.
    await held.query("ROLLBACK");
    held.release();
  }
}

/** Billing of its own namespace with clients of its settlement query and its commands. */
export interface BillingUnderTest {
  namespace: TestNamespace;
  billing: RunningService;
  query: ReturnType<typeof createClient<typeof billingApi.SettlementQueryService>>;
  commands: ReturnType<typeof createClient<typeof billingApi.BillingCommandsService>>;
  /** Closes the clients, stops the service and drops the namespace. */
  stop(): Promise<void>;
}

export async function startTestBilling(): Promise<BillingUnderTest> {
  const { namespace, service, clients, stop } = await startServiceUnderTest("billing", billingService, (address) => ({
    query: createClient(billingApi.SettlementQueryService, "oms.billing.v1.SettlementQuery", address),
    commands: createClient(billingApi.BillingCommandsService, "oms.billing.v1.BillingCommands", address),
  }));
  return { namespace, billing: service, ...clients, stop };
}

/**
 * Billing with fulfillment's OrderQuery played by the test (`orders`: what fulfillment holds,
 * planted by the test), for reconciliation; the daily run is off unless `env` turns it on.
 */
export async function startBillingWithFulfillmentStandIn(env: NodeJS.ProcessEnv = {}): Promise<BillingUnderTest & { orders: Map<string, fulfillmentApi.OrderFigures> }> {
  const orders = new Map<string, fulfillmentApi.OrderFigures>();
  const unexpected = () => Promise.reject(new Error("billing asks fulfillment only for order figures"));
  const standIn = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    logger: createLogger({ service: "fulfillment-stand-in", level: "silent", pretty: false }),
    services: [
      bindService("oms.fulfillment.v1.OrderQuery", fulfillmentApi.OrderQueryService, {
        getOrder: unexpected,
        listOrders: unexpected,
        getOrderKpis: unexpected,
        getSalesReport: unexpected,
        listOrderFigures: async (request) => {
          if (request.orderIds.length > 0) return { orders: request.orderIds.flatMap((id) => (orders.has(id) ? [orders.get(id)!] : [])), nextPageToken: "" };
          const from = Date.parse(request.endedFrom);
          const until = Date.parse(request.endedUntil);
          const ended = [...orders.values()].filter(
            (o) => o.storeId === request.storeId && ["closed", "cancelled"].includes(o.status) && Date.parse(o.updatedAt) >= from && Date.parse(o.updatedAt) < until,
          );
          return { orders: ended, nextPageToken: "" };
        },
      }),
    ],
  });
  const namespace = await createTestNamespace();
  const settings = { BILLING_RECONCILE_AT: "off", FULFILLMENT_GRPC_ADDRESS: `127.0.0.1:${standIn.port}`, ...env };
  const billing = await startService(defineBillingService(settings), testServiceConfig("billing", namespace, settings));
  const address = `127.0.0.1:${billing.grpc.port}`;
  const query = createClient(billingApi.SettlementQueryService, "oms.billing.v1.SettlementQuery", address);
  const commands = createClient(billingApi.BillingCommandsService, "oms.billing.v1.BillingCommands", address);
  return {
    namespace,
    billing,
    query,
    commands,
    orders,
    stop: async () => {
      query.close();
      commands.close();
      await billing.stop();
      await standIn.close();
      await namespace.drop();
    },
  };
}

/** An order as fulfillment holds it, for the stand-in: at store-test, ended (or last changed) now. */
export function orderFigures(orderId: string, status: string, grandTotalMinor = totals.grandTotalMinor, currency = totals.currency): fulfillmentApi.OrderFigures {
  const now = new Date().toISOString();
  return { orderId, storeId: "store-test", status, totals: { ...totals, grandTotalMinor, currency }, paymentMethod: "third-party", createdAt: now, updatedAt: now };
}
