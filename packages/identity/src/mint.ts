import { sign } from "node:crypto";
import type { CallerClaims } from "./claims.ts";
import { privateKeyOf, type SigningKey } from "./signing-key.ts";

/** Who a token is issued by and for. */
export interface TokenAudience {
  issuer: string;
  audience: string;
}

export interface MintOptions {
  /** Seconds since the epoch the token is issued at (default now). */
  issuedAt?: number;
  /** How long it is valid (default one hour). */
  ttlSeconds?: number;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/**
 * A signed token (compact JWS, EdDSA) naming a caller: what the chain's identity provider
 * issues, minted here for the demo chain and for tests. Synchronous on purpose, so a
 * spec's headers can be written where they are used.
 */
export function mintCallerToken(key: SigningKey, to: TokenAudience, claims: CallerClaims, options: MintOptions = {}): string {
  const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "EdDSA", typ: "JWT", kid: key.kid }));
  const payload = base64url(JSON.stringify({ iss: to.issuer, aud: to.audience, iat, exp: iat + (options.ttlSeconds ?? 3600), ...claims }));
  const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKeyOf(key));
  return `${header}.${payload}.${base64url(signature)}`;
}
