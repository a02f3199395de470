import type { Actor } from "@oms/contracts";
import { UnauthenticatedError } from "@oms/errors";

/**
 * What a caller's token says about them besides who issued it, for whom and until when:
 * `sub` is their id, `kind` what kind of caller they are, `role` a member of staff's role.
 * The identity provider (the chain's staff directory, the site's customer accounts, the
 * marketplace onboarding) puts them there; the gateway believes them only once the
 * signature holds.
 */
export interface CallerClaims {
  sub: string;
  kind: string;
  role?: string;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const rolePattern = /^[a-z][a-z0-9-]{0,39}$/;

const malformed = (why: string) => new UnauthenticatedError("caller.malformed", `the token does not name a caller: ${why}`);

/**
 * The caller a verified token names: a member of staff in a role, a customer, or a
 * platform. "system" is not something an outside caller can be, whoever signed it.
 */
export function actorOfClaims(claims: Readonly<Record<string, unknown>>): Actor {
  const { sub, kind, role } = claims;
  if (typeof sub !== "string" || !idPattern.test(sub)) throw malformed("sub must be an id of letters, digits and . _ @ - (at most 64)");
  if (kind === "staff") {
    if (typeof role !== "string" || !rolePattern.test(role)) throw malformed("a member of staff's token needs a role (lower-case letters, digits and -)");
    return { kind, id: sub, role };
  }
  if (kind === "customer" || kind === "platform") {
    if (role !== undefined) throw malformed(`a ${kind}'s token carries no role`);
    return { kind, id: sub, role: kind };
  }
  throw malformed("kind must be staff, customer or platform");
}

/**
 * The claims for a caller written the way people and logs name them: `staff:<id>:<role>`,
 * `customer:<id>`, `platform:<name>`. Not checked: tests mint tokens that name nobody on
 * purpose, and the gateway is what refuses them.
 */
export function claimsOfActor(actor: string): CallerClaims {
  const [kind = "", sub = "", role, ...rest] = actor.split(":");
  const claims: CallerClaims = { sub, kind };
  if (role !== undefined) claims.role = [role, ...rest].join(":");
  return claims;
}
