import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import { withContext, type Logger } from "@oms/observability";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import { decideShipment } from "../../domain/shipment.ts";
import { newStepWrites, takeSteps, writeSteps } from "../advance-reservation.ts";
import type { ShipmentDeadlines } from "../step-deadlines.ts";

/**
 * The order has an assignee and fulfillment asks for the goods: the reservation goes on
 * the store's pick list (ready-to-pick). A request for a reservation on its way already
 * changes nothing. The destination is not kept (personal data; fulfillment holds it).
 *
 * Many shipment requests in three statements: their reservations locked in id order,
 * each decided in memory (an unknown reservation fails the batch, as alone; a released one is skipped),
 * the steps written together. A request moves no stock, so the consumer takes these
 * before it locks any stock row: the hot rows are then held only for what needs them.
 * The reservation's pick deadline starts now (step-deadlines.ts).
 */
export async function requestShipments(
  tx: pg.ClientBase,
  requests: readonly OrderEventOf<typeof EventTypes.ShipmentRequested>[],
  logger: Logger,
  deadlines: ShipmentDeadlines,
): Promise<void> {
  if (requests.length === 0) return;
  const reservations = await reservationRepository.findMany(tx, requests.map((r) => r.payload.reservationId), { lock: true });
  // A request announces nothing (it is fulfillment's own) and moves no stock: only the steps and their time nodes are written.
  const steps = newStepWrites();
  for (const request of requests) {
    const { reservationId, fulfillmentMethod } = request.payload;
    const current = reservations.get(reservationId);
    const log = withContext(logger, { orderId: request.orderId, correlationId: request.correlationId });
    if (current?.status === "released") {
      // An expected race, not a poison message: the store turned the order down (or it was
      // cancelled) before fulfillment heard of it; fulfillment routes it again or has let it go.
      log.info({ reservationId }, "shipment requested for a released reservation; nothing to pick");
      continue;
    }
    const decided = decideShipment({ type: "RequestShipment", reservationId, fulfillmentMethod }, current);
    const next = await takeSteps(tx, current!, decided, originFrom(request, "warehouse", request.actor), steps); // decideShipment refused an unknown reservation
    reservations.set(reservationId, next);
    log.info({ reservationId, status: next.status, fulfillmentMethod }, "shipment requested");
  }
  await writeSteps(tx, steps, deadlines);
}
