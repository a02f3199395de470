import { readFileSync } from "node:fs";
import path from "node:path";
import { repositoryRoot } from "@oms/infra";
import { claimsOfActor, demoIdentityOf, mintCallerToken, trustOfDemoIdentity, type DemoIdentity, type TokenTrust } from "@oms/identity";

/** The demo chain's identity provider, whose key tests sign with: the services under test trust it (OMS_SEED_DEMO, or testCallerTrust in process). */
export const testIdentity: DemoIdentity = (() => {
  const chain = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")) as { identity?: unknown };
  const identity = demoIdentityOf(chain);
  if (identity === undefined) throw new Error("infra/demo/chain.json has no identity section; tests sign their callers' tokens with it");
  return identity;
})();

/** What an intake started in process by a spec trusts: the demo provider, as the seeded system does. */
export const testCallerTrust: TokenTrust = trustOfDemoIdentity(testIdentity);

// A spec, the bench or the harness names the same callers again and again: one token each.
const minted = new Map<string, { token: string; renewAfterMs: number }>();
const tokenHours = 12;

/** When a token is issued (seconds since the epoch): for specs of withdrawn tokens, a token from before or after a revocation. */
export interface TokenIssue {
  issuedAt: number;
}

/**
 * A bearer token from the demo identity provider naming `actor`, written the way people
 * and logs name callers (`staff:<id>:<role>`, `customer:<id>`, `platform:<name>`); an actor
 * that names nobody valid is signed as it is, for specs that show the gateway refusing it.
 * With `issue`, a new token issued then (never the remembered one: a revoked subject signs in again).
 */
export function tokenFor(actor: string, issue?: TokenIssue): string {
  if (issue !== undefined) return mintCallerToken(testIdentity.signingKey, testIdentity, claimsOfActor(actor), { issuedAt: issue.issuedAt, ttlSeconds: tokenHours * 3600 });
  const known = minted.get(actor);
  if (known !== undefined && known.renewAfterMs > Date.now()) return known.token;
  const token = mintCallerToken(testIdentity.signingKey, testIdentity, claimsOfActor(actor), { ttlSeconds: tokenHours * 3600 });
  // Bounded: the bench names a customer per order.
  if (minted.size >= 50_000) minted.clear();
  minted.set(actor, { token, renewAfterMs: Date.now() + (tokenHours - 1) * 3600_000 });
  return token;
}

/**
 * The headers that make a request come from `actor`: every spec, the bench and the fault
 * harness say who calls through here. "" is nobody: no token, the anonymous customer.
 */
export function callerHeaders(actor: string, issue?: TokenIssue): Record<string, string> {
  return actor === "" ? {} : { authorization: `Bearer ${tokenFor(actor, issue)}` };
}
