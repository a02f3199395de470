import type { Actor, Delivery, Order } from "./order.ts";

/** Every command says who gives it; the ids it may need come in with it, so decide stays deterministic. */
interface CommandBase {
  actor: Actor;
}

export interface CreateOrder extends CommandBase {
  type: "CreateOrder";
  order: Omit<Order, "status" | "priority" | "classification">;
  /** The channel already confirmed with the customer (paid marketplace order, checkout confirmation). */
  confirmedByChannel: boolean;
}

export interface ConfirmOrder extends CommandBase {
  type: "ConfirmOrder";
}

export interface CancelOrder extends CommandBase {
  type: "CancelOrder";
  reason: string;
}

export interface RecordStockReserved extends CommandBase {
  type: "RecordStockReserved";
  reservationId: string;
}

export interface RecordStockShortage extends CommandBase {
  type: "RecordStockShortage";
  reservationId: string;
  skus: string[];
}

export interface RecordTaskAssigned extends CommandBase {
  type: "RecordTaskAssigned";
  taskId: string;
  staffId: string;
}

/** Warehouse reported a step of the goods' way out: picked, packed, or handed to the carrier. */
export interface RecordShipmentProgress extends CommandBase {
  type: "RecordShipmentProgress";
  reservationId: string;
  stage: "picked" | "packed" | "shipped";
  trackingNumber?: string;
  carrier?: string;
}

export interface RecordDelivery extends CommandBase {
  type: "RecordDelivery";
  delivery: Omit<Delivery, "acceptBy">;
  /** The store's acceptance period, from its settings. */
  acceptancePeriodHours: number;
}

export interface AcceptDelivery extends CommandBase {
  type: "AcceptDelivery";
  /** Set when the acceptance period ran out without an answer (acceptance by rule). */
  byRule?: boolean;
}

export interface RejectDelivery extends CommandBase {
  type: "RejectDelivery";
  reason: string;
}

export interface RecordSettled extends CommandBase {
  type: "RecordSettled";
  settlementId: string;
}

export interface CloseOrder extends CommandBase {
  type: "CloseOrder";
}

/** Stock came in for an order waiting on hold for it: ask the warehouse again. */
export interface RetryReservation extends CommandBase {
  type: "RetryReservation";
}

/** A confirmation deadline passed (follow up, escalate, then cancel by rule). */
export interface ConfirmationDeadlinePassed extends CommandBase {
  type: "ConfirmationDeadlinePassed";
  stage: "follow-up" | "escalation" | "cancellation";
  hoursWaited: number;
  nextStepAt: string;
}

/**
 * Intake applied a supervisor-approved correction (the customer's contact, address, time
 * or notes). Fulfillment keeps what it plans with (region, requested window) and re-plans
 * an open task that depends on it.
 */
export interface ApplyCorrection extends CommandBase {
  type: "ApplyCorrection";
  correctionId: string;
  fields: string[];
  region: string;
  requestedFrom: string;
  requestedUntil: string;
}

export type OrderCommand =
  | ApplyCorrection
  | RecordShipmentProgress
  | RecordDelivery
  | AcceptDelivery
  | RejectDelivery
  | RecordSettled
  | CloseOrder
  | ConfirmationDeadlinePassed
  | RetryReservation
  | CreateOrder
  | ConfirmOrder
  | CancelOrder
  | RecordStockReserved
  | RecordStockShortage
  | RecordTaskAssigned;
