import type { warehouseApi } from "@oms/contracts";
import { ValidationError, type DomainError, type FieldError } from "@oms/errors";
import { answeredOrThrow } from "@oms/postgres";
import type { Reservation } from "../../domain/reservation.ts";
import { staffActorOf } from "../caller.ts";
import type { ClerkCommand, RunClerkWave } from "../clerk-steps.ts";

/** The most reservations one wave may carry: a cart, a carrier's collection, not a day's work. */
export const MAX_WAVE_ITEMS = 200;

const commandOfStep: Record<string, (item: warehouseApi.WaveItem) => ClerkCommand> = {
  pick: ({ reservationId }) => ({ type: "PickReservation", reservationId }),
  pack: ({ reservationId, parcels }) => ({ type: "PackReservation", reservationId, parcels }),
  ship: ({ reservationId, carrier, trackingNumber }) => ({ type: "ShipReservation", reservationId, carrier, trackingNumber }),
};

/** One reservation of a wave: as it is afterwards, or the refusal its step alone would have met. */
export type WaveOutcome = { reservationId: string; reservation: Reservation } | { reservationId: string; refusal: DomainError };

/**
 * A clerk's wave: the same step for several reservations, in one call and committed
 * together. Each reservation is decided on its own, so a refused one (not picked yet,
 * already shipped) is answered with why and the rest are taken; anything else fails the
 * wave (answeredOrThrow).
 */
export async function workWave(runWave: RunClerkWave, request: warehouseApi.WaveRequest): Promise<WaveOutcome[]> {
  const actor = staffActorOf(request.caller);
  const commandOf = wellFormedWave(request);
  const cause = { actor, correlationId: request.correlationId };
  const answers = answeredOrThrow(await runWave(request.items.map((item) => ({ command: commandOf(item), cause }))));
  return answers.map((answer, i) => {
    const { reservationId } = request.items[i]!;
    return answer.ok ? { reservationId, reservation: answer.value } : { reservationId, refusal: answer.refusal };
  });
}

function wellFormedWave(request: warehouseApi.WaveRequest): (item: warehouseApi.WaveItem) => ClerkCommand {
  const fields: FieldError[] = [];
  const commandOf = Object.hasOwn(commandOfStep, request.step) ? commandOfStep[request.step] : undefined;
  if (!commandOf) fields.push({ field: "step", message: `must be one of ${Object.keys(commandOfStep).join(", ")}, got "${request.step}"` });
  if (request.items.length < 1 || request.items.length > MAX_WAVE_ITEMS) {
    fields.push({ field: "items", message: `must hold 1 to ${MAX_WAVE_ITEMS} reservations, got ${request.items.length}` });
  }
  const seen = new Set<string>();
  request.items.forEach(({ reservationId }, i) => {
    if (!reservationId) fields.push({ field: `items[${i}].reservationId`, message: "is required" });
    else if (seen.has(reservationId)) fields.push({ field: `items[${i}].reservationId`, message: `${reservationId} is already in the wave` });
    seen.add(reservationId);
  });
  if (fields.length > 0 || !commandOf) throw new ValidationError(fields, undefined, "wave.invalid");
  return commandOf;
}
