import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, Topics, afterSalesApi, decodeEvent, events, newEvent, type OrderEvent } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { createClient } from "@oms/grpc";
import { withTransaction } from "@oms/postgres";
import type { RunningService } from "@oms/service-kit";
import { readTopic, startServiceUnderTest, type TestNamespace } from "@oms/testing";
import { recordOrderFacts } from "./app/commands/record-order-facts.ts";
import { defineAfterSalesService } from "./service.ts";

/** Orders, callers and readers for after-sales' integration specs. */
export const agent = { kind: "staff", id: "cs-1", role: "customer-service" };
export const manager = { kind: "staff", id: "m-1", role: "store-manager" };
export const customer = { kind: "customer", id: "c-42", role: "customer" };

export const day = 24 * 3600_000;
export const newStore = () => `store-${randomUUID().slice(0, 8)}`;

export interface OrderSpec {
  storeId: string;
  kind?: string;
  /** Days before now it was delivered; undefined: not delivered. */
  deliveredDaysAgo?: number;
  customerId?: string;
  lines?: { sku: string; quantity: number; lineTotalMinor: number }[];
}

export const kettleAndCups = [
  { sku: "KETTLE-1", quantity: 2, lineTotalMinor: 20_000 },
  { sku: "CUP-6", quantity: 6, lineTotalMinor: 10_000 },
];

/** An order after-sales knows of, recorded as its consumer records fulfillment's events (creation, then delivery). */
export async function knownOrder(pool: pg.Pool, spec: OrderSpec): Promise<string> {
  const orderId = randomUUID();
  const lines = spec.lines ?? kettleAndCups;
  const origin = (now: Date) => ({ producer: "fulfillment", orderId, storeId: spec.storeId, actor: { kind: "system", id: "fulfillment", role: "system" } as const, now });
  const order = {
    orderId,
    storeId: spec.storeId,
    kind: spec.kind ?? "goods",
    customer: { customerId: spec.customerId ?? customer.id, name: "Li Lei" },
    lines: lines.map((line, i) => ({ lineId: `l-${i}`, sku: line.sku, quantity: line.quantity, unitPriceMinor: line.lineTotalMinor / line.quantity, lineTotalMinor: line.lineTotalMinor })),
    totals: { grandTotalMinor: lines.reduce((sum, line) => sum + line.lineTotalMinor, 0), currency: "CNY" },
  };
  const created = newEvent(EventTypes.OrderCreated, events.OrderCreated.fromPartial({ order, status: "received" }), origin(new Date(Date.now() - 400 * day)));
  const batch: OrderEvent[] = [created];
  if (spec.deliveredDaysAgo !== undefined) {
    batch.push(newEvent(EventTypes.OrderStatusChanged, { fromStatus: "shipped", toStatus: "delivered", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, origin(new Date(Date.now() - spec.deliveredDaysAgo * day))));
  }
  await withTransaction(pool, (tx) => recordOrderFacts(tx, batch));
  return orderId;
}

/** After-sales hears now that the order was delivered, as its consumer hears fulfillment's event. */
export async function recordDelivery(pool: pg.Pool, orderId: string, storeId: string): Promise<void> {
  const origin = { producer: "fulfillment", orderId, storeId, actor: { kind: "system", id: "fulfillment", role: "system" } as const };
  const delivered = newEvent(EventTypes.OrderStatusChanged, { fromStatus: "shipped", toStatus: "delivered", reason: "", carrier: "", trackingNumber: "" , holdReason: ""}, origin);
  await withTransaction(pool, (tx) => recordOrderFacts(tx, [delivered]));
}

/** A query that names no caller: the case's words stay sealed (empty) and no showing is logged (ADR 017, showings addendum). */
export const unseen = { caller: undefined, correlationId: "" };
/** A query as the gateway makes it for a caller: the words opened for them, the showing logged. */
export const seenBy = (caller: { kind: string; id: string; role: string }, correlationId = "") => ({ caller, correlationId });

export const afterSalesClients = (port: number) => afterSalesClientsAt(`127.0.0.1:${port}`);

function afterSalesClientsAt(address: string) {
  return {
    query: createClient(afterSalesApi.AfterSalesQueryService, "oms.aftersales.v1.AfterSalesQuery", address),
    commands: createClient(afterSalesApi.AfterSalesCommandsService, "oms.aftersales.v1.AfterSalesCommands", address),
  };
}

export type AfterSalesClients = ReturnType<typeof afterSalesClients>;

/** After-sales running in a namespace of its own, as an integration spec starts it, with its gRPC clients. */
export interface AfterSalesUnderTest {
  namespace: TestNamespace;
  afterSales: RunningService;
  clients: AfterSalesClients;
}

/** A start that fails drops its namespace itself (`startServiceUnderTest`): the spec never held it to drop. */
export async function startAfterSalesUnderTest(): Promise<AfterSalesUnderTest> {
  const { namespace, service, clients } = await startServiceUnderTest("after-sales", defineAfterSalesService({}), afterSalesClientsAt);
  return { namespace, afterSales: service, clients };
}

/** Stops what `startAfterSalesUnderTest` started; an afterAll after a failed start finds nothing to stop. */
export async function stopAfterSalesUnderTest(under: Partial<AfterSalesUnderTest>): Promise<void> {
  under.clients?.query.close();
  under.clients?.commands.close();
  await under.afterSales?.stop();
  await under.namespace?.drop();
}

/** How a call was refused, as the client raises it: the error's class and code, and for invalid input the fields named. */
export const refusal = (call: Promise<unknown>) =>
  call.then(
    () => "granted",
    (error: Error & { code?: string }) => (error instanceof ValidationError ? `ValidationError ${error.fields.map((f) => f.field).join(", ")}` : `${error.constructor.name} ${error.code}`),
  );

/** The case events on `oms.aftersales.case.v1` about these orders, in the order each order's were published. */
export async function caseEventsOf(namespace: string, orderIds: readonly string[]): Promise<OrderEvent[]> {
  const messages = await readTopic(Topics.afterSalesCase, namespace);
  return messages.flatMap((m) => (m.value ? [decodeEvent(m.value)] : [])).filter((e): e is OrderEvent => !!e && orderIds.includes(e.orderId));
}

/** The raw bytes of every message on `oms.aftersales.case.v1` about these orders, as analytics would read them off the topic. */
export async function rawCaseMessagesOf(namespace: string, orderIds: readonly string[]): Promise<Buffer[]> {
  const messages = await readTopic(Topics.afterSalesCase, namespace);
  return messages.flatMap((m) => {
    const event = m.value ? decodeEvent(m.value) : undefined;
    return event && orderIds.includes(event.orderId) && m.value ? [m.value] : [];
  });
}

/** An OpenCase request with a fresh id: a return of one kettle by phone, unless told otherwise. */
export function openRequest(orderId: string, more: Partial<afterSalesApi.OpenCaseRequest> = {}): afterSalesApi.OpenCaseRequest {
  return {
    caseId: `case-${randomUUID()}`,
    orderId,
    caller: agent,
    correlationId: `corr-${randomUUID()}`,
    kind: "return",
    channel: "phone",
    description: "the kettle leaks at the seam",
    lines: [{ sku: "KETTLE-1", quantity: 1 }],
    ...more,
  };
}
