import { flaggedCustomerRepository } from "../../adapters/pg/platform-repository.ts";
import { customerFlagKeyOf, flagKeyKindOf, type FlaggedCustomerRef } from "../../domain/customer-flag.ts";
import { customerFlagViewOf, type CustomerFlagDeps, type CustomerFlagView } from "../customer-flag-views.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

/**
 * A reviewer or the store manager flags a customer: from their next order on, every order
 * of theirs waits for a reviewer (domain/review.ts). Flagging again replaces the reason,
 * who and when. The in-memory list is dropped, so the next order here reads the change.
 */
export async function flagCustomer(
  deps: CustomerFlagDeps,
  context: PermittedContext<"flag-customer">,
  input: { customer: FlaggedCustomerRef; reason: string },
): Promise<{ created: boolean; flag: CustomerFlagView }> {
  const customerKey = customerFlagKeyOf(input.customer);
  const flaggedBy = actorLabel(context.caller);
  const { created, flag } = await flaggedCustomerRepository.flag(deps.pool, customerKey, input.reason, { flaggedBy, at: deps.now?.() ?? new Date() });
  deps.flaggedCustomers.invalidate();
  // The key is never logged: it may be a phone number or an e-mail address.
  context.logger.info({ by: flagKeyKindOf(customerKey), flaggedBy, created }, "customer flagged for review");
  return { created, flag: customerFlagViewOf(flag) };
}
