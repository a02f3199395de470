import type pg from "pg";
import type { Actor } from "@oms/contracts";
import type { ShipmentExceptionRaised } from "../../domain/shipment-exception.ts";

export interface ShipmentExceptionRecord extends ShipmentExceptionRaised {
  exceptionId: string;
  reservationId: string;
  orderId: string;
  raisedAt: Date;
  /** "kind:id" of who raised it. */
  raisedBy: string;
}

/** The exceptions raised on reservations; append-only (the table refuses updates). */
export const shipmentExceptionRepository = {
  async insert(tx: pg.ClientBase, e: Omit<ShipmentExceptionRecord, "raisedAt" | "raisedBy">, actor: Actor): Promise<ShipmentExceptionRecord> {
    const { rows } = await tx.query<{ raised_at: Date }>({
      name: "warehouse.shipment-exceptions.insert",
      text: `INSERT INTO shipment_exceptions (exception_id, reservation_id, order_id, kind, cause, next_step, new_eta, actor_kind, actor_id, actor_role)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING raised_at`,
      values: [e.exceptionId, e.reservationId, e.orderId, e.kind, e.cause, e.nextStep, e.newEta, actor.kind, actor.id, actor.role],
    });
    return { ...e, raisedAt: rows[0]!.raised_at, raisedBy: `${actor.kind}:${actor.id}` };
  },
};
