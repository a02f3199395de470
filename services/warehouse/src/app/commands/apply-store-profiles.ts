import type pg from "pg";
import { newestPerStore, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { Logger } from "@oms/observability";
import { routingRepository } from "../../adapters/pg/routing-repository.ts";
import { routingSliceOf, type PublishedStore } from "../../domain/store-profile.ts";

export type StorePublication = OrderEventOf<typeof EventTypes.StorePublished>;

/**
 * Stores' profiles as intake published them (ADR 028): the warehouse keeps their routing
 * rules — priority, place, service areas, daily capacity, whether they take orders — and
 * where the districts they serve lie. Each store's newest publication of the batch is
 * applied, and only when newer than the version held: a re-delivery or a replay changes
 * nothing. A store opened this way is routable at once; its stock needs no other record
 * of it (receipts and counts book against any store id).
 */
export async function applyStoreProfiles(tx: pg.ClientBase, publications: readonly StorePublication[], logger: Logger): Promise<void> {
  const slices = newestPerStore(publications.map((event) => publishedStoreOf(event))).map(routingSliceOf);
  const changed = await routingRepository.applyProfiles(tx, slices);
  const ignored = slices.filter((s) => !changed.includes(s.storeId));
  if (changed.length > 0) {
    logger.info(
      { stores: slices.filter((s) => changed.includes(s.storeId)).map((s) => ({ storeId: s.storeId, version: s.version, acceptingOrders: s.acceptingOrders })) },
      "stores' routing rules taken from their published profiles",
    );
  }
  if (ignored.length > 0) {
    logger.info({ stores: ignored.map((s) => ({ storeId: s.storeId, version: s.version })) }, "stores' profiles heard again or out of date; routing rules unchanged");
  }
}

/** A publication without its profile reads as one naming no store, which routingSliceOf refuses (the consumer dead-letters it). */
function publishedStoreOf(event: StorePublication): PublishedStore {
  const store = event.payload.store;
  return {
    version: event.payload.version,
    storeId: store?.storeId ?? "",
    acceptingOrders: store?.acceptingOrders ?? false,
    serviceAreas: store?.serviceAreas ?? [],
    routingPriority: store?.routingPriority ?? 0,
    location: store?.location,
    dailyCapacity: store?.dailyCapacity ?? 0,
    districtLocations: (store?.districtLocations ?? []).map((d) => ({ district: d.district, location: d.location })),
  };
}
