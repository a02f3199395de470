import type pg from "pg";
import { NotFoundError, UnavailableError, ValidationError } from "@oms/errors";
import type { FulfillmentOrders } from "../../adapters/grpc-clients/fulfillment.ts";
import { orderRepository, type IntakeOrderRecord } from "../../adapters/pg/order-repository.ts";

export interface CustomerOrderSummary {
  orderId: string;
  channel: string;
  channelOrderId: string;
  storeId: string;
  kind: string;
  /** Where the order stands: fulfillment's status, or intake's while fulfillment has not taken it over (or cannot answer). */
  status: string;
  grandTotalMinor: number;
  currency: string;
  receivedAt: string;
}

export interface CustomerOrderPage {
  orders: CustomerOrderSummary[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

/** The page's last order, opaque to the caller: where the next page starts. */
const tokenOf = (order: IntakeOrderRecord) => Buffer.from(`${order.receivedAt.toISOString()}|${order.orderId}`).toString("base64url");

function afterOf(pageToken: string): { receivedAt: Date; orderId: string } | undefined {
  if (!pageToken) return undefined;
  const [at, orderId] = Buffer.from(pageToken, "base64url").toString().split("|");
  const receivedAt = new Date(at ?? "");
  if (!orderId || Number.isNaN(receivedAt.getTime())) throw new ValidationError([{ field: "pageToken", message: "is not a page token this list gave" }]);
  return { receivedAt, orderId };
}

/**
 * A customer's own orders, newest first (DOMAIN.md: the customer tracks their orders), from
 * intake's records of what they ordered, each with where it stands now as fulfillment
 * answers (asked side by side for the page's orders).
 */
export async function listCustomerOrders(
  deps: { pool: pg.Pool; fulfillment: FulfillmentOrders },
  customerId: string,
  page: { pageSize: number; pageToken: string },
  correlationId: string,
): Promise<CustomerOrderPage> {
  const records = await orderRepository.listByCustomer(deps.pool, customerId, page.pageSize + 1, afterOf(page.pageToken));
  const shown = records.slice(0, page.pageSize);
  const orders = await Promise.all(shown.map(async (order) => ({ ...summaryOf(order), status: await statusOf(deps.fulfillment, order, correlationId) })));
  return { orders, ...(records.length > page.pageSize ? { nextPageToken: tokenOf(shown.at(-1)!) } : {}) };
}

async function statusOf(fulfillment: FulfillmentOrders, order: IntakeOrderRecord, correlationId: string): Promise<string> {
  // In review or rejected there, the order never reached fulfillment: intake's record tells.
  if (order.status !== "received") return order.status;
  try {
    return (await fulfillment.getOrder(order.orderId, correlationId)).status;
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof UnavailableError) return order.status;
    throw error;
  }
}

function summaryOf(order: IntakeOrderRecord): Omit<CustomerOrderSummary, "status"> {
  return {
    orderId: order.orderId,
    channel: order.channel,
    channelOrderId: order.channelOrderId,
    storeId: order.storeId,
    kind: order.kind,
    grandTotalMinor: Number(order.canonical.totals?.grandTotalMinor ?? 0),
    currency: order.canonical.totals?.currency ?? "",
    receivedAt: order.receivedAt.toISOString(),
  };
}
