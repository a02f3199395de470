import { IllegalStateError, ValidationError } from "@oms/errors";
import type { Reservation } from "./reservation.ts";

/**
 * A store turns down an order routing sent it (damaged stock, no staff to serve it): the
 * reservation's stock goes back and routing tries the next store. Only a routed order can
 * be turned down (an order taken by the store itself is cancelled instead), and only
 * before its goods are packed: after that the store has done the work.
 */
export function assertRejectable(reservation: Reservation, routed: boolean, reason: string): string {
  const why = reason.trim();
  if (!why) throw new ValidationError([{ field: "reason", message: "is required: the order's timeline shows it" }]);
  if (!routed) {
    throw new IllegalStateError("reservation.not-routed", `reservation ${reservation.reservationId} was not routed to this store; cancel the order instead`);
  }
  if (reservation.status !== "reserved" && reservation.status !== "ready-to-pick" && reservation.status !== "picked") {
    throw new IllegalStateError("reservation.not-rejectable", `reservation ${reservation.reservationId} is ${reservation.status}; a store turns an order down before it is packed`);
  }
  return why;
}
