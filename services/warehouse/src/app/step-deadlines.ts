import type pg from "pg";
import { cancelTimerKeys, scheduleTimers, type TimerSpec } from "@oms/timers";
import { stepDeadlineRepository } from "../adapters/pg/step-deadline-repository.ts";
import { deadlineWorkOf, dueAtOf, shipmentSteps, type ShipmentStep, type StepDeadlineSettings, type StepTaken } from "../domain/step-deadlines.ts";

/** The durable timers warehouse schedules (@oms/timers), by kind; the handlers are in ports/timers. */
export const TimerKinds = {
  /** Keyed by `reservationId/step/level`: a shipment step is due (level 1 warns the clerks) or its escalation is (level 2). */
  shipmentStepDeadline: "warehouse.shipment-step-deadline",
  /** Keyed by `caseId/storeId/level`: a reserved exchange replacement is due to ship (level 1) or its escalation is (level 2), ADR 030's fifth addendum. */
  replacementShipDeadline: "warehouse.replacement-ship-deadline",
} as const;

/** A reservation's steps each happen once (states only move forward), so the step and level name the timer. */
export const stepTimerKey = (reservationId: string, step: ShipmentStep, level: number) => `${reservationId}/${step}/${level}`;

/** What the time nodes need: how long each step may take, and the clock. */
export interface ShipmentDeadlines {
  settings: StepDeadlineSettings;
  clock: () => Date;
}

export interface StepTimerPayload {
  reservationId: string;
  step: ShipmentStep;
  level: number;
}

export function stepTimer(orderId: string, payload: StepTimerPayload, dueAt: Date): TimerSpec {
  return { kind: TimerKinds.shipmentStepDeadline, key: stepTimerKey(payload.reservationId, payload.step, payload.level), orderId, dueAt, payload: { ...payload } };
}

/** Both levels of these steps' timers, to call off. */
function timersOf(steps: readonly { reservationId: string; step: ShipmentStep }[]): { kind: string; key: string }[] {
  return steps.flatMap(({ reservationId, step }) => [1, 2].map((level) => ({ kind: TimerKinds.shipmentStepDeadline, key: stepTimerKey(reservationId, step, level) })));
}

/**
 * The time nodes the steps just written start and meet, in their transaction: the steps
 * done have their warnings called off and their nodes met; the steps the reservations can
 * take now get a node and a durable timer at their deadline. `correlationOf` names the
 * chain each reservation's step belongs to (its warning continues it).
 *
 * Timers are called off before the nodes are touched, and the time is read after: a timer
 * firing meanwhile holds its row and then the node's, so the step waits for it here, holding
 * no node (no deadlock), and is recorded as met after the warning, never before it.
 */
export async function followStepDeadlines(
  tx: pg.ClientBase,
  steps: readonly StepTaken[],
  correlationOf: (reservationId: string) => string,
  deadlines: ShipmentDeadlines,
): Promise<void> {
  if (steps.length === 0) return;
  const work = deadlineWorkOf(steps);
  await cancelTimerKeys(tx, timersOf(work.met));
  const at = deadlines.clock();
  const nodeOf = (s: { reservationId: string; step: ShipmentStep }) => `${s.reservationId}\u0000${s.step}`;
  const done = new Set(work.met.map(nodeOf));
  const started = work.started.map(({ reservation, step }) => ({
    reservationId: reservation.reservationId,
    step,
    orderId: reservation.orderId,
    storeId: reservation.storeId,
    correlationId: correlationOf(reservation.reservationId),
    dueAt: dueAtOf(step, at, deadlines.settings),
    // Started and done in this transaction (a pick and a pack batched together): met already, never warned about.
    metAt: done.has(nodeOf({ reservationId: reservation.reservationId, step })) ? at : null,
  }));
  const startedHere = new Set(started.map(nodeOf));
  await stepDeadlineRepository.follow(tx, started, work.met.filter((m) => !startedHere.has(nodeOf(m))), at);
  await scheduleTimers(
    tx,
    started.filter((s) => s.metAt === null).map((s) => stepTimer(s.orderId, { reservationId: s.reservationId, step: s.step, level: 1 }, s.dueAt)),
  );
}

/** A released reservation's way out ends here: its open nodes are called off with their timers (in the release's transaction). */
export async function callOffStepDeadlines(tx: pg.ClientBase, reservationId: string, deadlines: Pick<ShipmentDeadlines, "clock">): Promise<void> {
  await cancelTimerKeys(tx, timersOf(shipmentSteps.map((step) => ({ reservationId, step }))));
  await stepDeadlineRepository.callOff(tx, reservationId, deadlines.clock());
}
