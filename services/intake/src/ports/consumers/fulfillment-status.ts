import { EventTypes, Topics } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { queueStatusPushes } from "../../app/commands/queue-status-pushes.ts";
import { recordSubstitutions } from "../../app/commands/record-substitutions.ts";
import type { PlatformDirectory } from "../../adapters/pg/platform-repository.ts";

/**
 * Intake listens to fulfillment's status changes, to tell the marketplaces their orders'
 * progress, and to substitutions, to keep its copy of the order's lines and money current.
 */
export function fulfillmentStatusConsumer(platforms: PlatformDirectory): ConsumerSpec {
  return {
    name: "intake",
    topics: [Topics.fulfillmentOrder],
    handleBatch: async (items, { tx }) => {
      const changes = items.flatMap(({ event }) => (event?.type === EventTypes.OrderStatusChanged ? [event] : []));
      await queueStatusPushes(tx, platforms, changes);
      const substitutions = items.flatMap(({ event }) => (event?.type === EventTypes.OrderLinesSubstituted ? [event] : []));
      await recordSubstitutions(tx, substitutions);
    },
  };
}
