import { Topics } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { caseOfRefundEvent, caseRefundEventTypes, recordCaseRefundOf } from "../../app/commands/record-case-refund.ts";

/**
 * Billing's refunds of resolved cases and its shortfalls, kept on their cases (ADR 017,
 * addendum). Its own group: billing's topic is busy with every order's money, which is
 * passed over without an inbox row.
 */
export function caseRefundsConsumer(): ConsumerSpec {
  return {
    name: "after-sales-refunds",
    topics: [Topics.billingSettlement],
    eventTypes: caseRefundEventTypes,
    actsOn: (event) => caseOfRefundEvent(event) !== undefined,
    handleBatch: async (items, { tx, logger }) => {
      for (const item of items) if (item.event) await recordCaseRefundOf(tx, item.event, logger);
    },
  };
}
