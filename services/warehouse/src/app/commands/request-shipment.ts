import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { advanceReservation } from "../advance-reservation.ts";

/**
 * The order has an assignee and fulfillment asks for the goods: the reservation goes on
 * the store's pick list (ready-to-pick). A request for a reservation on its way already
 * changes nothing. The destination is not kept (personal data; fulfillment holds it).
 */
export async function requestShipment(
  tx: pg.ClientBase,
  outbox: EventAppender,
  request: OrderEventOf<typeof EventTypes.ShipmentRequested>,
  logger: Logger,
): Promise<void> {
  const { reservationId, fulfillmentMethod } = request.payload;
  const command = { type: "RequestShipment", reservationId, fulfillmentMethod } as const;
  const reservation = await advanceReservation(tx, outbox, command, originFrom(request, "warehouse", request.actor));
  logger.info({ reservationId, status: reservation.status, fulfillmentMethod }, "shipment requested");
}
