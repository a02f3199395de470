import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError, type FieldError } from "@oms/errors";
import { answeredOrThrow } from "@oms/postgres";
import { assertMayCloseOrders } from "../../domain/after-assignment.ts";
import { actorOf } from "../caller.ts";
import type { RunOrderCommands } from "../run-order-command.ts";

/** The most orders one bulk closure may carry: a day's settled orders of a store, not a year's. */
export const MAX_ORDERS_CLOSED_AT_ONCE = 200;

/**
 * Finance closes many settled orders at once, in one call and shared transactions. Each
 * order is decided on its own, as CloseOrder decides it: a refused one (not settled yet,
 * unknown) is answered with why and the others are closed; an order already closed stays
 * closed; anything else fails the call (answeredOrThrow).
 */
export async function closeOrders(runMany: RunOrderCommands, request: fulfillmentApi.CloseOrdersRequest): Promise<fulfillmentApi.CloseOrdersResponse> {
  const actor = actorOf(request.caller);
  assertMayCloseOrders(actor);
  assertWellFormed(request.orderIds);
  const requests = request.orderIds.map((orderId) => ({ orderId, caller: request.caller, correlationId: request.correlationId }));
  const answers = answeredOrThrow(await runMany(requests, (closer) => ({ type: "CloseOrder", actor: closer })));
  return {
    outcomes: answers.map((answer, i) => {
      const orderId = request.orderIds[i]!;
      if (answer.ok) return { orderId, status: answer.value.status, refusal: undefined };
      const { kind, code, message } = answer.refusal;
      return { orderId, status: "", refusal: { kind, code, message } };
    }),
  };
}

function assertWellFormed(orderIds: readonly string[]): void {
  const fields: FieldError[] = [];
  if (orderIds.length < 1 || orderIds.length > MAX_ORDERS_CLOSED_AT_ONCE) {
    fields.push({ field: "orderIds", message: `must hold 1 to ${MAX_ORDERS_CLOSED_AT_ONCE} orders, got ${orderIds.length}` });
  }
  const seen = new Set<string>();
  orderIds.forEach((orderId, i) => {
    if (!orderId) fields.push({ field: `orderIds[${i}]`, message: "is required" });
    else if (seen.has(orderId)) fields.push({ field: `orderIds[${i}]`, message: `${orderId} is already in the closure` });
    seen.add(orderId);
  });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "closure.invalid");
}
