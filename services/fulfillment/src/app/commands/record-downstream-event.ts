import { randomInt } from "node:crypto";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import type { OrderCommand } from "../../domain/commands.ts";

/** What the saga needs to know beyond the event itself. */
export interface SagaSettings {
  acceptancePeriodHours: number;
  /** How long a store holds a pick-up order at the counter before it is cancelled by rule. */
  pickupHoldHours: number;
}

/** Six random digits: short enough to read out at a counter, and only good for one order's handover. */
function pickupCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, "0");
}

/** The saga's reaction to another service's fact about one order, if it has one. */
export function commandFor(event: OrderEvent, settings: SagaSettings): OrderCommand | undefined {
  switch (event.type) {
    case EventTypes.ServiceReportSubmitted:
      // Dispatch has checked that the reporter is the task's assignee: the report is the service's delivery.
      return {
        type: "RecordDelivery",
        actor: { kind: "staff", id: event.payload.staffId, role: "service-staff" },
        acceptancePeriodHours: settings.acceptancePeriodHours,
        delivery: {
          deliveredAt: event.payload.submittedAt || event.occurredAt.toISOString(),
          place: "on site",
          method: "on-site",
          deliveredBy: event.payload.staffId,
          proofKind: "service-report",
          proofRef: event.payload.reportId,
          collectedMinor: event.payload.collectedMinor,
        },
      };
    case EventTypes.StockReserved:
      return {
        type: "RecordStockReserved",
        reservationId: event.payload.reservationId,
        storeId: event.storeId,
        routing: event.payload.routing,
        parts: event.payload.parts.map((p) => ({ reservationId: p.reservationId, storeId: p.storeId, lines: p.lines.map(({ sku, quantity }) => ({ sku, quantity })) })),
        actor: event.actor,
      };
    case EventTypes.ReservationRejected:
      return { type: "RecordReservationRejected", reservationId: event.payload.reservationId, storeId: event.storeId, reason: event.payload.reason, actor: event.actor };
    case EventTypes.StockShortage:
      return { type: "RecordStockShortage", reservationId: event.payload.reservationId, skus: event.payload.lines.map((l) => l.sku), actor: event.actor };
    case EventTypes.TaskAssigned:
      return { type: "RecordTaskAssigned", taskId: event.payload.taskId, staffId: event.payload.staffId, actor: event.actor };
    case EventTypes.ShipmentPicked:
      return { type: "RecordShipmentProgress", stage: "picked", reservationId: event.payload.reservationId, actor: event.actor };
    case EventTypes.ShipmentPacked:
      return {
        type: "RecordShipmentProgress",
        stage: "packed",
        reservationId: event.payload.reservationId,
        actor: event.actor,
        // Used only if it is a pick-up order; generated here so the domain stays deterministic.
        pickup: { code: pickupCode(), holdHours: settings.pickupHoldHours, at: event.occurredAt.toISOString() },
      };
    case EventTypes.ShipmentDispatched:
      return {
        type: "RecordShipmentProgress",
        stage: "shipped",
        reservationId: event.payload.reservationId,
        carrier: event.payload.carrier,
        trackingNumber: event.payload.trackingNumber,
        at: event.occurredAt.toISOString(),
        actor: event.actor,
      };
    case EventTypes.OrderCorrected: {
      const corrected = event.payload.order;
      if (!corrected) return undefined;
      return {
        type: "ApplyCorrection",
        correctionId: event.payload.correctionId,
        fields: event.payload.fields,
        region: corrected.region,
        requestedFrom: corrected.requestedFrom,
        requestedUntil: corrected.requestedUntil,
        actor: event.actor,
      };
    }
    case EventTypes.ShipmentException: {
      const { kind, cause, nextStep, newEta } = event.payload;
      return { type: "RecordShipmentException", kind, cause, nextStep, newEta, at: event.occurredAt.toISOString(), actor: event.actor };
    }
    case EventTypes.OrderSettled:
      return { type: "RecordSettled", settlementId: event.payload.settlementId, actor: event.actor };
    case EventTypes.CreditDecided:
      return { type: "DecideCredit", approved: event.payload.approved, reason: event.payload.reason, actor: event.actor };
    default:
      return undefined;
  }
}
