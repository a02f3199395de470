import { NotFoundError } from "@oms/errors";
import { platformAdministration, type StoredPlatform } from "../../adapters/pg/platform-administration.ts";
import type { PlatformSettingsDeps } from "../commands/publish-platform-settings.ts";
import type { PermittedContext } from "../request-context.ts";

/**
 * A marketplace's settings as head office reads them: never its secret, only whether intake
 * has one (without one the platform's orders cannot be verified, nor its pushes signed).
 */
export const platformSettingsView = ({ settings, version, updatedBy, updatedAt }: StoredPlatform, secrets: ReadonlyMap<string, string>) => ({
  ...settings,
  signingSecretConfigured: secrets.has(settings.platform),
  version,
  ...(updatedBy ? { updatedBy } : {}),
  updatedAt: updatedAt.toISOString(),
});

export async function listPlatformSettings(deps: PlatformSettingsDeps, _context: PermittedContext<"view-platform-settings">) {
  return { platforms: (await platformAdministration.listPlatforms(deps.pool)).map((p) => platformSettingsView(p, deps.secrets)) };
}

export async function getPlatformSettings(deps: PlatformSettingsDeps, _context: PermittedContext<"view-platform-settings">, platform: string) {
  const stored = await platformAdministration.getPlatform(deps.pool, platform);
  if (!stored) throw new NotFoundError("platform.not-configured", `intake has no settings for a platform called ${platform}`);
  return platformSettingsView(stored, deps.secrets);
}
