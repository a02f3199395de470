import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import { orderRepository, type StoredOrder } from "../../adapters/pg/order-repository.ts";
import { customersMaySee } from "../../domain/timeline-kinds.ts";
import { timelineRepository, type TimelineEntry } from "../../adapters/pg/timeline-repository.ts";

/** One order with its whole timeline, for customers and staff (from the pool, or inside a transaction). */
export async function getOrder(db: pg.Pool | pg.ClientBase, orderId: string): Promise<fulfillmentApi.OrderView> {
  if (!orderId) throw new ValidationError([{ field: "orderId", message: "is required" }]);
  const view = (await getOrders(db, [orderId])).get(orderId);
  if (!view) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
  return view;
}

/**
 * Several orders with their timelines in two statements, for answering a batch of
 * commands; an id with no order is missing from the map.
 */
export async function getOrders(db: pg.Pool | pg.ClientBase, orderIds: readonly string[]): Promise<Map<string, fulfillmentApi.OrderView>> {
  const stored = await orderRepository.findMany(db, orderIds);
  const timelines = await timelineRepository.ofOrders(db, orderIds);
  return new Map([...stored].map(([orderId, order]) => [orderId, toOrderView(order, timelines.get(orderId) ?? [])]));
}

export function toOrderView({ order, createdAt, updatedAt }: StoredOrder, timeline: TimelineEntry[]): fulfillmentApi.OrderView {
  return {
    orderId: order.orderId,
    storeId: order.storeId,
    channel: order.channel,
    channelOrderId: order.channelOrderId,
    kind: order.kind,
    status: order.status,
    priority: order.priority,
    totals: order.totals,
    classification: order.classification,
    assigneeStaffId: order.assigneeStaffId ?? "",
    trackingNumber: order.trackingNumber ?? "",
    reservationId: order.reservationId ?? "",
    taskId: order.taskId ?? "",
    fulfillmentMethod: order.fulfillmentMethod,
    holdReason: order.holdReason ?? "",
    pickupReadyAt: order.pickup?.readyAt ?? "",
    pickupCollectBy: order.pickup?.collectBy ?? "",
    pickupCode: order.pickup?.code ?? "",
    parts: (order.parts ?? []).map((part) => ({
      partId: part.partId,
      storeId: part.storeId,
      reservationId: part.reservationId,
      taskId: part.taskId,
      stage: part.stage,
      lines: part.lines.map((l) => ({ ...l, location: "" })),
      assigneeStaffId: part.assigneeStaffId ?? "",
      trackingNumber: part.trackingNumber ?? "",
      deliveredAt: part.deliveredAt ?? "",
    })),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
    timeline: timeline.map((t) => ({
      at: t.at.toISOString(),
      service: t.service,
      what: t.what,
      detail: t.detail,
      actor: t.actor,
      eventId: t.eventId,
      kind: t.kind,
      customerVisible: customersMaySee(t.kind),
      facts: customersMaySee(t.kind) ? { ...t.facts } : {},
    })),
  };
}
