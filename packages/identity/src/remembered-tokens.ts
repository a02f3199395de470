import type { VerifiedCaller } from "./claims.ts";

/**
 * Verified tokens remembered, so a caller's every request is not a signature check (ADR 022,
 * "verified tokens remembered"). Pure: the clock and the key set come in with every call.
 *
 * A remembered token answers only when a full verification would accept it too:
 * - keyed by the whole token string, so nothing but a byte-identical token is ever answered;
 * - only within its usable window (`usableWindowOf`), judged at use time by the caller's clock;
 * - only against the key set it was verified with: another set (a refreshed remote key set)
 *   forgets every token, since a key it verified with may be gone.
 * Bounded: the least recently used token goes first.
 */
export interface UsableWindow {
  /** The moment it was verified: before it (a clock stepped back), nothing said it is valid yet. */
  fromMs: number;
  /** Its `exp` or its `iat` plus the maximum age, whichever is first, without the clock tolerance. */
  untilMs: number;
}

/**
 * When a token verified at `verifiedAtMs` may be answered from memory. Every time check the
 * verifier makes (nbf, iat not in the future, exp, maximum age) holds from some moment to
 * some later one, so one that passed at `verifiedAtMs` passes at every later moment before
 * `exp` and `iat + maxTokenAge`. The verifier allows the clock tolerance beyond both; memory
 * does not (the stricter bound): in the tolerance a token is verified in full every time.
 */
export function usableWindowOf(claims: { exp: number; iat: number }, verifiedAtMs: number, maxTokenAgeSeconds: number): UsableWindow {
  return { fromMs: verifiedAtMs, untilMs: Math.min(claims.exp, claims.iat + maxTokenAgeSeconds) * 1000 };
}

interface Remembered {
  caller: VerifiedCaller;
  window: UsableWindow;
}

export class RememberedTokens {
  // Map keeps insertion order: a token used is moved to the end, so the first is the least recently used.
  private readonly tokens = new Map<string, Remembered>();
  /** The key set every remembered token was verified with. */
  private keySet: unknown = undefined;

  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`capacity must be a whole number, got ${capacity}`);
  }

  get size(): number {
    return this.tokens.size;
  }

  /** The caller `token` names, if it was verified with `keySet` and is within its window at `nowMs`. */
  recall(token: string, nowMs: number, keySet: unknown): VerifiedCaller | undefined {
    this.holdTo(keySet);
    const known = this.tokens.get(token);
    if (known === undefined) return undefined;
    this.tokens.delete(token);
    if (nowMs < known.window.fromMs || nowMs >= known.window.untilMs) return undefined;
    this.tokens.set(token, known);
    return known.caller;
  }

  /** Remembers a token verified with `keySet` — the set that was current all through its verification. */
  remember(token: string, caller: VerifiedCaller, window: UsableWindow, keySet: unknown): void {
    this.holdTo(keySet);
    if (this.capacity === 0 || window.untilMs <= window.fromMs) return;
    this.tokens.delete(token);
    while (this.tokens.size >= this.capacity) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(token, { caller: Object.freeze({ ...caller, actor: Object.freeze({ ...caller.actor }) }), window });
  }

  private holdTo(keySet: unknown): void {
    if (keySet === this.keySet) return;
    this.tokens.clear();
    this.keySet = keySet;
  }
}
