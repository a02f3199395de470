import { IllegalStateError } from "@oms/errors";
import type { OrderDomainEvent } from "./events.ts";
import type { Order, OrderStatus } from "./order.ts";
import { canTransition } from "./transitions.ts";

/** The order moves to `to`, or the command is refused with a clear error if the state machine forbids it. */
export function transition(order: Order, to: OrderStatus, reason: string): OrderDomainEvent {
  if (!canTransition(order.status, to)) {
    throw new IllegalStateError("order.illegal-transition", `order ${order.orderId} cannot go from ${order.status} to ${to}`);
  }
  return { type: "StatusChanged", from: order.status, to, reason };
}
