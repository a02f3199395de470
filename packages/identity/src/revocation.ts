import type { Actor } from "@oms/contracts";
import { UnauthenticatedError } from "@oms/errors";
import { callerIdPattern } from "./claims.ts";
import type { CallerVerifier } from "./verifier.ts";

/**
 * Withdrawing tokens before they expire (ADR 022, "Withdrawing tokens"). A revocation names
 * a subject — whom tokens are issued to, `<kind>:<sub>`, whatever role or stores a token of
 * theirs says — and a moment: every token of that subject issued at or before it is refused
 * from then on; one issued after it works (the person signed in again, perhaps in a new role).
 */

export const tokenSubjectKinds = ["staff", "customer", "platform"] as const;
export type TokenSubjectKind = (typeof tokenSubjectKinds)[number];

export interface TokenSubject {
  kind: TokenSubjectKind;
  id: string;
}

/** The subject of the tokens that name this caller: `staff:s-7`, `customer:c-42`, `platform:tmall`. */
export function tokenSubjectOf(actor: Pick<Actor, "kind" | "id">): string {
  return `${actor.kind}:${actor.id}`;
}

/** A subject as people write it (`staff:<id>`, `customer:<id>`, `platform:<name>`), or undefined when it names nobody a token could. */
export function parseTokenSubject(text: string): TokenSubject | undefined {
  const colon = text.indexOf(":");
  const kind = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (colon < 0 || !(tokenSubjectKinds as readonly string[]).includes(kind) || !callerIdPattern.test(id)) return undefined;
  return { kind: kind as TokenSubjectKind, id };
}

/**
 * Whether a revocation at `notBeforeMs` cuts off a token issued at `issuedAt` (its `iat`,
 * seconds). `iat` says only the second: a token of the revocation's own second may have been
 * issued just before it as well as just after, so it is refused too (the person signs in again
 * a second later). A token that does not say when it was issued counts as issued before.
 */
export function isCutOff(issuedAt: number | undefined, notBeforeMs: number): boolean {
  if (issuedAt === undefined) return true;
  return Math.floor(issuedAt) <= Math.floor(notBeforeMs / 1000);
}

/** The first moment a token may be issued at and not be cut off by a revocation at `notBeforeMs`: the next whole second. */
export function firstIssueAfter(notBeforeMs: number): number {
  return (Math.floor(notBeforeMs / 1000) + 1) * 1000;
}

/**
 * How long a revocation matters, in whole seconds: while a token it cuts off could still be
 * accepted. The verifier accepts a token only while `now - iat` is at most the maximum age
 * plus the clock tolerance (verifier.ts), so every accepted token was issued at or after
 * `now - horizon`; a revocation dated before that cuts off none of them and can be forgotten.
 * The same `iat` is compared with both, so how far the provider's, the database's and the
 * gateway's clocks differ does not enter: only the tolerance the verifier already allows.
 */
export function revocationHorizonSeconds(limits: { maxTokenAgeSeconds: number; clockToleranceSeconds: number }): number {
  return Math.ceil(limits.maxTokenAgeSeconds + limits.clockToleranceSeconds);
}

/**
 * The earliest not-before (epoch milliseconds) a revocation may carry and still cut off a
 * token the gateway accepts at `nowMs`; one before it can be forgotten. By whole seconds, as
 * `isCutOff` and the verifier count them: a token issued in the second `now - horizon` is
 * still accepted and cut off by a revocation anywhere in that second.
 */
export function revocationsConsultedFrom(nowMs: number, horizonSeconds: number): number {
  return (Math.floor(nowMs / 1000) - horizonSeconds) * 1000;
}

/** The latest revocation of each subject (epoch milliseconds), as this process knows them. */
export interface RevokedSubjects {
  notBeforeOf(subject: string): number | undefined;
}

/**
 * Refuses a verified caller whose token a revocation of their subject cuts off: one map
 * lookup per authenticated request, after the verifier, so a token the verifier remembers
 * is held to it too. A request without a token (an anonymous customer) is not looked up.
 */
export function revocationChecked(verify: CallerVerifier, revoked: RevokedSubjects): CallerVerifier {
  return async (authorization) => {
    const caller = await verify(authorization);
    if (caller === undefined) return undefined;
    const notBefore = revoked.notBeforeOf(tokenSubjectOf(caller.actor));
    if (notBefore !== undefined && isCutOff(caller.issuedAt, notBefore)) {
      throw new UnauthenticatedError("caller.token-revoked", `the token was withdrawn (tokens issued up to ${new Date(notBefore).toISOString()} no longer count); sign in again`);
    }
    return caller;
  };
}
