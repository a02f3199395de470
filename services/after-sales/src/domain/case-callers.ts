/**
 * Who may do what with after-sales cases (ADR 017), given the caller as the gateway
 * authenticated them. Pure.
 */
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@oms/errors";

export interface CaseCaller {
  kind: "staff" | "customer";
  id: string;
  role: string;
}

/** Staff who record a customer's request: a call, an e-mail, a counter visit. */
export const rolesThatOpen: ReadonlySet<string> = new Set(["customer-service", "order-taker", "store-manager", "supervisor"]);
/** Staff who accept, decline, answer and resolve cases. */
export const rolesThatDecide: ReadonlySet<string> = new Set(["customer-service", "supervisor", "store-manager"]);
/** Staff who settle by hand the rest of a refund that fell short (ADR 017, addendum). */
export const rolesThatSettleRefunds: ReadonlySet<string> = new Set(["finance"]);
/** Staff who record the carrier's answer to a claim (ADR 017, carrier-claim addendum): the desk, and finance, who see the money arrive. */
export const rolesThatAnswerCarrierClaims: ReadonlySet<string> = new Set([...rolesThatDecide, "finance"]);
/** Staff who publish a store's policy. */
export const rolesThatSetPolicy: ReadonlySet<string> = new Set(["store-manager"]);

/**
 * The customer the gateway makes of a request that names no one (no bearer token; intake's
 * `anonymousCustomerId`). Such a caller has nothing a case could be answered to.
 */
export const anonymousCustomerId = "anonymous";

export const callerLabel = (caller: { kind: string; id: string }) => `${caller.kind}:${caller.id}`;

function known(caller: { kind: string; id: string; role: string } | undefined): { kind: string; id: string; role: string } {
  if (!caller || !caller.id) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  return caller;
}

/** The caller, who must be staff in one of `roles`. */
export function staffIn(caller: { kind: string; id: string; role: string } | undefined, roles: ReadonlySet<string>, what: string): CaseCaller {
  const who = known(caller);
  if (who.kind !== "staff" || !roles.has(who.role)) throw new ForbiddenError("caller.not-permitted", `only staff in the roles ${[...roles].join(", ")} may ${what}`);
  return { kind: "staff", id: who.id, role: who.role };
}

/**
 * Who may open a case, before the order is looked up: staff who record requests, or a
 * customer (whose order it must be: `assertOwnOrder`, once the order is known).
 */
export function openerOf(caller: { kind: string; id: string; role: string } | undefined): CaseCaller {
  if (caller?.kind === "customer") {
    // A case is answered, declined or refunded to someone: a caller who is no one in particular
    // (and, through assertOwnOrder, anyone holding a guest order's id) would leave it with nobody.
    if (!caller.id.trim() || caller.id === anonymousCustomerId) {
      throw new ForbiddenError("after-sales.customer-unknown", "a case needs a customer to answer to: sign in to open it, or call customer service, who open it for you");
    }
    return { kind: "customer", id: caller.id, role: caller.role || "customer" };
  }
  const who = known(caller);
  return staffIn(who, rolesThatOpen, "open an after-sales case for a customer");
}

/**
 * Who may reject a visit's report (ADR 025, rework addendum): the customer, on their own case
 * (`assertOwnOrder`, once the case's order is known), or the desk recording it for them.
 */
export function visitRejecterOf(caller: { kind: string; id: string; role: string } | undefined): CaseCaller {
  if (caller?.kind === "customer") {
    if (!caller.id.trim() || caller.id === anonymousCustomerId) {
      throw new ForbiddenError("after-sales.customer-unknown", "sign in to reject the repair of your case, or call customer service, who record it for you");
    }
    return { kind: "customer", id: caller.id, role: caller.role || "customer" };
  }
  return staffIn(known(caller), rolesThatDecide, "reject a visit's report for a customer");
}

/**
 * A customer opens cases on their own orders only. A guest order names no one: its customer
 * has the order id as their receipt and nothing else to be known by, so a customer holding
 * it may ask (as they may sign for its delivery and read its pick-up code). Another account's
 * order is refused with `unknown`, the very refusal of an order (or case) nobody placed, so a
 * guessed id learns nothing (ADR 022, twenty-fifth-session addendum).
 */
export function assertOwnOrder(opener: CaseCaller, orderCustomerId: string, unknown: () => Error): void {
  if (opener.kind === "customer" && orderCustomerId !== "" && opener.id !== orderCustomerId) throw unknown();
}

/** What after-sales answers for an order it knows nothing of. */
export const unknownOrder = (orderId: string) => new NotFoundError("after-sales.order-unknown", `after-sales knows no order ${orderId}`);

/** What after-sales answers for a case nobody opened. */
export const unknownCase = (caseId: string) => new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
