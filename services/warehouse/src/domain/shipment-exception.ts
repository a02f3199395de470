import { IllegalStateError, ValidationError, type FieldError } from "@oms/errors";
import type { Reservation, ReservationStatus } from "./reservation.ts";

/**
 * Damage, loss or delay on the goods' way to the customer (DOMAIN.md, Tracking and
 * Warehouse). A clerk may raise an exception but not resolve it: raising records what
 * happened and tells the customer the cause and the next step, by the rules below; the
 * store's managers, customer service and (later) after-sales resolve it.
 */
export const exceptionKinds = ["damaged", "lost", "delayed"] as const;
export type ExceptionKind = (typeof exceptionKinds)[number];

export interface ExceptionReport {
  kind: string;
  cause: string;
  /** For a delay: the new delivery estimate. */
  newEta: string;
}

export interface ShipmentExceptionRaised {
  kind: ExceptionKind;
  cause: string;
  /** What happens now, as the customer is told it. */
  nextStep: string;
  newEta: string;
}

const beforeShipping: readonly ReservationStatus[] = ["reserved", "ready-to-pick", "picked", "packed"];

export function raiseShipmentException(reservation: Reservation, report: ExceptionReport, now: Date): ShipmentExceptionRaised {
  const kind = wellFormed(report, now);
  const cause = report.cause.trim();
  const { status } = reservation;
  if (status === "released") refuse(reservation, "the reservation was released: there are no goods to report on");
  if (status === "handed-over") refuse(reservation, "the customer collected the goods: open an after-sales case instead");
  switch (kind) {
    case "damaged":
      if (beforeShipping.includes(status)) {
        return {
          kind,
          cause,
          newEta: "",
          nextStep: "the store replaces the damaged item from its stock before it leaves; if none is left, you choose to wait, take a substitute or cancel with a refund",
        };
      }
      return { kind, cause, newEta: "", nextStep: "customer service contacts you to send a replacement or refund you; we claim the damage from the carrier" };
    case "lost":
      if (status !== "shipped") refuse(reservation, "only goods on their way with a carrier can be lost in transit; report damage or count the stock instead");
      return { kind, cause, newEta: "", nextStep: "customer service contacts you to send a replacement or refund you; we claim the loss from the carrier" };
    case "delayed":
      if (status !== "shipped") refuse(reservation, "only goods on their way with a carrier can be delayed");
      return { kind, cause, newEta: report.newEta, nextStep: `the carrier now expects to deliver by ${report.newEta}` };
    default: {
      const unknown: never = kind;
      throw new Error(`unknown exception kind ${String(unknown)}`);
    }
  }
}

function wellFormed(report: ExceptionReport, now: Date): ExceptionKind {
  const fields: FieldError[] = [];
  const kind = exceptionKinds.find((k) => k === report.kind);
  if (!kind) fields.push({ field: "kind", message: `must be one of ${exceptionKinds.join(", ")}` });
  if (!report.cause.trim()) fields.push({ field: "cause", message: "is required: the customer is told it" });
  if (kind === "delayed") {
    const eta = Date.parse(report.newEta);
    if (!report.newEta || Number.isNaN(eta)) fields.push({ field: "newEta", message: "a delay needs the new delivery estimate (ISO 8601)" });
    else if (eta <= now.getTime()) fields.push({ field: "newEta", message: "must be in the future" });
  } else if (report.newEta) fields.push({ field: "newEta", message: "is only for a delay" });
  if (fields.length > 0 || !kind) throw new ValidationError(fields);
  return kind;
}

function refuse(reservation: Reservation, why: string): never {
  throw new IllegalStateError("shipment.exception-not-applicable", `reservation ${reservation.reservationId} is ${reservation.status}: ${why}`);
}
