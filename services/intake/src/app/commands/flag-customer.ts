import type { StoreScope } from "@oms/identity";
import { flaggedCustomerRepository } from "../../adapters/pg/flagged-customer-repository.ts";
import { customerFlagKeyOf, flaggedContactOf, flagKeyKindOf, type FlaggedCustomerRef } from "../../domain/customer-flag.ts";
import { flagRaisedAt } from "../../domain/flag-visibility.ts";
import { customerFlagViewOf, flagContactBoundTo, type CustomerFlagDeps, type CustomerFlagView } from "../customer-flag-views.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

/**
 * A reviewer or the store manager flags a customer: from their next order on, every order
 * of theirs waits for a reviewer (domain/review.ts). Flagging again replaces the reason,
 * who and when. A phone or e-mail is stored only as its digest, with the contact sealed
 * beside it (ADR 024, addendum). The flag records the flagger's store (their token's, or the one of
 * theirs they name), which decides who else sees its contact in full; staff working chain-wide raise
 * flags with no store. The in-memory list is dropped, so the next order here reads the change.
 */
export async function flagCustomer(
  deps: CustomerFlagDeps,
  context: PermittedContext<"flag-customer">,
  scope: StoreScope,
  input: { customer: FlaggedCustomerRef; reason: string; storeId?: string | undefined },
): Promise<{ created: boolean; flag: CustomerFlagView }> {
  const raisedAtStore = flagRaisedAt(scope, input.storeId);
  const customerKey = customerFlagKeyOf(input.customer, deps.matching.digestOf);
  const contact = flaggedContactOf(input.customer);
  const flaggedBy = actorLabel(context.caller);
  const { created, flag } = await flaggedCustomerRepository.flag(
    deps.pool,
    {
      customerKey,
      reason: input.reason,
      sealedContact: contact && deps.contacts.sealValue(contact, flagContactBoundTo(customerKey)),
      matchedUnder: contact && deps.matching.keyCheck,
      raisedAtStore,
    },
    { flaggedBy, at: deps.now?.() ?? new Date() },
  );
  deps.flaggedCustomers.invalidate();
  // Neither the contact nor its digest is logged: the kind says enough.
  context.logger.info({ by: flagKeyKindOf(customerKey), flaggedBy, raisedAtStore, created }, "customer flagged for review");
  // The answer repeats the contact the caller just gave; nothing was opened for it.
  return { created, flag: customerFlagViewOf(flag, contact) };
}
