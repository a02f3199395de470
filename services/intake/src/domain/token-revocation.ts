import type { Actor } from "@oms/contracts";
import { ForbiddenError } from "@oms/errors";
import type { StoreScope, TokenSubject } from "@oms/identity";

/**
 * Who may withdraw whose tokens (ADR 022, "Withdrawing tokens"), past the permission table's
 * coarse "a member of staff": anyone of the staff their own ("sign out everywhere"); the store
 * manager their stores' staff (a scoped manager's: the person must be placed in one of their
 * stores, which dispatch knows); customers' and platforms' tokens only a store manager or an
 * auditor working chain-wide, since neither belongs to a store.
 */
export type RevocationGrant = { granted: true } | { granted: "if-staff-of"; stores: ReadonlySet<string> };

const granted: RevocationGrant = { granted: true };
const notPermitted = (message: string) => new ForbiddenError("caller.not-permitted", message);
const isSelf = (caller: Actor, subject: TokenSubject) => caller.kind === subject.kind && caller.id === subject.id;

export function grantToRevoke(caller: Actor, scope: StoreScope, subject: TokenSubject): RevocationGrant {
  if (caller.kind === "staff" && isSelf(caller, subject)) return granted;
  const role = caller.kind === "staff" ? caller.role : undefined;
  if (subject.kind === "staff") {
    if (role !== "store-manager") throw notPermitted("a member of staff's tokens are withdrawn by themself or by the store manager of their store");
    return scope.kind === "chain" ? granted : { granted: "if-staff-of", stores: scope.stores };
  }
  if (role !== "store-manager" && role !== "auditor") throw notPermitted(`a ${subject.kind}'s tokens are withdrawn by a store manager or an auditor working chain-wide`);
  if (scope.kind !== "chain") throw notPermitted(`a ${subject.kind} belongs to no store: their tokens are withdrawn by a store manager or an auditor working chain-wide`);
  return granted;
}

/**
 * Whose revocations a caller the permission table lets read them (auditors, store managers)
 * may see: working chain-wide, anyone's; held to stores, one subject at a time — themself, or
 * a member of staff placed in one of their stores — since the log does not say where anyone works.
 */
export function grantToList(caller: Actor, scope: StoreScope, subject: TokenSubject | undefined): RevocationGrant {
  if (scope.kind === "chain") return granted;
  const yours = [...scope.stores].join(", ");
  if (subject === undefined) throw new ForbiddenError("caller.store-scope-required", `name a member of staff of your stores with subject=staff:<id> (you work at ${yours})`);
  if (isSelf(caller, subject)) return granted;
  if (subject.kind !== "staff") throw new ForbiddenError("caller.out-of-store-scope", `a ${subject.kind} belongs to no store; only staff working chain-wide read their revocations`);
  return { granted: "if-staff-of", stores: scope.stores };
}
