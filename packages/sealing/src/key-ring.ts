import { createHash, createSecretKey, type KeyObject } from "node:crypto";

const KEY_BYTES = 32;
const keyIdPattern = /^[a-z0-9][a-z0-9-]{0,15}$/;

/** The keys data is sealed under: the current one seals, every one opens (so a rotation never strands what was sealed before). */
export interface SealingKeyRing {
  current: string;
  keys: ReadonlyMap<string, KeyObject>;
  /** "development": derived from a public constant, because no key was configured. */
  source: "configured" | "development";
}

/**
 * The ring in `variable`: `<keyId>:<base64 of 32 bytes>` entries separated by commas, the
 * first the one that seals (`k2:…,k1:…` after a rotation). Unset, a development key
 * anyone can derive: it only keeps development data from being plain text, and the
 * service says so at start. Messages name the variable, never a key.
 */
export function keyRingFromEnv(env: NodeJS.ProcessEnv, variable: string, developmentLabel: string): SealingKeyRing {
  const raw = env[variable]?.trim();
  if (!raw) {
    const key = createHash("sha256").update(`oms-sealing/development-key/${developmentLabel}`).digest();
    return { current: "dev", keys: new Map([["dev", createSecretKey(key)]]), source: "development" };
  }
  const keys = new Map<string, KeyObject>();
  for (const [index, entry] of raw.split(",").entries()) {
    const [keyId = "", encoded = "", ...rest] = entry.trim().split(":");
    const key = Buffer.from(encoded, "base64");
    if (!keyIdPattern.test(keyId) || rest.length > 0) {
      throw new Error(`${variable}: entry ${index + 1} must be <keyId>:<base64 key>, the id lower-case letters, digits and - (at most 16)`);
    }
    // Buffer.from ignores characters that are not base64; re-encoding catches such input.
    if (key.length !== KEY_BYTES || key.toString("base64").replace(/=+$/, "") !== encoded.replace(/=+$/, "")) {
      throw new Error(`${variable}: key ${keyId} must be ${KEY_BYTES} bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
    }
    if (keys.has(keyId)) throw new Error(`${variable}: key ${keyId} is named twice`);
    keys.set(keyId, createSecretKey(key));
  }
  return { current: [...keys.keys()][0]!, keys, source: "configured" };
}
