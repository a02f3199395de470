import { EventTypes, Topics } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { customerNoticeOf, queueStatusPushes } from "../../app/commands/queue-status-pushes.ts";
import { recordSubstitutions } from "../../app/commands/record-substitutions.ts";
import type { PlatformDirectory } from "../../adapters/pg/platform-repository.ts";

/**
 * Intake listens to fulfillment's events, to tell the marketplaces' customers their orders'
 * progress (status, a cancellation and its reason code, pick-up ready, exceptions), and to substitutions, to keep its copy of the order's lines and money current.
 */
export function fulfillmentStatusConsumer(platforms: PlatformDirectory): ConsumerSpec {
  return {
    name: "intake",
    topics: [Topics.fulfillmentOrder],
    eventTypes: [EventTypes.OrderStatusChanged, EventTypes.OrderCancelled, EventTypes.OrderParcelShipped, EventTypes.OrderReadyForPickup, EventTypes.OrderExceptionRaised, EventTypes.OrderLinesSubstituted],
    // The internal steps (reserved, picked, packed, settled…: about half of an order's status
    // changes) are told to no one: passed over without a transaction or an inbox row.
    actsOn: (event) => event.type === EventTypes.OrderLinesSubstituted || customerNoticeOf(event) !== undefined,
    handleBatch: async (items, { tx }) => {
      await queueStatusPushes(tx, platforms, items.flatMap(({ event }) => (event ? [event] : [])));
      const substitutions = items.flatMap(({ event }) => (event?.type === EventTypes.OrderLinesSubstituted ? [event] : []));
      await recordSubstitutions(tx, substitutions);
    },
  };
}
