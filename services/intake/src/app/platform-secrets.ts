import type { DemoChain } from "@oms/service-kit";
import type { PlatformSettings } from "../adapters/pg/platform-repository.ts";

/** The demo chain's optional `platforms` section (infra/demo/chain.json); other services ignore it. */
interface DemoPlatform {
  demoSecret?: string;
  defaultStoreId?: string;
  storesByDistrict?: Record<string, string>;
  skuByItemId?: Record<string, string>;
  callbackUrl?: string;
}

function demoPlatformsOf(chain: DemoChain): Record<string, DemoPlatform> {
  return (chain as DemoChain & { platforms?: Record<string, DemoPlatform> }).platforms ?? {};
}

/** The demo chain's marketplaces as intake stores them. */
export function platformSettingsOfChain(chain: DemoChain): PlatformSettings[] {
  return Object.entries(demoPlatformsOf(chain)).map(([platform, p]) => ({
    platform,
    defaultStoreId: p.defaultStoreId,
    storesByDistrict: p.storesByDistrict ?? {},
    skuByItemId: p.skuByItemId ?? {},
    callbackUrl: p.callbackUrl,
  }));
}

/**
 * Each platform's signing secret: `INTAKE_PLATFORM_SECRETS` (JSON `{platform: secret}`),
 * and, only when the demo is seeded, the demo chain's `demoSecret`s for platforms the
 * environment does not name. Secrets are never logged.
 */
export function platformSecretsOf(env: NodeJS.ProcessEnv, chain: DemoChain, seedDemo: boolean): ReadonlyMap<string, string> {
  const secrets = new Map<string, string>();
  if (seedDemo) {
    for (const [platform, p] of Object.entries(demoPlatformsOf(chain))) if (p.demoSecret) secrets.set(platform, p.demoSecret);
  }
  const raw = env.INTAKE_PLATFORM_SECRETS;
  if (raw !== undefined && raw.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // Not the parser's message: it would quote the secrets.
      throw new Error("INTAKE_PLATFORM_SECRETS must be a JSON object {platform: secret}; it is not valid JSON");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("INTAKE_PLATFORM_SECRETS must be a JSON object {platform: secret}");
    for (const [platform, secret] of Object.entries(parsed)) {
      if (typeof secret !== "string" || secret.length < 16) throw new Error(`INTAKE_PLATFORM_SECRETS: the secret of ${platform} must be a string of at least 16 characters`);
      secrets.set(platform, secret);
    }
  }
  return secrets;
}
