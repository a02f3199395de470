import type { SettlementDeps } from "../commands/confirm-payment.ts";
import { customerCreditViewOf, type CustomerCreditView } from "../credit-views.ts";
import type { PermittedContext } from "../request-context.ts";

/**
 * A customer's credit, from billing: the current assessment, what they owe on credit, their
 * open on-credit orders with billing's decision on each, and every assessment, newest first.
 * Billing answers a customer it never heard of as one never assessed: intake keeps no
 * register of customers to tell the two apart.
 */
export async function getCustomerCredit(deps: SettlementDeps, context: PermittedContext<"view-credit">, customerId: string): Promise<CustomerCreditView> {
  return customerCreditViewOf(await deps.billing.getCustomerCredit(customerId, context.correlationId));
}
