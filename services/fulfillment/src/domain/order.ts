/**
 * The order as fulfillment owns it. Pure data: the state machine lives in
 * transitions.ts, the decisions in decide.ts, the state changes in evolve.ts.
 */

export const orderStatuses = [
  "received",
  "awaiting-confirmation",
  "confirmed",
  "credit-checked",
  "reserved",
  "assigned",
  "picked",
  "packed",
  "shipped",
  // A split order: some of its parts are on their way (or delivered), the others not yet.
  "partially-shipped",
  "partially-delivered",
  "delivered",
  "accepted",
  "completed",
  "settled",
  "closed",
  "on-hold",
  "cancelled",
  "rejected",
  "rework",
] as const;

export type OrderStatus = (typeof orderStatuses)[number];

export type OrderKind = "goods" | "service";

export interface OrderLine {
  lineId: string;
  sku: string;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

export interface OrderTotals {
  linesMinor: number;
  discountMinor: number;
  shippingFeeMinor: number;
  serviceFeeMinor: number;
  taxMinor: number;
  grandTotalMinor: number;
  currency: string;
}

/** Who did something: every transition records it (DOMAIN.md: who, when, why). */
export interface Actor {
  kind: "staff" | "customer" | "platform" | "system";
  id: string;
  role: string;
}

/** Why an order is on hold; what it waits for decides what releases it. */
export type HoldReason = "awaiting-stock" | "awaiting-credit" | "awaiting-customer" | "awaiting-payment" | "force-majeure";

/**
 * Work on the order paused by an event outside anyone's control (ADR 027): where it was
 * held from is where it resumes, and what happened to it meanwhile is kept here.
 */
export interface ForceMajeureHold {
  /** The declaration (its caller's id) that held the order. */
  eventId: string;
  /** As the customer is told it: what happened, without personal data. */
  cause: string;
  heldFrom: OrderStatus;
  /** Held while already on hold for something else: what it waits for again afterwards. */
  heldFromReason?: HoldReason;
  heldAt: string;
  expectedUntil?: string;
  /** Dispatch gave the order's task to someone while it was held (it waited for that): caught up on resuming. */
  assignedWhileHeld?: string;
  resumedAt?: string;
  /** The customer's answer, once given. */
  choice?: "continue" | "cancel";
}

export interface Order {
  orderId: string;
  storeId: string;
  channel: string;
  channelOrderId: string;
  kind: OrderKind;
  fulfillmentMethod: string;
  region: string;
  customerId: string;
  vip: boolean;
  lines: OrderLine[];
  totals: OrderTotals;
  paymentMethod: string;
  prepaid: boolean;
  tags: string[];
  requestedFrom: string;
  requestedUntil: string;
  status: OrderStatus;
  holdReason?: HoldReason;
  priority: number;
  classification: string[];
  reservationId?: string;
  /** How many reservations were asked for (a backorder asks again when stock comes in). */
  reservationAttempt?: number;
  /** A reservation was asked for and the warehouse has not answered yet. */
  reservationPending?: boolean;
  taskId?: string;
  settlementId?: string;
  assigneeStaffId?: string;
  trackingNumber?: string;
  /** Billing reported every amount due as paid. */
  paid?: boolean;
  delivery?: Delivery;
  /** Money taken at the door over all of the order's deliveries (its parts', a redelivery's), in minor units. */
  collectedAtDoorMinor?: number;
  /** How many times a delivery was refused and redone. */
  reworkCount?: number;
  /** A pick-up order waiting at the counter. */
  pickup?: PickupReadiness;
  /** Routed across the chain's stores (a ship order): `storeId` is the store that serves it. */
  routed?: boolean;
  /** The store that took the order, when routing sent it to another one. */
  takenByStoreId?: string;
  /** Stores that turned the order down; routing tries the others. */
  rejectedByStores?: string[];
  /** Damage, loss or delay reported on the order's way, as the customer was told it. */
  exceptions?: OrderException[];
  /** Lines may ship separately: the customer accepted it, or the store's rule allows it. */
  partialShipmentAllowed?: boolean;
  /** A split order: one part per store serving some of its lines (see parts.ts). */
  parts?: OrderPart[];
  /** Held (or once held) for force majeure, ADR 027. */
  forceMajeure?: ForceMajeureHold;
  /** How often work resumed after force majeure: timers started afresh are named by it. */
  forceMajeureRound?: number;
}

/**
 * Where one part of a split order is: being routed (after its store turned it down),
 * waiting in the queue for stock, or on the goods' way from reserved to delivered.
 */
export const partStages = ["routing", "awaiting-stock", "reserved", "assigned", "picked", "packed", "shipped", "delivered"] as const;
export type PartStage = (typeof partStages)[number];

/** Part of a split order: its own store, reservation, delivery task, parcel and delivery. */
export interface OrderPart {
  /** "1", "2", … in the order routing allocated them. */
  partId: string;
  reservationId: string;
  storeId: string;
  lines: PartLine[];
  stage: PartStage;
  taskId: string;
  assigneeStaffId?: string;
  trackingNumber?: string;
  deliveredAt?: string;
}

export interface PartLine {
  sku: string;
  quantity: number;
}

export interface OrderException {
  kind: string;
  cause: string;
  nextStep: string;
  newEta: string;
  at: string;
}

/**
 * DOMAIN.md / issue: buy online, pick up in store. The store prepares the order, the
 * customer is told it is ready, and hands over their pick-up code at the counter; an
 * order nobody collects by `collectBy` is cancelled by rule (stock back, money back).
 */
export interface PickupReadiness {
  /** Six digits, generated when the order is packed; the customer reads it on their order. */
  code: string;
  readyAt: string;
  collectBy: string;
}

export interface Delivery {
  deliveredAt: string;
  place: string;
  method: string;
  deliveredBy: string;
  /** A service order's proof is its delivery report (self-inspection passed). */
  proofKind: "signature" | "photo" | "one-time-code" | "service-report";
  proofRef: string;
  collectedMinor: number;
  /** Past this, the delivery counts as accepted unless the customer refused it. */
  acceptBy: string;
}
