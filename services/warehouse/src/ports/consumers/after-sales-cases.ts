import { EventTypes, Topics, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { ConsumerSpec } from "@oms/service-kit";
import { expectReturns } from "../../app/commands/expect-returns.ts";
import { openReplacementsOf } from "../../app/commands/open-replacements.ts";
import type { ShipmentDeadlines } from "../../app/step-deadlines.ts";

/**
 * Warehouse listens to after-sales' accepted cases: an accepted return or exchange sends
 * its goods back to the order's store (ADR 021), and an exchange's replacement goods leave
 * it (ADR 030). Its own consumer group, so a backlog of cases never holds up fulfillment's
 * stock requests, nor they the cases.
 */
export function afterSalesCasesConsumer(outbox: OutboxWriter, deadlines: ShipmentDeadlines): ConsumerSpec {
  return {
    name: "warehouse-returns",
    topics: [Topics.afterSalesCase],
    eventTypes: [EventTypes.CaseAccepted],
    handleBatch: async (items, { tx, logger }) => {
      const accepted = items.flatMap((item) => (item.event?.type === EventTypes.CaseAccepted ? [item.event as OrderEventOf<typeof EventTypes.CaseAccepted>] : []));
      if (accepted.length === 0) return;
      // Stock rows first (the replacements lock them), then the rows that wait for no stock.
      await openReplacementsOf(tx, outbox, accepted, logger, deadlines);
      await expectReturns(tx, accepted, logger);
    },
  };
}
