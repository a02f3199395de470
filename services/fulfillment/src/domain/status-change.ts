import { IllegalStateError } from "@oms/errors";
import type { OrderDomainEvent } from "./events.ts";
import type { HoldReason, Order, OrderStatus } from "./order.ts";
import { canTransition } from "./transitions.ts";

type StatusChanged = Extract<OrderDomainEvent, { type: "StatusChanged" }>;

/** The order moves to `to`, or the command is refused with a clear error if the state machine forbids it. */
export function transition(order: Order, to: OrderStatus, reason: string): StatusChanged {
  if (!canTransition(order.status, to)) {
    throw new IllegalStateError("order.illegal-transition", `order ${order.orderId} cannot go from ${order.status} to ${to}`);
  }
  return { type: "StatusChanged", from: order.status, to, reason };
}

/** The order goes on hold (if the state machine lets it), saying what it waits for: that decides what releases it. */
export function putOnHold(order: Order, holdReason: HoldReason, reason: string): StatusChanged {
  return { ...transition(order, "on-hold", reason), holdReason };
}
