import { EventTypes, Topics } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { applyStoreProfiles, type StorePublication } from "../../app/commands/apply-store-profiles.ts";

/**
 * Fulfillment listens to the stores' published profiles (ADR 028) for their confirmation
 * deadlines. The price list's events on the same topic are not its business: passed over
 * undecoded. Its own consumer group rather than a topic more for the order flow's: that
 * consumer locks the orders of every event it hears, across topics, in one statement, and
 * its per-event cost stays as it was; a store's publication waits behind no order backlog.
 *
 * No inbox: the profile's version is the key. A publication no newer than the one held
 * changes nothing, so a re-delivery (or a replay of the topic, which an inbox would not
 * catch once pruned) needs no row per event.
 */
export function storeProfilesConsumer(): ConsumerSpec {
  return {
    name: "fulfillment-catalogue",
    topics: [Topics.intakeCatalogue],
    eventTypes: [EventTypes.StorePublished],
    deduplication: "handler",
    handleBatch: async (items, { tx, logger }) => {
      const publications = items.flatMap((item) => (item.event?.type === EventTypes.StorePublished ? [item.event as StorePublication] : []));
      if (publications.length > 0) await applyStoreProfiles(tx, publications, logger);
    },
  };
}
