import { defaultClockToleranceSeconds, defaultMaxTokenAgeSeconds, defaultRememberedTokens, revocationHorizonSeconds } from "@oms/identity";

/**
 * How old a caller's token may be, and so how long a revocation is consulted (ADR 022,
 * "Forgetting revocations"). The gateway accepts a token for at most
 * `INTAKE_TOKEN_MAX_AGE_SECONDS` after its `iat` (a day unless set; set it to the lifetime
 * the chain's provider issues), whatever its `exp` says; a revocation older than that plus the
 * clock tolerance cuts off no token still accepted, so the list every intake holds forgets it.
 * `INTAKE_TOKEN_REVOCATIONS_HORIZON_SECONDS` may keep revocations consulted for longer, never
 * shorter: a shorter horizon would let a withdrawn token back in before it is too old.
 */
export const MAX_TOKEN_AGE_VARIABLE = "INTAKE_TOKEN_MAX_AGE_SECONDS";
export const REVOCATION_HORIZON_VARIABLE = "INTAKE_TOKEN_REVOCATIONS_HORIZON_SECONDS";

export interface TokenAgeLimits {
  maxTokenAgeSeconds: number;
  clockToleranceSeconds: number;
  /** How long after its moment a revocation is still consulted and loaded. */
  revocationHorizonSeconds: number;
}

const minimumAge = 60;
const maximumAge = 30 * 86_400;
const maximumHorizon = 366 * 86_400;

export function tokenAgeLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): TokenAgeLimits {
  const maxTokenAgeSeconds = wholeNumber(env, MAX_TOKEN_AGE_VARIABLE, defaultMaxTokenAgeSeconds, minimumAge, maximumAge);
  const clockToleranceSeconds = defaultClockToleranceSeconds;
  const least = revocationHorizonSeconds({ maxTokenAgeSeconds, clockToleranceSeconds });
  const horizon = wholeNumber(env, REVOCATION_HORIZON_VARIABLE, least, least, maximumHorizon, `of seconds from ${least} (${MAX_TOKEN_AGE_VARIABLE} and the ${clockToleranceSeconds} s of clock tolerance: a shorter horizon would let withdrawn tokens back in) to ${maximumHorizon}`);
  return { maxTokenAgeSeconds, clockToleranceSeconds, revocationHorizonSeconds: horizon };
}

/**
 * How many verified tokens each intake remembers, so a caller's next request with the same
 * token is a lookup, not a signature check (ADR 022, "verified tokens remembered"): 10,000
 * unless set, 0 to verify every request in full. A token is a few hundred bytes; the least
 * recently used goes first.
 */
export const REMEMBERED_TOKENS_VARIABLE = "INTAKE_TOKEN_REMEMBERED";

export function rememberedTokensFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumber(env, REMEMBERED_TOKENS_VARIABLE, defaultRememberedTokens, 0, 1_000_000, "of tokens from 0 to 1000000");
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, least: number, most: number, range = `of seconds from ${least} to ${most}`): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < least || value > most) throw new Error(`${name} must be a whole number ${range}, got ${JSON.stringify(raw)}`);
  return value;
}
