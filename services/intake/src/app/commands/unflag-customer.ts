import { NotFoundError } from "@oms/errors";
import { flaggedCustomerRepository } from "../../adapters/pg/flagged-customer-repository.ts";
import { customerFlagKeyOf, type FlaggedCustomerRef } from "../../domain/customer-flag.ts";
import type { CustomerFlagDeps } from "../customer-flag-views.ts";
import { actorLabel, type PermittedContext } from "../request-context.ts";

/** Lifts a customer's flag: their next order goes on without a reviewer (unless it is large or doubtful). */
export async function unflagCustomer(deps: CustomerFlagDeps, context: PermittedContext<"unflag-customer">, customer: FlaggedCustomerRef): Promise<void> {
  const customerKey = customerFlagKeyOf(customer, deps.matching.digestOf);
  const lifted = await flaggedCustomerRepository.unflag(deps.pool, customerKey);
  if (!lifted) throw new NotFoundError("customer-flag.not-found", "this customer is not flagged");
  deps.flaggedCustomers.invalidate();
  context.logger.info({ by: customer.by, liftedBy: actorLabel(context.caller) }, "customer flag lifted");
}
