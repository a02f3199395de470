import { retryOnConflict, withTransaction } from "@oms/postgres";
import type pg from "pg";
import { platformAdministration, type StoredPlatform } from "../../adapters/pg/platform-administration.ts";
import type { PlatformDirectory } from "../../adapters/pg/platform-repository.ts";
import { catalogueAdministration } from "../../adapters/pg/catalogue-administration.ts";
import { assertVersionMatches } from "../../domain/catalogue-version.ts";
import { assertReadablePlatform, assertValidPlatformSettings, canonicalSettings, namedInSettings, sameSettings, type PlatformSettings } from "../../domain/marketplaces/platform-settings.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

/** What the marketplaces' settings' use cases need (ADR 028, "Marketplaces' settings"). */
export interface PlatformSettingsDeps {
  pool: pg.Pool;
  /** The order path's settings, reloaded at once once this replica changed them. */
  platforms: PlatformDirectory;
  /** Each platform's signing secret (INTAKE_PLATFORM_SECRETS): only whether there is one is ever told. */
  secrets: ReadonlyMap<string, string>;
  /** The platforms intake reads orders from (those with an adapter). */
  readablePlatforms: readonly string[];
}

/**
 * Creates or replaces a marketplace's settings, whole: checked against the catalogue in the
 * transaction that writes them (stores that exist, items on sale), written as the next
 * version with its entry in the catalogue's trail; the platform's row lock queues concurrent
 * changes and the version check in the write makes a lost one impossible. The same settings
 * re-sent change nothing. No event: no other service reads them.
 */
export async function publishPlatformSettings(
  deps: PlatformSettingsDeps,
  context: PermittedContext<"publish-platform-settings">,
  publication: { settings: PlatformSettings; ifMatch?: number | undefined },
): Promise<{ created: boolean; platform: StoredPlatform }> {
  const { settings, ifMatch } = publication;
  assertReadablePlatform(settings.platform, deps.readablePlatforms);
  const outcome = await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const current = await platformAdministration.lockPlatform(tx, settings.platform);
      assertVersionMatches(`platform ${settings.platform}`, ifMatch, current?.version);
      assertValidPlatformSettings(settings, await platformAdministration.catalogueFacts(tx, namedInSettings(settings)));
      if (current && sameSettings(current.settings, settings)) return { created: false, changed: false, platform: current };
      const version = await platformAdministration.writePlatform(tx, settings, current?.version, actorLabel(context.caller));
      await catalogueAdministration.appendChange(tx, {
        subjectKind: "platform",
        subjectId: settings.platform,
        version,
        actor: context.caller,
        previous: current && canonicalSettings(current.settings),
        current: canonicalSettings(settings),
        correlationId: context.correlationId,
      });
      const written = await platformAdministration.lockPlatform(tx, settings.platform);
      if (!written) throw new Error(`platform ${settings.platform} vanished inside its own transaction`);
      return { created: !current, changed: true, platform: written };
    }),
  );
  if (outcome.changed) {
    deps.platforms.invalidate();
    const { settings: s, version } = outcome.platform;
    context.logger.info(
      { platform: s.platform, version, created: outcome.created, districts: Object.keys(s.storesByDistrict).length, items: Object.keys(s.skuByItemId).length },
      "platform settings published",
    );
  }
  return { created: outcome.created, platform: outcome.platform };
}
