import { createLocalJWKSet, createRemoteJWKSet, errors, jwksCache, jwtVerify, type ExportedJWKSCache, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { UnauthenticatedError, UnavailableError } from "@oms/errors";
import { callerOfClaims, type VerifiedCaller } from "./claims.ts";
import type { TokenAudience } from "./mint.ts";
import { RememberedTokens, usableWindowOf } from "./remembered-tokens.ts";

/** Which tokens the gateway believes: those its identity provider signed, for it, still valid. */
export interface TokenTrust extends TokenAudience {
  /** The provider's public keys: a key set given whole, or the URL it publishes them at (fetched and refreshed as keys rotate). */
  keys: { jwks: JSONWebKeySet } | { url: URL };
}

export interface VerifierOptions {
  /** Verified tokens remembered, so a caller's every request is not a signature check (default 10,000; 0 remembers none). */
  rememberedTokens?: number;
  /** The memory itself, for specs that look into it; one of `rememberedTokens` by default. */
  remembered?: RememberedTokens;
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
export const defaultRememberedTokens = 10_000;
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
  const keys = keySetOf(trust);
  const now = options.now ?? Date.now;
  const remembered = options.remembered ?? new RememberedTokens(options.rememberedTokens ?? defaultRememberedTokens);
  const clockTolerance = options.clockToleranceSeconds ?? defaultClockToleranceSeconds;
  const maxTokenAge = options.maxTokenAgeSeconds ?? defaultMaxTokenAgeSeconds;

  return async (authorization) => {
    if (authorization === undefined || authorization === "") return undefined;
    const [scheme, token, ...rest] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token || rest.length > 0) {
      throw new UnauthenticatedError("caller.token-malformed", "Authorization must be \"Bearer <token>\"");
    }
    // A key set jose would refetch before verifying is not trusted from memory either: the full path refetches it.
    if (keys.fresh()) {
      const known = remembered.recall(token, now(), keys.current());
      if (known !== undefined) return known;
    }

    const keySetBefore = keys.current();
    const verifiedAtMs = now();
    const verified = await jwtVerify(token, keys.getKey, {
      issuer: trust.issuer,
      audience: trust.audience,
      algorithms,
      // maxTokenAge makes iat required too: a token that does not say when it was issued could be any age.
      requiredClaims: ["exp", "sub", "iat"],
      maxTokenAge,
      clockTolerance,
      currentDate: new Date(verifiedAtMs),
    }).catch((error: unknown) => {
      // Never remembered: a refusal may be the provider's keys not reachable yet, or a key not yet published.
      throw refusalOf(error);
    });
    const caller = callerOfClaims(verified.payload);
    // Only a token verified with the set still current: one refetched meanwhile may have dropped its key.
    if (keys.current() === keySetBefore) {
      const claims = { exp: verified.payload.exp!, iat: verified.payload.iat! };
      remembered.remember(token, caller, usableWindowOf(claims, verifiedAtMs, maxTokenAge), keySetBefore);
    }
    return caller;
  };
}

/** The provider's keys, and which set of them is current: a remote set is replaced (a new object) on every refetch. */
interface TrustedKeys {
  getKey: JWTVerifyGetKey;
  current(): unknown;
  /** False when jose would refetch the remote set before its next verification (its cache is older than it keeps one). */
  fresh(): boolean;
}

function keySetOf(trust: TokenTrust): TrustedKeys {
  if (!("url" in trust.keys)) {
    // Read once; the set cannot change while the process runs.
    const local = createLocalJWKSet(trust.keys.jwks);
    return { getKey: local, current: () => local, fresh: () => true };
  }
  // jose writes every set it fetches here, in the same step as it starts verifying with it.
  const fetched = {} as ExportedJWKSCache;
  const remote = createRemoteJWKSet(trust.keys.url, { [jwksCache]: fetched });
  return { getKey: remote, current: () => fetched.jwks, fresh: () => remote.fresh };
}
