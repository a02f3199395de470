import { EventTypes, Topics } from "@oms/contracts";
import type { ConsumerSpec } from "@oms/service-kit";
import { applyStoreProfiles, type StorePublication } from "../../app/commands/apply-store-profiles.ts";

/**
 * Warehouse listens to the stores' published profiles (ADR 028) for its routing rules. The
 * price list's events on the same topic are not its business: passed over undecoded. Its
 * own consumer group, so a store's publication never waits behind a backlog of stock
 * requests, nor they behind it, and the order topics' consumer is unchanged.
 *
 * No inbox: the profile's version is the key. A publication no newer than the one held
 * changes nothing, so a re-delivery (or a replay of the topic, which an inbox would not
 * catch once pruned) needs no row per event.
 */
export function storeProfilesConsumer(): ConsumerSpec {
  return {
    name: "warehouse-catalogue",
    topics: [Topics.intakeCatalogue],
    eventTypes: [EventTypes.StorePublished],
    deduplication: "handler",
    handleBatch: async (items, { tx, logger }) => {
      const publications = items.flatMap((item) => (item.event?.type === EventTypes.StorePublished ? [item.event as StorePublication] : []));
      if (publications.length > 0) await applyStoreProfiles(tx, publications, logger);
    },
  };
}
