import type { OrderDomainEvent } from "./events.ts";
import { reservationIdOf, settlementIdOf, taskIdOf } from "./ids.ts";
import type { Order, OrderLine } from "./order.ts";

/** What an order asks other services for: the same order always asks in the same words. */

/** A ship order is routed across the chain's stores; a pick-up is collected where the customer chose. */
export const isRouted = (order: Order) => order.kind === "goods" && order.fulfillmentMethod === "ship";

export function reservationRequest(order: Order, attempt: number, lines: readonly OrderLine[]): OrderDomainEvent {
  return {
    type: "StockReservationRequested",
    reservationId: reservationIdOf(order.orderId, attempt),
    lines: [...lines],
    priority: order.priority,
    routing: isRouted(order)
      ? { district: order.region, excludedStoreIds: order.rejectedByStores ?? [], splitAllowed: order.partialShipmentAllowed === true }
      : undefined,
  };
}

export type TaskKind = "delivery" | "service" | "pickup-handover";

export function assignmentRequest(order: Order, taskKind: TaskKind, part?: { taskId: string; storeId: string }): OrderDomainEvent {
  const skills = taskKind === "delivery" ? ["delivery"] : taskKind === "pickup-handover" ? ["counter"] : order.tags.filter((t) => t.startsWith("skill:")).map((t) => t.slice(6));
  return {
    type: "AssignmentRequested",
    taskId: part?.taskId ?? taskIdOf(order.orderId),
    taskKind,
    region: order.region,
    skills,
    priority: order.priority,
    dueFrom: order.requestedFrom,
    dueUntil: order.requestedUntil,
    ...(part ? { storeId: part.storeId } : {}),
  };
}

export function replanRequest(order: Order, taskId: string, reason: string, storeId = order.storeId, correctionId = ""): OrderDomainEvent {
  return { type: "AssignmentReplanRequested", taskId, region: order.region, dueFrom: order.requestedFrom, dueUntil: order.requestedUntil, reason, correctionId, storeId };
}

export function settlementRequest(order: Order): OrderDomainEvent {
  return {
    type: "SettlementRequested",
    settlementId: settlementIdOf(order.orderId),
    totals: order.totals,
    paymentMethod: order.paymentMethod,
    prepaid: order.prepaid,
    channel: order.channel,
  };
}
