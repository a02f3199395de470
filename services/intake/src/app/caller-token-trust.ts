import type { DemoChain } from "@oms/service-kit";
import { demoIdentityOf, trustOfDemoIdentity, type TokenTrust } from "@oms/identity";

const fail = (message: string): never => {
  throw new Error(message);
};

/**
 * Whose tokens the gateway believes: the chain's identity provider, named by
 * `INTAKE_TOKEN_ISSUER`, `INTAKE_TOKEN_AUDIENCE` (default `oms-gateway`) and its public
 * keys — `INTAKE_TOKEN_JWKS_URL` (where it publishes them; rotations are picked up) or
 * `INTAKE_TOKEN_JWKS` (the key set itself, JSON). Only with none of them and the demo
 * seeded, the demo chain's provider, whose private key is in the repository. Without
 * either, intake does not start: a gateway that cannot tell who calls would let anyone be anyone.
 */
export function callerTrustOf(env: NodeJS.ProcessEnv, chain: DemoChain, seedDemo: boolean): TokenTrust {
  const url = env.INTAKE_TOKEN_JWKS_URL?.trim();
  const jwks = env.INTAKE_TOKEN_JWKS?.trim();
  if (!url && !jwks) {
    const demo = seedDemo ? demoIdentityOf(chain as DemoChain & { identity?: unknown }) : undefined;
    return demo
      ? trustOfDemoIdentity(demo)
      : fail("intake needs the identity provider's public keys to know who calls: set INTAKE_TOKEN_JWKS_URL or INTAKE_TOKEN_JWKS, with INTAKE_TOKEN_ISSUER");
  }
  if (url && jwks) fail("set one of INTAKE_TOKEN_JWKS_URL and INTAKE_TOKEN_JWKS, not both");
  const issuer = env.INTAKE_TOKEN_ISSUER?.trim() || fail("INTAKE_TOKEN_ISSUER must name the identity provider whose tokens intake accepts (the tokens' iss)");
  const audience = env.INTAKE_TOKEN_AUDIENCE?.trim() || "oms-gateway";
  if (url) {
    const parsed = URL.canParse(url) ? new URL(url) : fail(`INTAKE_TOKEN_JWKS_URL is not a URL: ${url}`);
    if (parsed.protocol !== "https:" && parsed.hostname !== "127.0.0.1" && parsed.hostname !== "localhost") {
      fail("INTAKE_TOKEN_JWKS_URL must be https (keys fetched in the clear could be swapped on the way)");
    }
    return { issuer, audience, keys: { url: parsed } };
  }
  return { issuer, audience, keys: { jwks: keySetOf(jwks!) } };
}

function keySetOf(raw: string): { keys: Record<string, unknown>[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return fail("INTAKE_TOKEN_JWKS must be a JSON key set {\"keys\": [...]}; it is not valid JSON");
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((key) => typeof key !== "object" || key === null)) {
    return fail("INTAKE_TOKEN_JWKS must be a JSON key set {\"keys\": [...]} with at least one key");
  }
  if (keys.some((key) => "d" in key || "k" in key)) fail("INTAKE_TOKEN_JWKS must hold public keys only: a private or symmetric key there would let the gateway sign");
  return { keys };
}
