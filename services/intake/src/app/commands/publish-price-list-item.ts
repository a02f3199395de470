import { NotFoundError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { catalogueAdministration, type StoredItem } from "../../adapters/pg/catalogue-administration.ts";
import { assertVersionMatches } from "../../domain/catalogue-version.ts";
import { assertValidPriceListItem, itemPublicationChanges } from "../../domain/price-list-item.ts";
import type { PriceListItem } from "../../domain/store-catalogue.ts";
import { priceListItemPublished, priceListItemWithdrawn, type CatalogueDeps } from "../catalogue-events.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

/**
 * Adds an item to the chain's price list or changes it (ADR 028), as the next version with
 * its trail entry and its PriceListItemPublished, in one transaction; a withdrawn item
 * published again is back on sale. New orders take the new price; orders taken keep theirs
 * (each carries its lines' prices). The same item re-sent changes nothing.
 */
export async function publishPriceListItem(
  deps: CatalogueDeps,
  context: PermittedContext<"publish-price-list-item">,
  publication: { item: Omit<PriceListItem, "withdrawn">; ifMatch?: number | undefined },
): Promise<{ created: boolean; item: StoredItem }> {
  const { item, ifMatch } = publication;
  const outcome = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const current = await catalogueAdministration.lockItem(tx, item.sku);
      assertVersionMatches(`item ${item.sku}`, ifMatch, current?.version);
      assertValidPriceListItem(item);
      if (current && !itemPublicationChanges(current.item, item)) return { created: false, changed: false, item: current };
      const version = await catalogueAdministration.writeItem(tx, item, current?.version, actorLabel(context.caller));
      await catalogueAdministration.appendChange(tx, {
        subjectKind: "item",
        subjectId: item.sku,
        version,
        actor: context.caller,
        previous: current && { ...current.item, ...(current.withdrawnAt ? { withdrawnAt: current.withdrawnAt } : {}) },
        current: item,
        correlationId: context.correlationId,
      });
      await deps.outbox.appendKeyed(tx, item.sku, [priceListItemPublished(item, version, deps.chainCurrency, context, new Date())]);
      return { created: !current, changed: true, item: (await catalogueAdministration.lockItem(tx, item.sku))! };
    }),
  );
  if (outcome.changed) {
    deps.catalogue.invalidate();
    context.logger.info({ sku: item.sku, version: outcome.item.version, created: outcome.created }, "price-list item published");
  }
  return { created: outcome.created, item: outcome.item };
}

/**
 * Takes an item off sale (ADR 028): new orders, substitutions and corrections cannot name it;
 * orders that hold it keep their lines. Withdrawing a withdrawn item answers it as it stands.
 */
export async function withdrawPriceListItem(
  deps: CatalogueDeps,
  context: PermittedContext<"withdraw-price-list-item">,
  withdrawal: { sku: string; reason: string },
): Promise<StoredItem> {
  const { sku, reason } = withdrawal;
  const outcome = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const current = await catalogueAdministration.lockItem(tx, sku);
      if (!current) throw new NotFoundError("price-list-item.not-found", `${sku} is not on the price list`);
      if (current.item.withdrawn) return { changed: false, item: current };
      const version = current.version + 1;
      await catalogueAdministration.withdrawItem(tx, sku, reason, version, actorLabel(context.caller));
      await catalogueAdministration.appendChange(tx, {
        subjectKind: "item",
        subjectId: sku,
        version,
        actor: context.caller,
        previous: current.item,
        current: { ...current.item, withdrawn: { reason } },
        correlationId: context.correlationId,
      });
      await deps.outbox.appendKeyed(tx, sku, [priceListItemWithdrawn(sku, reason, version, context, new Date())]);
      return { changed: true, item: (await catalogueAdministration.lockItem(tx, sku))! };
    }),
  );
  if (outcome.changed) {
    deps.catalogue.invalidate();
    context.logger.info({ sku, version: outcome.item.version }, "price-list item withdrawn");
  }
  return outcome.item;
}
