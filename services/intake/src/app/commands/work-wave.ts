import { domainErrorOf, toProblemDetails, type ProblemDetails } from "@oms/errors";
import type { WaveItem } from "../../adapters/grpc-clients/warehouse.ts";
import type { PermittedContext } from "../request-context.ts";
import { reservationViewOf, type ReservationView } from "../warehouse-views.ts";
import type { WarehouseDeps } from "./pick-reservation.ts";

/** The clerks' steps a wave can carry, by the permission each needs. */
export const waveSteps = { pick: "pick-reservation", pack: "pack-reservation", ship: "ship-reservation" } as const;
export type WaveStep = keyof typeof waveSteps;

/** One reservation of a wave: as it is after its step, or why its step was refused (as the step alone would have been). */
export type WaveOutcomeView = { reservationId: string; reservation: ReservationView } | { reservationId: string; problem: ProblemDetails };

/**
 * A clerk's wave: one step for several reservations, in one request and one call to the
 * warehouse, which takes them together. Each reservation is answered on its own, in the
 * order asked; the wave fails as a whole only when the warehouse cannot answer.
 */
export async function workWave<S extends WaveStep>(
  deps: WarehouseDeps,
  context: PermittedContext<(typeof waveSteps)[S]>,
  step: S,
  items: readonly WaveItem[],
): Promise<{ outcomes: WaveOutcomeView[] }> {
  const { outcomes } = await deps.warehouse.workWave(step, items, context.caller, context.correlationId);
  return {
    outcomes: outcomes.map(({ reservationId, reservation, refusal }) =>
      reservation
        ? { reservationId, reservation: reservationViewOf(reservation) }
        : { reservationId, problem: toProblemDetails(domainErrorOf(refusal?.kind ?? "", refusal?.code ?? "wave.no-outcome", refusal?.message ?? "the warehouse gave no outcome")) },
    ),
  };
}
