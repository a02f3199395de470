import type pg from "pg";
import { EventTypes, newEvent, systemActor } from "@oms/contracts";
import type { EventAppender } from "@oms/messaging";
import { withContext, type Logger } from "@oms/observability";
import { scheduleTimer } from "@oms/timers";
import { reservationRepository } from "../../adapters/pg/reservation-repository.ts";
import { stepDeadlineRepository } from "../../adapters/pg/step-deadline-repository.ts";
import { decideOverdue } from "../../domain/step-deadlines.ts";
import { stepTimer, type ShipmentDeadlines, type StepTimerPayload } from "../step-deadlines.ts";

export interface OverdueShipmentDeps {
  outbox: EventAppender;
  deadlines: ShipmentDeadlines;
  logger: Logger;
}

/**
 * A shipment step's deadline (level 1) or its escalation (level 2) came due, in the timer's
 * transaction. If the reservation still waits for the step: the node records how far it
 * went, ShipmentStepOverdue tells the store's clerks (or its manager), and a warning
 * schedules its escalation. A step done meanwhile, a released reservation or a level
 * flagged before (the same timer fired again) change nothing.
 *
 * The node is locked, the reservation only read: a clerk's step holds the reservation's row
 * while it calls this node's timers off, and the poller holds the timer's row (README: the
 * lock order). The reservation read is the one committed with the node's last change.
 */
export async function flagOverdueShipmentStep(tx: pg.ClientBase, deps: OverdueShipmentDeps, timer: StepTimerPayload & { timerId: number }): Promise<void> {
  const deadline = await stepDeadlineRepository.lock(tx, timer.reservationId, timer.step);
  const reservation = deadline && (await reservationRepository.find(tx, timer.reservationId, { lock: false }));
  const now = deps.deadlines.clock();
  const decision = decideOverdue(timer, deadline, reservation, now, deps.deadlines.settings);
  const log = withContext(deps.logger, { orderId: deadline?.orderId, correlationId: deadline?.correlationId, storeId: deadline?.storeId });
  if (decision.kind === "nothing") {
    log.debug({ reservationId: timer.reservationId, step: timer.step, level: timer.level, why: decision.why }, "shipment step deadline came due; nothing to flag");
    return;
  }
  const { reservationId, orderId, storeId, correlationId, dueAt } = deadline!;
  await stepDeadlineRepository.markOverdue(tx, reservationId, timer.step, decision.level, now);
  const origin = { producer: "warehouse", orderId, storeId, actor: systemActor("warehouse"), correlationId, causationId: `timer:${timer.timerId}`, now };
  const payload = {
    reservationId,
    step: timer.step,
    level: decision.level,
    dueAt: dueAt.toISOString(),
    responsibleRole: decision.responsibleRole,
    escalatedToRole: decision.escalatedToRole,
    storeId,
  };
  await deps.outbox.append(tx, [newEvent(EventTypes.ShipmentStepOverdue, payload, origin)]);
  if (decision.escalateAt) await scheduleTimer(tx, stepTimer(orderId, { reservationId, step: timer.step, level: 2 }, decision.escalateAt));
  log.info({ reservationId, step: timer.step, level: decision.level, dueAt: payload.dueAt }, decision.level === 1 ? "shipment step overdue; the clerks are warned" : "shipment step still overdue; escalated to the store manager");
}
