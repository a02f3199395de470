import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError, requestedPeriod, type FieldError } from "@oms/errors";
import { orderFiguresRepository, type OrderFiguresRow } from "../../adapters/pg/order-figures-repository.ts";

const defaultPage = 200;
const maxPage = 500;
const maxIds = 500;
/** A reconciliation's period is a business day, a week or a month (ADR 023). */
const maxPeriodDays = 31;

/**
 * The figures billing reconciles its money against (ADR 023): a store's orders that ended —
 * closed or cancelled — in [endedFrom, endedUntil), oldest first, a page at a time; or
 * given orders by id, whatever their store and status (those billing holds money of).
 * Totals as they stand, after substitutions and corrections: what the order is due.
 */
export async function listOrderFigures(pool: pg.Pool, request: fulfillmentApi.ListOrderFiguresRequest): Promise<fulfillmentApi.ListOrderFiguresResponse> {
  if (request.orderIds.length > 0) {
    if (request.orderIds.length > maxIds) throw new ValidationError([{ field: "orderIds", message: `at most ${maxIds} at once` }]);
    return { orders: (await orderFiguresRepository.byIds(pool, request.orderIds)).map(viewOf), nextPageToken: "" };
  }
  const errors: FieldError[] = [];
  const storeId = request.storeId.trim();
  if (!storeId) errors.push({ field: "storeId", message: "is required (or orderIds)" });
  const pageSize = request.pageSize || defaultPage;
  if (pageSize < 1 || pageSize > maxPage) errors.push({ field: "pageSize", message: `must be between 1 and ${maxPage}` });
  const after = cursorOf(request.pageToken, errors);
  const { from, until } = requestedPeriod({ from: request.endedFrom, until: request.endedUntil }, errors, maxPeriodDays);
  const page = await orderFiguresRepository.endedAt(pool, storeId, from, until, after, pageSize + 1);
  const orders = page.slice(0, pageSize);
  const last = orders.at(-1);
  return {
    orders: orders.map(viewOf),
    nextPageToken: page.length > pageSize && last ? Buffer.from(JSON.stringify([last.updatedExact, last.orderId])).toString("base64url") : "",
  };
}

function viewOf(row: OrderFiguresRow): fulfillmentApi.OrderFigures {
  return {
    orderId: row.orderId,
    storeId: row.storeId,
    status: row.status,
    totals: row.totals,
    paymentMethod: row.paymentMethod,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function cursorOf(token: string, errors: FieldError[]): { updatedExact: string; orderId: string } | undefined {
  if (!token) return undefined;
  try {
    const [updatedExact, orderId] = JSON.parse(Buffer.from(token, "base64url").toString()) as [unknown, unknown];
    if (typeof updatedExact !== "string" || Number.isNaN(Date.parse(updatedExact)) || typeof orderId !== "string") throw new Error("bad cursor");
    return { updatedExact, orderId };
  } catch {
    errors.push({ field: "pageToken", message: "is not a token from a previous page" });
    return undefined;
  }
}
