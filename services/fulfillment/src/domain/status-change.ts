import { IllegalStateError } from "@oms/errors";
import type { OrderDomainEvent } from "./events.ts";
import type { ForceMajeureHold, HoldReason, Order, OrderStatus } from "./order.ts";
import { canTransition, forceMajeureHoldable } from "./transitions.ts";

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

/** Work pauses for force majeure wherever the order may be held (transitions.ts, forceMajeureHoldable). */
export function holdForForceMajeure(order: Order, reason: string): StatusChanged {
  if (!forceMajeureHoldable.has(order.status) || (order.status === "on-hold" && order.holdReason === "force-majeure")) {
    throw new IllegalStateError("order.not-holdable", `order ${order.orderId} is ${order.status} and cannot be held for force majeure`);
  }
  return { type: "StatusChanged", from: order.status, to: "on-hold", reason, holdReason: "force-majeure" };
}

/** Work resumes where the hold found it (on hold for something else again, if it was). */
export function resumeFromForceMajeure(order: Order, hold: ForceMajeureHold, reason: string): StatusChanged {
  if (order.status !== "on-hold" || order.holdReason !== "force-majeure") {
    throw new IllegalStateError("order.not-held-for-force-majeure", `order ${order.orderId} is ${order.status}, not held for force majeure`);
  }
  return { type: "StatusChanged", from: "on-hold", to: hold.heldFrom, reason, ...(hold.heldFromReason ? { holdReason: hold.heldFromReason } : {}) };
}
