import { randomUUID } from "node:crypto";
import type pg from "pg";
import { EventTypes, newEvent, type Actor, type warehouseApi } from "@oms/contracts";
import { ForbiddenError, NotFoundError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { withTransaction } from "@oms/postgres";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import { shipmentExceptionRepository, type ShipmentExceptionRecord } from "../../adapters/pg/shipment-exception-repository.ts";
import { raiseShipmentException } from "../../domain/shipment-exception.ts";
import { staffActorOf } from "../caller.ts";

/**
 * A clerk raises damage, loss or delay (or the carrier's platform reports it): recorded
 * with who and when, and ShipmentException tells the order (and through it the customer)
 * the cause and the next step. The reservation itself does not move: raising is not resolving.
 */
export async function reportShipmentException(
  pool: pg.Pool,
  outbox: OutboxWriter,
  request: warehouseApi.ReportShipmentExceptionRequest,
  now: () => Date = () => new Date(),
): Promise<ShipmentExceptionRecord> {
  const actor = reporterOf(request.caller);
  return withTransaction(pool, async (tx) => {
    // Locked, so an exception and a step (ship, hand over) never cross on the same reservation.
    const reservation = await reservationRepository.find(tx, request.reservationId, { lock: true });
    if (!reservation) throw new NotFoundError("reservation.not-found", `no reservation ${request.reservationId}`);
    const raised = raiseShipmentException(reservation, { kind: request.kind, cause: request.cause, newEta: request.newEta }, now());
    const record = await shipmentExceptionRepository.insert(
      tx,
      { ...raised, exceptionId: randomUUID(), reservationId: reservation.reservationId, orderId: reservation.orderId },
      actor,
    );
    const origin = { producer: "warehouse", orderId: reservation.orderId, storeId: reservation.storeId, actor, correlationId: request.correlationId };
    await outbox.append(tx, [
      newEvent(
        EventTypes.ShipmentException,
        { shipmentId: reservation.dispatch?.shipmentId ?? "", reservationId: reservation.reservationId, kind: raised.kind, cause: raised.cause, nextStep: raised.nextStep, newEta: raised.newEta },
        origin,
      ),
    ]);
    return record;
  });
}

/** The store's warehouse staff raise exceptions; so may a carrier's platform, for goods it carries. */
function reporterOf(caller: warehouseApi.Caller | undefined): Actor {
  if (caller?.kind === "platform" && caller.id) return { kind: "platform", id: caller.id, role: caller.role || "carrier" };
  const actor = staffActorOf(caller);
  if (actor.role !== "warehouse-clerk" && actor.role !== "store-manager") {
    throw new ForbiddenError("warehouse.exception-by-clerk", `a warehouse clerk, the store manager or the carrier raises a shipment exception; the caller is ${actor.role}`);
  }
  return actor;
}
