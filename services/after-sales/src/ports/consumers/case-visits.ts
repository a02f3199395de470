import { Topics } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { caseOfVisitEvent, recordVisitProgressOf, visitEventTypes } from "../../app/commands/record-visit-progress.ts";

/**
 * Dispatch's news of after-sales visits, kept on their cases (ADR 025). Its own group: the
 * assignment topic is busy with orders' tasks, which are passed over without an inbox row.
 */
export function caseVisitsConsumer(): ConsumerSpec {
  return {
    name: "after-sales-visits",
    topics: [Topics.dispatchAssignment],
    eventTypes: visitEventTypes,
    actsOn: (event) => caseOfVisitEvent(event) !== undefined,
    handleBatch: async (items, { tx, logger }) => {
      for (const item of items) if (item.event) await recordVisitProgressOf(tx, item.event, logger);
    },
  };
}
