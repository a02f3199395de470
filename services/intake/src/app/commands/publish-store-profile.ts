import { ForbiddenError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { catalogueAdministration, type StoredStore } from "../../adapters/pg/catalogue-administration.ts";
import { assertVersionMatches } from "../../domain/catalogue-version.ts";
import { assertValidStoreProfile, sameProfile, type StoreProfile } from "../../domain/store-profile.ts";
import { storePublished, type CatalogueDeps } from "../catalogue-events.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

export interface StoreProfilePublication {
  profile: StoreProfile;
  /** `If-Match`: the version the caller read; absent, the profile is written whatever stands. */
  ifMatch?: number | undefined;
}

/**
 * Creates or replaces a store's profile (ADR 028): validated whole, then written as the next
 * version with its entry in the trail and its StorePublished, in one transaction; the store's
 * row lock queues concurrent changes, and the version check in the write makes a lost one
 * impossible. The same profile re-sent changes nothing. Opening a store is head office's:
 * a store-scoped manager changes only stores that exist (and are theirs: the store scope).
 */
export async function publishStoreProfile(
  deps: CatalogueDeps,
  context: PermittedContext<"publish-store-profile"> & { chainWide: boolean },
  publication: StoreProfilePublication,
): Promise<{ created: boolean; store: StoredStore }> {
  const { profile, ifMatch } = publication;
  const outcome = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const current = await catalogueAdministration.lockStore(tx, profile.storeId);
      if (!current && !context.chainWide) {
        throw new ForbiddenError("catalogue.store-creation-chain-wide", `store ${profile.storeId} does not exist; only a store manager working chain-wide may open a store`);
      }
      assertVersionMatches(`store ${profile.storeId}`, ifMatch, current?.version);
      assertValidStoreProfile(profile, deps.chainCurrency);
      if (current && sameProfile(current.profile, profile)) return { created: false, changed: false, store: current };
      const now = new Date();
      const version = await catalogueAdministration.writeStore(tx, profile, current?.version, actorLabel(context.caller));
      await catalogueAdministration.appendChange(tx, {
        subjectKind: "store",
        subjectId: profile.storeId,
        version,
        actor: context.caller,
        previous: current?.profile,
        current: profile,
        correlationId: context.correlationId,
      });
      await deps.outbox.appendKeyed(tx, profile.storeId, [storePublished(profile, version, context, now)]);
      const written = await catalogueAdministration.lockStore(tx, profile.storeId);
      if (!written) throw new Error(`store ${profile.storeId} vanished inside its own transaction`);
      return { created: !current, changed: true, store: written };
    }),
  );
  if (outcome.changed) {
    deps.catalogue.invalidate();
    context.logger.info({ storeId: profile.storeId, version: outcome.store.version, created: outcome.created }, "store profile published");
  }
  return { created: outcome.created, store: outcome.store };
}
