import { randomInt } from "node:crypto";
import type pg from "pg";
import { EventTypes, storeLevelEventTypes, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import { timelineRepository } from "../../adapters/pg/timeline-repository.ts";
import type { OrderCommand } from "../../domain/commands.ts";
import { timelineEntryOf } from "../contract-events.ts";
import { causedBy } from "../event-cause.ts";
import { executeOrderCommand } from "../execute-order-command.ts";
import { leftTheQueue, releaseNextBackorder } from "./release-backorders.ts";

/**
 * What another service reported about an order: always a timeline line, and for the
 * facts the saga waits on, the command that moves the order on.
 */
export async function recordDownstreamEvent(tx: pg.ClientBase, outbox: OutboxWriter, event: OrderEvent, settings: SagaSettings): Promise<void> {
  if (storeLevelEventTypes.has(event.type)) {
    // Not about one order: stock arrived (or a count found more); the first order waiting for it goes on.
    const moreStock =
      event.type === EventTypes.StockReceived || (event.type === EventTypes.StockCounted && event.payload.difference > 0);
    if (moreStock) await releaseNextBackorder(tx, outbox, event.storeId, [event.payload.sku], causedBy(event));
    return;
  }
  await timelineRepository.append(tx, [timelineEntryOf(event)]);
  const command = commandFor(event, settings);
  if (!command) return;
  const before = await orderRepository.find(tx, event.orderId);
  const after = await executeOrderCommand(tx, outbox, event.orderId, command, causedBy(event));
  if (event.type === EventTypes.StockReserved && leftTheQueue(before?.order, after)) {
    await releaseNextBackorder(tx, outbox, after.storeId, after.lines.map((l) => l.sku), causedBy(event));
  }
}

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
          collectedMinor: 0,
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
    default:
      return undefined;
  }
}
