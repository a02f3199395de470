import type pg from "pg";
import type { dispatchApi } from "@oms/contracts";
import { IllegalStateError, NotFoundError } from "@oms/errors";
import type { DispatchTasks } from "../../adapters/grpc-clients/dispatch.ts";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import type { PermittedContext } from "../request-context.ts";

export interface ServiceBookingDeps {
  pool: pg.Pool;
  dispatch: DispatchTasks;
}

/**
 * An order taker or customer-service agent books the window agreed with the customer for a
 * service order's visit (booking again moves it). Dispatch books any order id it is given
 * and counts it against the window's people, so only an order intake took, of kind
 * service, and not refused in review, may take a place; the order's own store is booked.
 */
export async function bookServiceWindow(
  deps: ServiceBookingDeps,
  context: PermittedContext<"book-service-window">,
  orderId: string,
  booking: { skill: string; windowStart: string },
): Promise<dispatchApi.WindowBooking> {
  const order = await orderRepository.findById(deps.pool, orderId);
  if (!order) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
  if (order.kind !== "service") throw new IllegalStateError("order.not-a-service", `order ${orderId} is a ${order.kind} order: only a service order books a visit window`);
  if (order.status === "rejected") throw new IllegalStateError("order.rejected", `order ${orderId} was rejected in review: it has no visit to book`);
  return deps.dispatch.bookWindow({ orderId, storeId: order.storeId, ...booking }, context.caller, context.correlationId);
}
