import { NotFoundError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { catalogueAdministration } from "../../adapters/pg/catalogue-administration.ts";
import { storePriceAdministration, type StoredStorePrice } from "../../adapters/pg/store-price-administration.ts";
import { assertVersionMatches } from "../../domain/catalogue-version.ts";
import { assertValidStorePrice, storePriceKey, type StorePrice } from "../../domain/store-price.ts";
import { storePricePublished, storePriceRemoved, type CatalogueDeps } from "../catalogue-events.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

/** What the trail keeps of a store's price: the pair and the price, and a removal's reason. */
const trailOf = (stored: StoredStorePrice) => ({ ...stored.price, ...(stored.removed ? { removed: { reason: stored.removed.reason } } : {}) });

/**
 * Sets a store's own price for an item of the chain's list (ADR 028, addendum), as the pair's
 * next version with its trail entry and its StorePricePublished, in one transaction; a
 * removed price set again is charged again. New orders at the store take it; orders taken
 * keep theirs; other stores keep the chain's. The same price re-sent changes nothing. Whose
 * store it is the store scope decides before this runs (a manager held to other stores is
 * refused there).
 */
export async function setStorePrice(
  deps: CatalogueDeps,
  context: PermittedContext<"set-store-price">,
  publication: { price: StorePrice; ifMatch?: number | undefined },
): Promise<{ created: boolean; price: StoredStorePrice }> {
  const { price, ifMatch } = publication;
  const outcome = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const current = await storePriceAdministration.lockPrice(tx, price.storeId, price.sku);
      assertVersionMatches(`the price of ${price.sku} at store ${price.storeId}`, ifMatch, current?.version);
      assertValidStorePrice(await storePriceAdministration.subjectOf(tx, price.storeId, price.sku), price.unitPriceMinor);
      if (current && !current.removed && current.price.unitPriceMinor === price.unitPriceMinor) return { created: false, changed: false, price: current };
      const version = await storePriceAdministration.writePrice(tx, price, current?.version, actorLabel(context.caller));
      await catalogueAdministration.appendChange(tx, {
        subjectKind: "store-price",
        subjectId: storePriceKey(price.storeId, price.sku),
        version,
        actor: context.caller,
        previous: current && trailOf(current),
        current: price,
        correlationId: context.correlationId,
      });
      await deps.outbox.appendKeyed(tx, storePriceKey(price.storeId, price.sku), [storePricePublished(price, version, deps.chainCurrency, context, new Date())]);
      return { created: !current, changed: true, price: (await storePriceAdministration.lockPrice(tx, price.storeId, price.sku))! };
    }),
  );
  if (outcome.changed) {
    deps.catalogue.invalidate();
    context.logger.info({ storeId: price.storeId, sku: price.sku, version: outcome.price.version, created: outcome.created }, "store price set");
  }
  return { created: outcome.created, price: outcome.price };
}

/**
 * Removes a store's own price (ADR 028, addendum): new orders at the store take the chain's
 * price again; orders taken at the store's keep it. The row stays, marked, so the pair's
 * version only grows. Removing a removed price answers it as it stands; a store that never
 * priced the item has nothing to remove (404).
 */
export async function removeStorePrice(
  deps: CatalogueDeps,
  context: PermittedContext<"set-store-price">,
  removal: { storeId: string; sku: string; reason: string; ifMatch?: number | undefined },
): Promise<StoredStorePrice> {
  const { storeId, sku, reason, ifMatch } = removal;
  const outcome = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const current = await storePriceAdministration.lockPrice(tx, storeId, sku);
      if (!current) throw new NotFoundError("store-price.not-found", `store ${storeId} has no price of its own for ${sku}: it charges the chain's`);
      assertVersionMatches(`the price of ${sku} at store ${storeId}`, ifMatch, current.version);
      if (current.removed) return { changed: false, price: current };
      const version = current.version + 1;
      await storePriceAdministration.removePrice(tx, storeId, sku, reason, version, actorLabel(context.caller));
      await catalogueAdministration.appendChange(tx, {
        subjectKind: "store-price",
        subjectId: storePriceKey(storeId, sku),
        version,
        actor: context.caller,
        previous: trailOf(current),
        current: { ...current.price, removed: { reason } },
        correlationId: context.correlationId,
      });
      await deps.outbox.appendKeyed(tx, storePriceKey(storeId, sku), [storePriceRemoved(storeId, sku, reason, version, context, new Date())]);
      return { changed: true, price: (await storePriceAdministration.lockPrice(tx, storeId, sku))! };
    }),
  );
  if (outcome.changed) {
    deps.catalogue.invalidate();
    context.logger.info({ storeId, sku, version: outcome.price.version }, "store price removed");
  }
  return outcome.price;
}
