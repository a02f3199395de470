import type { TokenAudience } from "./mint.ts";
import { publicJwkOf, type SigningKey } from "./signing-key.ts";
import type { TokenTrust } from "./verifier.ts";

/**
 * The demo chain's identity provider (infra/demo/chain.json, `identity`): who issues its
 * tokens, for whom, and the key it signs them with. Its private key is in the repository,
 * so it is trusted only when the demo is seeded, and tests and `npm run token` sign with it.
 */
export interface DemoIdentity extends TokenAudience {
  signingKey: SigningKey;
  tokenHours: number;
}

interface DemoIdentitySection {
  issuer?: unknown;
  audience?: unknown;
  tokenHours?: unknown;
  demoSigningKey?: { kid?: unknown; jwk?: unknown };
}

export function demoIdentityOf(chain: { identity?: unknown }): DemoIdentity | undefined {
  const section = chain.identity as DemoIdentitySection | undefined;
  if (section === undefined) return undefined;
  const { issuer, audience, tokenHours = 8, demoSigningKey } = section;
  if (typeof issuer !== "string" || typeof audience !== "string" || typeof tokenHours !== "number") {
    throw new Error("the demo chain's identity needs an issuer and an audience (strings) and tokenHours (a number)");
  }
  if (typeof demoSigningKey?.kid !== "string" || typeof demoSigningKey.jwk !== "object" || demoSigningKey.jwk === null) {
    throw new Error("the demo chain's identity needs demoSigningKey with a kid and a jwk");
  }
  return { issuer, audience, tokenHours, signingKey: { kid: demoSigningKey.kid, jwk: demoSigningKey.jwk as SigningKey["jwk"] } };
}

/** What the gateway trusts in the demo: the demo provider's public key only. */
export function trustOfDemoIdentity(identity: DemoIdentity): TokenTrust {
  return { issuer: identity.issuer, audience: identity.audience, keys: { jwks: { keys: [publicJwkOf(identity.signingKey)] } } };
}
