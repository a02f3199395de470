import { EventTypes, Topics, afterSalesVisitTaskId, type OrderEvent } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { taskRepository } from "../../adapters/pg/task-repository.ts";
import { callOffAfterSalesVisits, type CaseResolved } from "../../app/commands/call-off-after-sales-visits.ts";
import { reopenAfterSalesVisits, type ReopenDeps, type VisitRejected } from "../../app/commands/reopen-after-sales-visits.ts";
import { requestAfterSalesVisits, type CaseAccepted } from "../../app/commands/request-after-sales-visits.ts";
import { isVisitedCaseKind } from "../../domain/after-sales-visit.ts";

/**
 * Repair and maintenance cases (ADR 025), in a consumer group of its own (cases never queue
 * behind fulfillment's requests): an accepted one becomes a visit task; a resolved one calls
 * off its visit if it is still to be done; a visit whose report the customer rejected is
 * reopened for a new round. Other cases (returns, exchanges, complaints) are passed over
 * without an inbox row. A batch is applied in the order it came, one kind at a time, after
 * every visit it reopens or calls off is locked, in task id order: a force-majeure hold pauses
 * an order's visits in that order, and a batch locking them as its events came would cross it
 * (ADR 027's twenty-sixth-session addendum, locks).
 */
export function afterSalesCasesConsumer(deps: ReopenDeps): ConsumerSpec {
  return {
    name: "dispatch-after-sales",
    topics: [Topics.afterSalesCase],
    eventTypes: [EventTypes.CaseAccepted, EventTypes.CaseResolved, EventTypes.VisitRejected],
    actsOn: (event) => isVisitedCase(event),
    handleBatch: async (items, { tx, logger }) => {
      const visits = items.flatMap(({ event }) => (event && locksVisit(event) ? [afterSalesVisitTaskId(event.payload.caseId)] : []));
      if (visits.length > 0) await taskRepository.lockByIds(tx, visits);
      for (const item of items) {
        const event = item.event;
        if (!event || !isVisitedCase(event)) continue;
        if (event.type === EventTypes.CaseAccepted) await requestAfterSalesVisits(tx, deps.schema, [event as CaseAccepted], logger);
        else if (event.type === EventTypes.VisitRejected) await reopenAfterSalesVisits(tx, deps, [event as VisitRejected], logger);
        else await callOffAfterSalesVisits(tx, deps.schema, [event as CaseResolved], logger);
      }
    },
  };
}

/** A rejection reopens its visit, a resolution of a visited case calls it off: both lock the visit's task. */
function locksVisit(event: OrderEvent): event is VisitRejected | CaseResolved {
  return event.type === EventTypes.VisitRejected || (event.type === EventTypes.CaseResolved && isVisitedCase(event));
}

function isVisitedCase(event: OrderEvent): boolean {
  if (event.type === EventTypes.CaseAccepted) return isVisitedCaseKind(event.payload.kind);
  if (event.type === EventTypes.CaseResolved) return isVisitedCaseKind(event.payload.kind);
  // Only a visit is ever rejected.
  if (event.type === EventTypes.VisitRejected) return true;
  return false;
}
