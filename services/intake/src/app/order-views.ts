import type { fulfillmentApi } from "@oms/contracts";
import type { IntakeOrderRecord, IntakeOrderStatus } from "../adapters/pg/order-repository.ts";
import type { ReviewRecord } from "../adapters/pg/review-repository.ts";
import type { OrderTotals } from "../domain/totals.ts";

/** The answer to an accepted order: no personal data, only what identifies and prices it. */
export interface OrderAcceptedView {
  orderId: string;
  status: IntakeOrderStatus;
  /** The manual review the order waits for (202), or went through. */
  reviewId?: string | undefined;
  storeId: string;
  channel: string;
  channelOrderId: string;
  kind: string;
  totals: OrderTotals;
  confirmedByChannel: boolean;
  receivedAt: string;
}

export interface TimelineEntryView {
  at: string;
  service: string;
  what: string;
  /** Staff's wording; to a customer or a marketplace, theirs, built from the step's facts (order-as-the-customer-sees.ts). */
  detail: string;
  actor: string;
  /** What the step is, from fulfillment's closed set ("unknown" when an old step could not be told). */
  kind: string;
  /** Whether the order's customer and marketplace may see the step (fulfillment's decision by its kind). */
  customerVisible: boolean;
  /** The structured facts the customer's wording is built from; empty for a step customers do not see. */
  facts: Record<string, string>;
}

/** Where an order stands and how it got there, for customers and staff. */
export interface OrderStatusView {
  orderId: string;
  storeId: string;
  channel: string;
  channelOrderId: string;
  kind: string;
  fulfillmentMethod: string;
  status: string;
  /** Why the order waits (e.g. "awaiting-stock") while it is on hold. */
  holdReason?: string | undefined;
  /** Why a reviewer rejected the order (status "rejected"). */
  rejectionReason?: string | undefined;
  /** The manual review the order waits for or went through. */
  reviewId?: string | undefined;
  priority: number;
  totals?: OrderTotals | undefined;
  classification: string[];
  assigneeStaffId?: string | undefined;
  trackingNumber?: string | undefined;
  /** The warehouse reservation (goods) a clerk picks, packs and ships; ids contain slashes. */
  reservationId?: string | undefined;
  /** The dispatch task of the order's assignee. */
  taskId?: string | undefined;
  /** A pick-up order waiting at the counter; the code is shown to the customer only. */
  pickup?: { readyAt: string; collectBy: string; code?: string | undefined } | undefined;
  /** A split order: each store's part, shipped and delivered on its own. */
  parts?: OrderPartView[] | undefined;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntryView[];
}

export interface OrderPartView {
  partId: string;
  storeId: string;
  stage: string;
  lines: { sku: string; quantity: number }[];
  reservationId: string;
  taskId: string;
  assigneeStaffId?: string | undefined;
  trackingNumber?: string | undefined;
  deliveredAt?: string | undefined;
}

/** An order in a list: where it stands, without its timeline. */
export type OrderSummaryView = Omit<OrderStatusView, "timeline">;

export interface OrderListView {
  orders: OrderSummaryView[];
  /** Pass as pageToken for the next page; absent on the last page. */
  nextPageToken?: string | undefined;
}

const noTotals: OrderTotals = { linesMinor: 0, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 0, currency: "" };

export function acceptedViewOf(order: IntakeOrderRecord): OrderAcceptedView {
  return {
    orderId: order.orderId,
    status: order.status,
    reviewId: order.reviewId,
    storeId: order.storeId,
    channel: order.channel,
    channelOrderId: order.channelOrderId,
    kind: order.kind,
    totals: order.canonical.totals ?? noTotals,
    confirmedByChannel: order.canonical.confirmedByChannel,
    receivedAt: order.receivedAt.toISOString(),
  };
}

export function statusViewOf(view: fulfillmentApi.OrderView): OrderStatusView {
  return {
    ...summaryViewOf(view),
    timeline: view.timeline.map(({ at, service, what, detail, actor, kind, customerVisible, facts }) => ({
      at,
      service,
      what,
      detail,
      actor,
      // A fulfillment that predates kinds answers none: unknown, which no customer sees.
      kind: kind || "unknown",
      customerVisible,
      facts: { ...facts },
    })),
  };
}

export function summaryViewOf(view: fulfillmentApi.OrderView): OrderSummaryView {
  return {
    orderId: view.orderId,
    storeId: view.storeId,
    channel: view.channel,
    channelOrderId: view.channelOrderId,
    kind: view.kind,
    fulfillmentMethod: view.fulfillmentMethod,
    status: view.status,
    holdReason: view.holdReason || undefined,
    priority: view.priority,
    totals: view.totals,
    classification: view.classification,
    assigneeStaffId: view.assigneeStaffId || undefined,
    trackingNumber: view.trackingNumber || undefined,
    reservationId: view.reservationId || undefined,
    taskId: view.taskId || undefined,
    pickup: view.pickupReadyAt ? { readyAt: view.pickupReadyAt, collectBy: view.pickupCollectBy } : undefined,
    parts: view.parts.length > 0 ? view.parts.map(partViewOf) : undefined,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

function partViewOf(part: fulfillmentApi.OrderPartView): OrderPartView {
  return {
    partId: part.partId,
    storeId: part.storeId,
    stage: part.stage,
    lines: part.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    reservationId: part.reservationId,
    taskId: part.taskId,
    assigneeStaffId: part.assigneeStaffId || undefined,
    trackingNumber: part.trackingNumber || undefined,
    deliveredAt: part.deliveredAt || undefined,
  };
}

export function listViewOf(page: fulfillmentApi.ListOrdersResponse): OrderListView {
  return { orders: page.orders.map(summaryViewOf), nextPageToken: page.nextPageToken || undefined };
}

/**
 * An order as intake's own record tells it, while fulfillment does not have it: received
 * (a moment before fulfillment takes over), in review, or rejected by a reviewer (with the reason).
 */
export function intakeViewOf(order: IntakeOrderRecord, review?: ReviewRecord): OrderStatusView {
  const at = order.receivedAt.toISOString();
  const timeline: TimelineEntryView[] = [
    { at, service: "intake", what: "order.received", detail: `via ${order.channel}`, actor: order.actor, kind: "order-received", customerVisible: true, facts: { channel: order.channel } },
  ];
  // The review is the store's own check (its reasons name the rules an order tripped, its decision the reviewer's words): staff's steps.
  if (review) {
    const reviewStep = { service: "intake", kind: "review", customerVisible: false, facts: {} };
    timeline.push({ ...reviewStep, at: review.requestedAt.toISOString(), what: "review.requested", detail: review.reasons.join("; "), actor: "system:intake" });
    if (review.status !== "pending" && review.decidedAt) {
      timeline.push({ ...reviewStep, at: review.decidedAt.toISOString(), what: `review.${review.status}`, detail: review.decisionText ?? "", actor: review.decidedBy ?? "" });
    }
  }
  return {
    orderId: order.orderId,
    storeId: order.storeId,
    channel: order.channel,
    channelOrderId: order.channelOrderId,
    kind: order.kind,
    fulfillmentMethod: order.canonical.fulfillmentMethod,
    status: order.status,
    rejectionReason: order.status === "rejected" ? review?.decisionText : undefined,
    reviewId: order.reviewId,
    priority: 0,
    totals: order.canonical.totals,
    classification: [],
    createdAt: at,
    updatedAt: timeline.at(-1)!.at,
    timeline,
  };
}
