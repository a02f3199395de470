import type { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import * as aftersales from "./gen/oms/events/v1/aftersales.ts";
import * as billing from "./gen/oms/events/v1/billing.ts";
import * as catalogue from "./gen/oms/events/v1/catalogue.ts";
import * as dispatch from "./gen/oms/events/v1/dispatch.ts";
import * as fulfillment from "./gen/oms/events/v1/fulfillment.ts";
import * as intake from "./gen/oms/events/v1/intake.ts";
import * as warehouse from "./gen/oms/events/v1/warehouse.ts";

interface PayloadCodec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromPartial(object: unknown): T;
}

/**
 * Every event type and its payload codec. The key is the payload's fully qualified
 * protobuf name, which is what travels in the envelope's `event_type`.
 */
export const eventCodecs = {
  "oms.events.v1.OrderReceived": intake.OrderReceived,
  "oms.events.v1.OrderReviewRequested": intake.OrderReviewRequested,
  "oms.events.v1.OrderReviewApproved": intake.OrderReviewApproved,
  "oms.events.v1.OrderReviewRejected": intake.OrderReviewRejected,
  "oms.events.v1.OrderCorrectionRequested": intake.OrderCorrectionRequested,
  "oms.events.v1.OrderCorrected": intake.OrderCorrected,
  "oms.events.v1.OrderCorrectionRejected": intake.OrderCorrectionRejected,
  "oms.events.v1.OrderCreated": fulfillment.OrderCreated,
  "oms.events.v1.OrderStatusChanged": fulfillment.OrderStatusChanged,
  "oms.events.v1.OrderParcelShipped": fulfillment.OrderParcelShipped,
  "oms.events.v1.StockReservationRequested": fulfillment.StockReservationRequested,
  "oms.events.v1.StockReleaseRequested": fulfillment.StockReleaseRequested,
  "oms.events.v1.ShipmentRequested": fulfillment.ShipmentRequested,
  "oms.events.v1.AssignmentRequested": fulfillment.AssignmentRequested,
  "oms.events.v1.SettlementRequested": fulfillment.SettlementRequested,
  "oms.events.v1.OrderCancelled": fulfillment.OrderCancelled,
  "oms.events.v1.DeliveryRecorded": fulfillment.DeliveryRecorded,
  "oms.events.v1.OrderFollowUpRequested": fulfillment.OrderFollowUpRequested,
  "oms.events.v1.OrderEscalated": fulfillment.OrderEscalated,
  "oms.events.v1.AssignmentReplanRequested": fulfillment.AssignmentReplanRequested,
  "oms.events.v1.OrderReadyForPickup": fulfillment.OrderReadyForPickup,
  "oms.events.v1.OrderLinesSubstituted": fulfillment.OrderLinesSubstituted,
  "oms.events.v1.BackorderAccepted": fulfillment.BackorderAccepted,
  "oms.events.v1.OrderExceptionRaised": fulfillment.OrderExceptionRaised,
  "oms.events.v1.OrderRouted": fulfillment.OrderRouted,
  "oms.events.v1.StockReserved": warehouse.StockReserved,
  "oms.events.v1.StockShortage": warehouse.StockShortage,
  "oms.events.v1.StockReleased": warehouse.StockReleased,
  "oms.events.v1.ReservationRejected": warehouse.ReservationRejected,
  "oms.events.v1.ShipmentDispatched": warehouse.ShipmentDispatched,
  "oms.events.v1.ShipmentPicked": warehouse.ShipmentPicked,
  "oms.events.v1.ShipmentPacked": warehouse.ShipmentPacked,
  "oms.events.v1.StockCounted": warehouse.StockCounted,
  "oms.events.v1.StockReceived": warehouse.StockReceived,
  "oms.events.v1.ShipmentException": warehouse.ShipmentException,
  "oms.events.v1.ShipmentStepOverdue": warehouse.ShipmentStepOverdue,
  "oms.events.v1.ReturnReceived": warehouse.ReturnReceived,
  "oms.events.v1.ReturnCalledOff": warehouse.ReturnCalledOff,
  "oms.events.v1.ReplacementReserved": warehouse.ReplacementReserved,
  "oms.events.v1.ReplacementAwaitingStock": warehouse.ReplacementAwaitingStock,
  "oms.events.v1.ReplacementPicked": warehouse.ReplacementPicked,
  "oms.events.v1.ReplacementPacked": warehouse.ReplacementPacked,
  "oms.events.v1.ReplacementShipped": warehouse.ReplacementShipped,
  "oms.events.v1.ReplacementCalledOff": warehouse.ReplacementCalledOff,
  "oms.events.v1.ReplacementMoved": warehouse.ReplacementMoved,
  "oms.events.v1.ReplacementShipOverdue": warehouse.ReplacementShipOverdue,
  "oms.events.v1.RestockExpected": warehouse.RestockExpected,
  "oms.events.v1.ReplacementRestockExpected": warehouse.ReplacementRestockExpected,
  "oms.events.v1.TaskAssigned": dispatch.TaskAssigned,
  "oms.events.v1.AssignmentAcknowledged": dispatch.AssignmentAcknowledged,
  "oms.events.v1.TaskQueued": dispatch.TaskQueued,
  "oms.events.v1.AssignmentDeclined": dispatch.AssignmentDeclined,
  "oms.events.v1.AssignmentExpired": dispatch.AssignmentExpired,
  "oms.events.v1.AssignmentWithdrawn": dispatch.AssignmentWithdrawn,
  "oms.events.v1.ServiceAppointmentConfirmed": dispatch.ServiceAppointmentConfirmed,
  "oms.events.v1.ServiceCheckedIn": dispatch.ServiceCheckedIn,
  "oms.events.v1.ServiceException": dispatch.ServiceException,
  "oms.events.v1.ServiceRecordWritten": dispatch.ServiceRecordWritten,
  "oms.events.v1.ServiceReportSubmitted": dispatch.ServiceReportSubmitted,
  "oms.events.v1.ServiceReworkStarted": dispatch.ServiceReworkStarted,
  "oms.events.v1.StepOverdue": dispatch.StepOverdue,
  "oms.events.v1.ServiceVisitRescheduled": dispatch.ServiceVisitRescheduled,
  "oms.events.v1.AfterSalesVisitReported": dispatch.AfterSalesVisitReported,
  "oms.events.v1.SettlementPrepared": billing.SettlementPrepared,
  "oms.events.v1.PaymentConfirmed": billing.PaymentConfirmed,
  "oms.events.v1.OrderSettled": billing.OrderSettled,
  "oms.events.v1.RefundIssued": billing.RefundIssued,
  "oms.events.v1.InvoiceIssued": billing.InvoiceIssued,
  "oms.events.v1.CreditDecided": billing.CreditDecided,
  "oms.events.v1.CollectionStarted": billing.CollectionStarted,
  "oms.events.v1.ReconciliationCompleted": billing.ReconciliationCompleted,
  "oms.events.v1.ReconciliationDifferenceFound": billing.ReconciliationDifferenceFound,
  "oms.events.v1.ReconciliationDifferenceExplained": billing.ReconciliationDifferenceExplained,
  "oms.events.v1.SettlementDisputeOpened": billing.SettlementDisputeOpened,
  "oms.events.v1.SettlementDisputeFindingAdded": billing.SettlementDisputeFindingAdded,
  "oms.events.v1.SettlementDisputeResolved": billing.SettlementDisputeResolved,
  "oms.events.v1.SettlementDisputeEscalated": billing.SettlementDisputeEscalated,
  "oms.events.v1.CaseRefundShortfall": billing.CaseRefundShortfall,
  "oms.events.v1.CarrierRecoveryReceived": billing.CarrierRecoveryReceived,
  "oms.events.v1.CarrierReceiptReversed": billing.CarrierReceiptReversed,
  "oms.events.v1.CarrierRecoveryOverdue": billing.CarrierRecoveryOverdue,
  "oms.events.v1.CaseOpened": aftersales.CaseOpened,
  "oms.events.v1.CaseAccepted": aftersales.CaseAccepted,
  "oms.events.v1.CaseDeclined": aftersales.CaseDeclined,
  "oms.events.v1.ComplaintAnswered": aftersales.ComplaintAnswered,
  "oms.events.v1.CaseOverdue": aftersales.CaseOverdue,
  "oms.events.v1.CaseResolved": aftersales.CaseResolved,
  "oms.events.v1.SatisfactionRecorded": aftersales.SatisfactionRecorded,
  "oms.events.v1.RefundShortfallSettled": aftersales.RefundShortfallSettled,
  "oms.events.v1.CarrierClaimFiled": aftersales.CarrierClaimFiled,
  "oms.events.v1.CarrierClaimSettled": aftersales.CarrierClaimSettled,
  "oms.events.v1.CarrierClaimRejected": aftersales.CarrierClaimRejected,
  "oms.events.v1.VisitRejected": aftersales.VisitRejected,
  "oms.events.v1.StorePublished": catalogue.StorePublished,
  "oms.events.v1.PriceListItemPublished": catalogue.PriceListItemPublished,
  "oms.events.v1.PriceListItemWithdrawn": catalogue.PriceListItemWithdrawn,
  "oms.events.v1.StorePricePublished": catalogue.StorePricePublished,
  "oms.events.v1.StorePriceRemoved": catalogue.StorePriceRemoved,
} as const satisfies Record<string, PayloadCodec<any>>;

export type EventType = keyof typeof eventCodecs;

export type PayloadOf<T extends EventType> = ReturnType<(typeof eventCodecs)[T]["decode"]>;

/** Short names, so code says `EventTypes.OrderReceived` and never spells the string. */
export const EventTypes = Object.fromEntries(
  Object.keys(eventCodecs).map((type) => [type.slice(type.lastIndexOf(".") + 1), type]),
) as { [K in EventType as K extends `oms.events.v1.${infer Short}` ? Short : never]: K };

/** The schema version every payload is written with today; see docs/adr/003. */
export const CURRENT_SCHEMA_VERSION = 1;

export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(eventCodecs, type);
}

/**
 * Events about a store or the chain rather than one order (its stock; a reconciliation of
 * its money, ADR 023; what it publishes, ADR 028): they carry no order id and belong in no
 * order's dossier or timeline.
 */
export const storeLevelEventTypes: ReadonlySet<string> = new Set<EventType>([
  "oms.events.v1.StockCounted",
  "oms.events.v1.StockReceived",
  "oms.events.v1.RestockExpected",
  "oms.events.v1.ReconciliationCompleted",
  "oms.events.v1.StorePublished",
  "oms.events.v1.PriceListItemPublished",
  "oms.events.v1.PriceListItemWithdrawn",
  "oms.events.v1.StorePricePublished",
  "oms.events.v1.StorePriceRemoved",
]);
