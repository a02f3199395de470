import type pg from "pg";
import { EventTypes, newEvent, systemActor } from "@oms/contracts";
import { withContext } from "@oms/observability";
import { scheduleTimer } from "@oms/timers";
import { replacementDeadlineRepository } from "../../adapters/pg/replacement-deadline-repository.ts";
import { replacementRepository } from "../../adapters/pg/replacement-repository.ts";
import { decideReplacementOverdue } from "../../domain/replacement-deadline.ts";
import { replacementTimer, type ReplacementTimerPayload } from "../replacement-deadlines.ts";
import type { OverdueShipmentDeps } from "./flag-overdue-shipment-step.ts";

/**
 * A reserved replacement's step deadline (pick, pack or ship; level 1) or its escalation (level 2)
 * came due, in the timer's transaction (ADR 030's fifth and seventh addenda). Still reserved at the
 * timer's store and still owing that step: the node records how far it went, ReplacementShipOverdue tells the store's clerks (or
 * its manager) and the order's timeline, and a warning schedules its escalation. Shipped, called
 * off, moved away or flagged at this level before (the timer fired again): nothing.
 *
 * The node is locked, the replacement only read, as an order's step timer does
 * (flag-overdue-shipment-step.ts): the shipment and the call-off hold the replacement's row while
 * they call this node's timers off, and the poller holds the timer's row.
 */
export async function flagOverdueReplacement(tx: pg.ClientBase, deps: OverdueShipmentDeps, timer: ReplacementTimerPayload & { timerId: number }): Promise<void> {
  const deadline = await replacementDeadlineRepository.lock(tx, timer.caseId, timer.step);
  const replacement = deadline && (await replacementRepository.find(tx, timer.caseId));
  const now = deps.deadlines.clock();
  const decision = decideReplacementOverdue(timer, deadline, replacement, now, deps.deadlines.settings);
  const log = withContext(deps.logger, { orderId: deadline?.orderId, correlationId: deadline?.correlationId, storeId: timer.storeId });
  if (decision.kind === "nothing") {
    log.debug({ caseId: timer.caseId, step: timer.step, level: timer.level, why: decision.why }, "replacement step deadline came due; nothing to flag");
    return;
  }
  const { caseId, orderId, storeId, correlationId, dueAt } = deadline!;
  await replacementDeadlineRepository.markOverdue(tx, caseId, timer.step, decision.level, now);
  const origin = { producer: "warehouse", orderId, storeId, actor: systemActor("warehouse"), correlationId, causationId: `timer:${timer.timerId}`, now };
  const payload = { caseId, level: decision.level, dueAt: dueAt.toISOString(), responsibleRole: decision.responsibleRole, escalatedToRole: decision.escalatedToRole, storeId, step: timer.step };
  await deps.outbox.append(tx, [newEvent(EventTypes.ReplacementShipOverdue, payload, origin)]);
  if (decision.escalateAt) await scheduleTimer(tx, replacementTimer(orderId, { caseId, storeId, step: timer.step, level: 2 }, decision.escalateAt));
  log.info({ caseId, step: timer.step, level: decision.level, dueAt: payload.dueAt }, decision.level === 1 ? "replacement step not done by its deadline; the clerks are warned" : "replacement step still not done; escalated to the store manager");
}
