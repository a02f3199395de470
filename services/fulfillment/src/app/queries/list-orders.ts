import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import { orderStatuses } from "../../domain/order.ts";
import { toOrderView } from "./get-order.ts";

const MAX_PAGE = 200;

/** Orders by store, status, priority, channel and creation date, newest first, with keyset paging. */
export async function listOrders(pool: pg.Pool, request: fulfillmentApi.ListOrdersRequest): Promise<fulfillmentApi.ListOrdersResponse> {
  const errors: FieldError[] = [];
  const pageSize = request.pageSize || 50;
  if (pageSize < 1 || pageSize > MAX_PAGE) errors.push({ field: "pageSize", message: `must be between 1 and ${MAX_PAGE}` });
  if (request.status && !(orderStatuses as readonly string[]).includes(request.status)) {
    errors.push({ field: "status", message: `must be one of ${orderStatuses.join(", ")}` });
  }
  const createdFrom = parseDate(request.createdFrom, "createdFrom", errors);
  const createdUntil = parseDate(request.createdUntil, "createdUntil", errors);
  const before = parseCursor(request.pageToken, errors);
  if (errors.length > 0) throw new ValidationError(errors);

  const page = await orderRepository.list(pool, {
    storeId: request.storeId,
    status: request.status,
    channel: request.channel,
    minPriority: request.minPriority,
    createdFrom,
    createdUntil,
    before,
    limit: pageSize + 1,
  });
  const hasMore = page.length > pageSize;
  const orders = page.slice(0, pageSize);
  const last = orders.at(-1);
  return {
    orders: orders.map((o) => toOrderView(o, [])),
    nextPageToken: hasMore && last ? Buffer.from(JSON.stringify([last.createdMicros, last.order.orderId])).toString("base64url") : "",
  };
}

function parseDate(value: string, field: string, errors: FieldError[]): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) errors.push({ field, message: "must be an ISO 8601 date-time" });
  return date;
}

function parseCursor(token: string, errors: FieldError[]): { createdMicros: number; orderId: string } | undefined {
  if (!token) return undefined;
  try {
    const [createdMicros, orderId] = JSON.parse(Buffer.from(token, "base64url").toString()) as [number, string];
    if (typeof orderId !== "string" || !Number.isSafeInteger(createdMicros)) throw new Error("bad cursor");
    return { createdMicros, orderId };
  } catch {
    errors.push({ field: "pageToken", message: "is not a token from a previous page" });
    return undefined;
  }
}
