import { IllegalStateError, ValidationError } from "@oms/errors";
import type { RecordDelivery, RecordReservationRejected, RecordShipmentProgress, RecordStockReserved, RecordTaskAssigned, ReservedPart } from "./commands.ts";
import type { OrderDomainEvent } from "./events.ts";
import { evolveAll } from "./evolve.ts";
import { partTaskIdOf, reservationIdOf } from "./ids.ts";
import type { Delivery, Order, OrderLine, OrderPart, OrderStatus, PartStage } from "./order.ts";
import { assignmentRequest, replanRequest, settlementRequest } from "./requests.ts";
import { transition } from "./status-change.ts";
import { terminalStatuses } from "./transitions.ts";

/**
 * Split orders (DOMAIN.md, partial fulfilment): when the customer or the store's rule lets
 * lines ship separately and no single store has them all, routing splits the order over
 * several stores. Each part then lives on its own — reservation, delivery task, picking,
 * parcel, delivery — and the order's status follows its parts: partially shipped once one
 * has left, partially delivered once one has arrived, delivered when all have. From there
 * on (acceptance, settlement, closing) the order is one again.
 *
 * A store that turns its part down sends only that part back to routing (one store for
 * it, never the stores that refused); if none can serve it now the part waits in the queue
 * and is retried when stock comes in, while the other parts go on.
 */

/** How far a part's goods have come; parts being routed again count as just reserved. */
const stageRank: Record<PartStage, number> = { routing: 0, "awaiting-stock": 0, reserved: 0, assigned: 1, picked: 2, packed: 3, shipped: 4, delivered: 5 };
const beforeShipping: readonly OrderStatus[] = ["reserved", "assigned", "picked", "packed"];
/** The order's statuses while it has parts, in the order it passes them. */
const progression: readonly OrderStatus[] = [...beforeShipping, "partially-shipped", "shipped", "partially-delivered", "delivered"];

/** The order's status its parts add up to. */
export function statusOfParts(parts: readonly OrderPart[]): OrderStatus {
  const delivered = parts.filter((p) => p.stage === "delivered").length;
  if (delivered === parts.length) return "delivered";
  if (delivered > 0) return "partially-delivered";
  const shipped = parts.filter((p) => stageRank[p.stage] >= stageRank.shipped).length;
  if (shipped === parts.length) return "shipped";
  if (shipped > 0) return "partially-shipped";
  return beforeShipping[Math.min(...parts.map((p) => stageRank[p.stage]))]!;
}

/** Appends the status change the parts now call for; forward only, so a part routed again never takes the order back. */
function followParts(order: Order, events: OrderDomainEvent[], reason: string): OrderDomainEvent[] {
  const after = evolveAll(order, events)!;
  const from = progression.indexOf(after.status);
  const next = statusOfParts(after.parts ?? []);
  if (from < 0 || progression.indexOf(next) <= from) return events;
  return [...events, transition(after, next, reason)];
}

const partOf = (order: Order, match: (part: OrderPart) => boolean) => order.parts?.find(match);

export const isPartReservation = (order: Order, reservationId: string) => partOf(order, (p) => p.reservationId === reservationId) !== undefined;
export const isPartTask = (order: Order, taskId: string) => partOf(order, (p) => p.taskId === taskId) !== undefined;

/** The warehouse reserved the order over several stores: one part per store, each with its own delivery task. */
export function splitOrder(command: RecordStockReserved & { parts: ReservedPart[] }, order: Order): OrderDomainEvent[] {
  const parts: OrderPart[] = command.parts.map((reserved, index) => {
    const partId = String(index + 1);
    return {
      partId,
      reservationId: reserved.reservationId,
      storeId: reserved.storeId,
      lines: reserved.lines.map(({ sku, quantity }) => ({ sku, quantity })),
      stage: "reserved",
      // An order routed before it split already has a task: the first part keeps it.
      taskId: index === 0 && order.taskId ? order.taskId : partTaskIdOf(order.orderId, partId),
    };
  });
  const first = parts[0]!;
  const events: OrderDomainEvent[] = [
    { type: "ReservationAnswered", reservationId: command.reservationId, reserved: true },
    { type: "OrderSplit", parts },
  ];
  // The order is listed under the store serving its first part; every part names its own.
  if (first.storeId !== order.storeId) events.push({ type: "StoreRouted", fromStoreId: order.storeId, toStoreId: first.storeId, routing: command.routing ?? [] });
  events.push(transition(order, "reserved", `split over ${parts.length} stores: ${parts.map((p) => `part ${p.partId} at ${p.storeId}`).join(", ")}`));
  const reserved = evolveAll(order, events)!;
  for (const part of parts) {
    events.push(
      part.taskId === order.taskId
        ? replanRequest(reserved, part.taskId, `part ${part.partId} served by ${part.storeId}`, part.storeId)
        : assignmentRequest(reserved, "delivery", part),
    );
  }
  return events;
}

/** Someone was assigned a part's delivery: the part's store is asked to pick it; money is asked for once, at the first. */
export function partTaskAssigned(command: RecordTaskAssigned, order: Order): OrderDomainEvent[] {
  const part = partOf(order, (p) => p.taskId === command.taskId);
  if (!part || terminalStatuses.has(order.status)) return [];
  const events: OrderDomainEvent[] = [{ type: "PartUpdated", partId: part.partId, patch: { assigneeStaffId: command.staffId } }];
  // A reassignment after the first one only changes who.
  if (part.stage !== "reserved") return events;
  events.push(
    { type: "PartUpdated", partId: part.partId, patch: { stage: "assigned" } },
    { type: "ShipmentRequested", reservationId: part.reservationId, fulfillmentMethod: order.fulfillmentMethod, storeId: part.storeId },
  );
  if (!order.settlementId) events.push(settlementRequest(order));
  return followParts(order, events, `every part assigned (part ${part.partId} to ${command.staffId})`);
}

const previousStage = { picked: "assigned", packed: "picked", shipped: "packed" } as const;

/** The warehouse reported a step of one part's way out. */
export function partShipmentProgress(command: RecordShipmentProgress, order: Order): OrderDomainEvent[] {
  const part = partOf(order, (p) => p.reservationId === command.reservationId);
  // Each fact arrives once; one seen again, out of turn or after a cancellation changes nothing.
  if (!part || terminalStatuses.has(order.status) || part.stage !== previousStage[command.stage]) return [];
  const events: OrderDomainEvent[] = [
    { type: "PartUpdated", partId: part.partId, patch: { stage: command.stage, ...(command.trackingNumber ? { trackingNumber: command.trackingNumber } : {}) } },
  ];
  if (command.stage === "shipped" && command.trackingNumber) events.push({ type: "TrackingRecorded", carrier: command.carrier ?? "", trackingNumber: command.trackingNumber });
  return followParts(order, events, `part ${part.partId} ${command.stage} at ${part.storeId}`);
}

/** Which part a delivery is for: the one named, or the only one on its way. */
export function deliveredPart(command: RecordDelivery, order: Order): OrderPart {
  const parts = order.parts ?? [];
  if (command.partId) {
    const named = parts.find((p) => p.partId === command.partId);
    if (!named) throw new ValidationError([{ field: "partId", message: `order ${order.orderId} has no part ${command.partId}; its parts are ${parts.map((p) => p.partId).join(", ")}` }]);
    return named;
  }
  const onTheirWay = parts.filter((p) => p.stage === "shipped");
  if (onTheirWay.length === 1) return onTheirWay[0]!;
  if (onTheirWay.length === 0) throw new IllegalStateError("order.not-deliverable", `no part of order ${order.orderId} is on its way (${order.status})`);
  throw new ValidationError([{ field: "partId", message: `order ${order.orderId} has parts ${onTheirWay.map((p) => p.partId).join(" and ")} on their way: say which one was delivered` }]);
}

/** One part handed over (with its proof); the order is delivered when the last one is. */
export function partDelivered(command: RecordDelivery, order: Order, delivery: Delivery): OrderDomainEvent[] {
  const part = deliveredPart(command, order);
  if (part.stage !== "shipped") {
    throw new IllegalStateError("order.part-not-deliverable", `part ${part.partId} of order ${order.orderId} is ${part.stage}; a part is delivered once it has shipped`);
  }
  const events: OrderDomainEvent[] = [
    { type: "DeliveryRecorded", delivery, part: { partId: part.partId, reservationId: part.reservationId, taskId: part.taskId, storeId: part.storeId } },
    { type: "PartUpdated", partId: part.partId, patch: { stage: "delivered", deliveredAt: delivery.deliveredAt } },
  ];
  return followParts(order, events, `part ${part.partId} delivered: ${delivery.method} at ${delivery.place}, proof: ${delivery.proofKind}`);
}

/** The part's lines as the warehouse is asked for them again (prices are the order's). */
function linesOf(order: Order, part: OrderPart): OrderLine[] {
  return part.lines.map(({ sku, quantity }) => {
    const line = order.lines.find((l) => l.sku === sku);
    const unitPriceMinor = line?.unitPriceMinor ?? 0;
    return { lineId: line?.lineId ?? sku, sku, description: line?.description ?? "", quantity, unitPriceMinor, lineTotalMinor: unitPriceMinor * quantity };
  });
}

/** Ask routing for one part again, to one store that has not turned the order down, under a new reservation id. */
function rerouteRequest(order: Order, part: OrderPart): OrderDomainEvent[] {
  const reservationId = reservationIdOf(order.orderId, (order.reservationAttempt ?? 1) + 1);
  return [
    { type: "PartUpdated", partId: part.partId, patch: { stage: "routing", reservationId } },
    {
      type: "StockReservationRequested",
      reservationId,
      lines: linesOf(order, part),
      priority: order.priority,
      routing: { district: order.region, excludedStoreIds: order.rejectedByStores ?? [], splitAllowed: false },
      partId: part.partId,
    },
  ];
}

/** The store a part was routed to turned it down: that part alone goes back to routing. */
export function partRejected(command: RecordReservationRejected, order: Order): OrderDomainEvent[] {
  const part = partOf(order, (p) => p.reservationId === command.reservationId);
  if (!part || terminalStatuses.has(order.status) || stageRank[part.stage] > stageRank.picked || part.stage === "routing") return [];
  const events: OrderDomainEvent[] = [{ type: "StoreRejected", storeId: command.storeId, reason: command.reason }];
  return [...events, ...rerouteRequest(evolveAll(order, events)!, part)];
}

/** Routing found a store for a part sent back: the part's task moves there (dispatch withdraws an assignee of the old store). */
export function partRerouted(command: RecordStockReserved, order: Order): OrderDomainEvent[] {
  const part = partOf(order, (p) => p.reservationId === command.reservationId);
  if (!part || (part.stage !== "routing" && part.stage !== "awaiting-stock")) return [];
  const storeId = command.storeId ?? part.storeId;
  const events: OrderDomainEvent[] = [{ type: "PartUpdated", partId: part.partId, patch: { stage: "reserved", storeId, assigneeStaffId: undefined } }];
  events.push(replanRequest(evolveAll(order, events)!, part.taskId, `part ${part.partId} routed to ${storeId}`, storeId));
  return events;
}

/** No store can serve the part now: it waits in the queue while the other parts go on. */
export function partShort(reservationId: string, order: Order): OrderDomainEvent[] {
  const part = partOf(order, (p) => p.reservationId === reservationId);
  if (!part || part.stage !== "routing") return [];
  return [{ type: "PartUpdated", partId: part.partId, patch: { stage: "awaiting-stock" } }];
}

/** Stock came in: the first part waiting in the queue is routed again. */
export function retryWaitingPart(order: Order): OrderDomainEvent[] {
  const waiting = partOf(order, (p) => p.stage === "awaiting-stock");
  if (!waiting || terminalStatuses.has(order.status)) return [];
  return rerouteRequest(order, waiting);
}

/** Cancelled before any part shipped: every part's stock goes back to its store. */
export function releaseParts(order: Order, reason: string): OrderDomainEvent[] {
  return (order.parts ?? [])
    .filter((p) => stageRank[p.stage] < stageRank.shipped && p.stage !== "routing" && p.stage !== "awaiting-stock")
    .map((p) => ({ type: "StockReleaseRequested", reservationId: p.reservationId, reason, storeId: p.storeId }));
}

/** A split reservation that is not wanted (the order was cancelled meanwhile, or asked again): each store's part is released. */
export function releaseReserved(command: RecordStockReserved, reason: string): OrderDomainEvent[] {
  const held = command.parts && command.parts.length > 0 ? command.parts : [{ reservationId: command.reservationId, storeId: command.storeId }];
  return held.map((p) => ({ type: "StockReleaseRequested", reservationId: p.reservationId, reason, ...(p.storeId ? { storeId: p.storeId } : {}) }));
}

/** A corrected address or time re-plans every part's delivery still open. */
export function replanOpenParts(order: Order, build: (part: OrderPart) => OrderDomainEvent): OrderDomainEvent[] {
  return (order.parts ?? []).filter((p) => p.stage !== "delivered").map(build);
}

/** A part waits in the queue for stock. */
export const hasWaitingPart = (order: Order) => (order.parts ?? []).some((p) => p.stage === "awaiting-stock");
