import type { Substitution } from "./commands.ts";
import type { CancellationReasonCode } from "./cancellation-reasons.ts";
import type { Delivery, ForceMajeureHold, HoldReason, Order, OrderException, OrderLine, OrderPart, OrderStatus, OrderTotals, PickupReadiness } from "./order.ts";

/** Past-tense facts fulfillment decides; the app layer turns them into contract events. */
export type OrderDomainEvent =
  | { type: "OrderCreated"; order: Order }
  | { type: "StatusChanged"; from: OrderStatus; to: OrderStatus; reason: string; holdReason?: HoldReason }
  | {
      type: "StockReservationRequested";
      reservationId: string;
      lines: OrderLine[];
      priority: number;
      /** Routed across the chain's stores: the customer's district, the stores that turned it down, whether it may split. */
      routing?: { district: string; excludedStoreIds: string[]; splitAllowed: boolean };
      /** Routing again one part of a split order (its store turned it down): the order's own reservation is unchanged. */
      partId?: string;
    }
  | { type: "OrderSplit"; parts: OrderPart[] }
  | { type: "PartUpdated"; partId: string; patch: Partial<Omit<OrderPart, "partId">> }
  | { type: "StoreRouted"; fromStoreId: string; toStoreId: string; routing: string[] }
  | { type: "StoreRejected"; storeId: string; reason: string }
  | { type: "StockReleaseRequested"; reservationId: string; reason: string; storeId?: string }
  | { type: "ReservationAnswered"; reservationId: string; reserved: boolean }
  | {
      type: "AssignmentRequested";
      taskId: string;
      taskKind: "delivery" | "service" | "pickup-handover";
      region: string;
      skills: string[];
      priority: number;
      dueFrom: string;
      dueUntil: string;
      /** A split order's part: the store whose staff deliver it (else the order's store). */
      storeId?: string;
    }
  | { type: "SettlementRequested"; settlementId: string; totals: OrderTotals; paymentMethod: string; prepaid: boolean; channel: string }
  | { type: "AssigneeChanged"; taskId: string; staffId: string }
  | { type: "OrderCancelled"; reason: string; reasonCode: CancellationReasonCode; refundDue: boolean }
  | { type: "ShipmentRequested"; reservationId: string; fulfillmentMethod: string; storeId?: string }
  | { type: "TrackingRecorded"; carrier: string; trackingNumber: string }
  | { type: "DeliveryRecorded"; delivery: Delivery; part?: { partId: string; reservationId: string; taskId: string; storeId: string } }
  | { type: "PaymentCompleted"; settlementId: string }
  | { type: "FollowUpRequested"; reason: string; nextStepAt: string }
  | { type: "Escalated"; level: number; reason: string; escalatedTo: string }
  | { type: "ReadyForPickup"; pickup: PickupReadiness }
  | { type: "ExceptionRaised"; exception: OrderException }
  | { type: "BackorderAccepted"; note: string }
  | { type: "LinesSubstituted"; substitutions: Substitution[]; lines: OrderLine[]; totals: OrderTotals; refundDueMinor: number; absorbedMinor: number }
  | { type: "CorrectionApplied"; correctionId: string; fields: string[]; region: string; requestedFrom: string; requestedUntil: string }
  | { type: "ForceMajeureHeld"; hold: ForceMajeureHold }
  | { type: "HeldWorkNoted"; patch: Partial<Pick<ForceMajeureHold, "heldFrom" | "assignedWhileHeld" | "eventId" | "cause" | "expectedUntil">> }
  | { type: "ForceMajeureResumed"; at: string; how: string }
  | { type: "ForceMajeureChoiceRecorded"; choice: "continue" | "cancel" }
  | { type: "AcceptancePeriodExtended"; acceptBy: string }
  | { type: "WindowRenegotiated"; requestedFrom: string; requestedUntil: string }
  | { type: "AssignmentReplanRequested"; taskId: string; region: string; dueFrom: string; dueUntil: string; reason: string; correctionId: string; storeId: string };
