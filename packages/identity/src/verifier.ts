import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { UnauthenticatedError, UnavailableError } from "@oms/errors";
import { callerOfClaims, type VerifiedCaller } from "./claims.ts";
import type { TokenAudience } from "./mint.ts";

/** Which tokens the gateway believes: those its identity provider signed, for it, still valid. */
export interface TokenTrust extends TokenAudience {
  /** The provider's public keys: a key set given whole, or the URL it publishes them at (fetched and refreshed as keys rotate). */
  keys: { jwks: JSONWebKeySet } | { url: URL };
}

export interface VerifierOptions {
  /** Verified tokens remembered, so a caller's every request is not a signature check (default 10,000). */
  rememberedTokens?: number;
  /** Clock difference tolerated against the provider's (default 30 s). */
  clockToleranceSeconds?: number;
  /**
   * How long after its `iat` a token is accepted, whatever its `exp` says (default a day).
   * What bounds how long a revocation matters (revocation.ts, `revocationHorizonSeconds`):
   * without it a token could be issued for years, and no revocation could ever be forgotten.
   */
  maxTokenAgeSeconds?: number;
  now?: () => number;
}

export const defaultClockToleranceSeconds = 30;
/** A working day and a night: the demo's tokens (8 h) and the tests' (12 h) fit; a chain's provider should issue far shorter ones. */
export const defaultMaxTokenAgeSeconds = 86_400;

/** Asymmetric only: a symmetric key in the set would let anyone who can verify also sign. */
const algorithms = ["EdDSA", "ES256", "ES384", "RS256", "PS256"];

/** What is wrong with a token, in words a caller can act on; never the token itself. */
function refusalOf(error: unknown): Error {
  if (error instanceof errors.JWTExpired) {
    return new UnauthenticatedError("caller.token-expired", error.claim === "iat" ? "the token was issued longer ago than this gateway accepts; sign in again" : "the token has expired; sign in again");
  }
  if (error instanceof errors.JWKSTimeout) return new UnavailableError("identity.unavailable", "the identity provider's keys cannot be fetched now");
  if (error instanceof errors.JWTClaimValidationFailed) return new UnauthenticatedError("caller.token-invalid", `the token's ${error.claim} claim is not accepted here (${error.reason})`);
  if (error instanceof errors.JWKSNoMatchingKey) return new UnauthenticatedError("caller.token-invalid", "the token is signed with a key this gateway does not trust");
  if (error instanceof errors.JOSEAlgNotAllowed) return new UnauthenticatedError("caller.token-invalid", `the token's algorithm is not accepted (only ${algorithms.join(", ")})`);
  if (error instanceof errors.JOSEError) return new UnauthenticatedError("caller.token-invalid", "the token is not a valid signed token from the trusted identity provider");
  // Not jose's: the provider's key set could not be fetched at all.
  return new UnavailableError("identity.unavailable", "the identity provider's keys cannot be fetched now");
}

export type CallerVerifier = (authorization: string | undefined) => Promise<VerifiedCaller | undefined>;

/**
 * The caller an `Authorization: Bearer <token>` header proves, and the stores they may act
 * at, or undefined when the
 * request carries none (a customer ordering without an account). A token that is
 * malformed, expired, signed by another key or naming nobody is refused, never read as
 * anonymous: someone who tried to say who they are and failed is not let through as nobody.
 */
export function callerVerifier(trust: TokenTrust, options: VerifierOptions = {}): CallerVerifier {
  const keys: JWTVerifyGetKey = "url" in trust.keys ? createRemoteJWKSet(trust.keys.url) : createLocalJWKSet(trust.keys.jwks);
  const now = options.now ?? Date.now;
  const capacity = options.rememberedTokens ?? 10_000;
  const clockTolerance = options.clockToleranceSeconds ?? defaultClockToleranceSeconds;
  const maxTokenAge = options.maxTokenAgeSeconds ?? defaultMaxTokenAgeSeconds;
  // Token → who it names and until when; insertion order makes the oldest the first to go.
  const remembered = new Map<string, { caller: VerifiedCaller; expiresAtMs: number }>();

  return async (authorization) => {
    if (authorization === undefined || authorization === "") return undefined;
    const [scheme, token, ...rest] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token || rest.length > 0) {
      throw new UnauthenticatedError("caller.token-malformed", "Authorization must be \"Bearer <token>\"");
    }
    const known = remembered.get(token);
    if (known !== undefined && known.expiresAtMs > now()) return known.caller;
    remembered.delete(token);

    const verified = await jwtVerify(token, keys, {
      issuer: trust.issuer,
      audience: trust.audience,
      algorithms,
      // maxTokenAge makes iat required too: a token that does not say when it was issued could be any age.
      requiredClaims: ["exp", "sub", "iat"],
      maxTokenAge,
      clockTolerance,
      currentDate: new Date(now()),
    }).catch((error: unknown) => {
      throw refusalOf(error);
    });
    const caller = callerOfClaims(verified.payload);
    if (remembered.size >= capacity) remembered.delete(remembered.keys().next().value!);
    // Remembered no longer than it would be accepted: until it expires or grows too old, whichever comes first.
    const tooOldAtMs = (verified.payload.iat! + maxTokenAge + clockTolerance) * 1000;
    remembered.set(token, { caller, expiresAtMs: Math.min(verified.payload.exp! * 1000, tooOldAtMs) });
    return caller;
  };
}
