import { Topics, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { ConsumerSpec } from "@oms/service-kit";
import { applyOrderEventBatch } from "../../app/commands/apply-order-event-batch.ts";
import type { SagaSettings } from "../../app/commands/record-downstream-event.ts";

/**
 * Fulfillment hears every other service's order events: they drive the saga and fill
 * the timeline. A batch is applied set-wise in one transaction; if it fails, the
 * consumer retries its events one by one, each through the same code.
 */
export function orderFlowConsumer(outbox: OutboxWriter, settings: SagaSettings): ConsumerSpec {
  return {
    name: "fulfillment",
    topics: [Topics.intakeOrder, Topics.warehouseStock, Topics.dispatchAssignment, Topics.billingSettlement],
    // A fetch's orders are locked in one sorted statement, whichever topics their events came on,
    // and held until it commits: a backlog is taken in bites (16 KB, ~30 events a partition),
    // so that people's commands on those orders do not wait for thousands of events.
    batchAcrossTopics: true,
    maxBytesPerPartition: 16 * 1024,
    handleBatch: async (items, { tx }) => {
      const events = items.flatMap((item): OrderEvent[] => (item.event ? [item.event] : []));
      await applyOrderEventBatch(tx, outbox, events, settings);
    },
  };
}
