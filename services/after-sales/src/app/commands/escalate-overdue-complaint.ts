import type pg from "pg";
import { systemActor } from "@oms/contracts";
import { caseRepository } from "../../adapters/pg/case-repository.ts";
import { decideCase } from "../../domain/case-decisions.ts";
import { evolveCaseBy } from "../../domain/case.ts";
import { caseAnnouncements } from "../case-announcements.ts";
import type { CaseDeps } from "../case-deps.ts";

/**
 * A complaint's respond-by time passed (its timer, in the timer's transaction): still
 * unanswered, it is marked escalated and `CaseOverdue` goes to the store manager, once; in
 * the chain of the request that opened it. Answered or closed meanwhile, nothing happens.
 */
export async function escalateOverdueComplaint(tx: pg.ClientBase, deps: Pick<CaseDeps, "outbox" | "clock">, caseId: string): Promise<void> {
  const state = await caseRepository.lockById(tx, caseId);
  // The timer outlives nothing it could act on: a case is never deleted, so this is a bug worth the timer's retries.
  if (!state) throw new Error(`complaint timer for case ${caseId}, which does not exist`);
  const now = deps.clock();
  const events = decideCase({ type: "FlagOverdueComplaint", now }, state);
  if (events.length === 0) return;
  const after = evolveCaseBy(state, events) ?? state;
  await caseRepository.save(tx, after);
  await deps.outbox.append(tx, caseAnnouncements(after, events, { actor: systemActor("after-sales"), correlationId: state.correlationId, now }));
}
