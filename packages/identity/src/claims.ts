import type { Actor } from "@oms/contracts";
import { UnauthenticatedError } from "@oms/errors";

/**
 * What a caller's token says about them besides who issued it, for whom and until when:
 * `sub` is their id, `kind` what kind of caller they are, `role` a member of staff's role,
 * `stores` the stores a member of staff works at (`["*"]`: the whole chain). The identity
 * provider (the chain's staff directory, the site's customer accounts, the marketplace
 * onboarding) puts them there; the gateway believes them only once the signature holds.
 */
export interface CallerClaims {
  sub: string;
  kind: string;
  role?: string;
  stores?: string[];
}

/**
 * Where a caller may act: the whole chain, or the stores named. Customers and platforms
 * are the whole chain's (what is theirs is checked order by order); staff are what their
 * token says, so least privilege is the identity provider's to grant and the gateway's to hold.
 */
export type StoreScope = { kind: "chain" } | { kind: "stores"; stores: ReadonlySet<string> };

export const chainWide: StoreScope = { kind: "chain" };

/** Who a verified token names, where they may act, and when it was issued. */
export interface VerifiedCaller {
  actor: Actor;
  scope: StoreScope;
  /** The token's `iat` (seconds since the epoch), when it says: what a revocation of its subject is compared with (revocation.ts). */
  issuedAt?: number;
}

/** A caller's id (`sub`): what a token names and a revocation's subject carries after its kind. */
export const callerIdPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const storeIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const rolePattern = /^[a-z][a-z0-9-]{0,39}$/;

const malformed = (why: string) => new UnauthenticatedError("caller.malformed", `the token does not name a caller: ${why}`);

/**
 * The caller a verified token names: a member of staff in a role, a customer, or a
 * platform. "system" is not something an outside caller can be, whoever signed it.
 */
export function actorOfClaims(claims: Readonly<Record<string, unknown>>): Actor {
  const { sub, kind, role } = claims;
  if (typeof sub !== "string" || !callerIdPattern.test(sub)) throw malformed("sub must be an id of letters, digits and . _ @ - (at most 64)");
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
 * Where the caller a token names may act. A member of staff's token must say: the stores
 * they work at, or `["*"]` for the whole chain (head office, auditors). A token without it
 * is refused rather than read as the whole chain: a directory that forgot to map a clerk's
 * store must not make them everyone's clerk.
 */
export function scopeOfClaims(claims: Readonly<Record<string, unknown>>, actor: Actor): StoreScope {
  if (actor.kind !== "staff") return chainWide;
  const { stores } = claims;
  if (!Array.isArray(stores) || stores.length === 0 || stores.length > 200) {
    throw malformed('a member of staff\'s token names the stores they work at (stores: ["store-id", …], or ["*"] for the whole chain)');
  }
  if (stores.length === 1 && stores[0] === "*") return chainWide;
  if (stores.some((store) => typeof store !== "string" || !storeIdPattern.test(store))) {
    throw malformed('stores must be store ids (letters, digits and . _ -, at most 64), or ["*"] alone');
  }
  return { kind: "stores", stores: new Set(stores as string[]) };
}

/** The caller a verified token names, where they may act, and when the token was issued. */
export function callerOfClaims(claims: Readonly<Record<string, unknown>>): VerifiedCaller {
  const actor = actorOfClaims(claims);
  const { iat } = claims;
  // jose has checked that an iat, if present, is a number; one that is not finite is read as absent (issued before any revocation).
  return { actor, scope: scopeOfClaims(claims, actor), ...(typeof iat === "number" && Number.isFinite(iat) ? { issuedAt: iat } : {}) };
}

/**
 * The claims for a caller written the way people and logs name them: `staff:<id>:<role>`,
 * `customer:<id>`, `platform:<name>`; a member of staff works chain-wide unless stores
 * follow the role: `staff:<id>:<role>@<store>[,<store>…]`. Not checked: tests mint tokens
 * that name nobody on purpose, and the gateway is what refuses them.
 */
export function claimsOfActor(actor: string): CallerClaims {
  const [kind = "", sub = "", role, ...rest] = actor.split(":");
  const claims: CallerClaims = { sub, kind };
  if (role === undefined) return claims;
  const [roleName = "", stores] = [role, ...rest].join(":").split("@");
  claims.role = roleName;
  if (kind === "staff") claims.stores = stores === undefined ? ["*"] : stores.split(",");
  return claims;
}
