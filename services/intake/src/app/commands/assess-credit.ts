import { ValidationError } from "@oms/errors";
import type { CreditAssessment } from "../../adapters/grpc-clients/billing.ts";
import type { SettlementDeps } from "./confirm-payment.ts";
import { customerCreditViewOf, type CustomerCreditView } from "../credit-views.ts";
import type { PermittedContext } from "../request-context.ts";

/**
 * A finance clerk assesses a customer's credit: good (a limit and payment terms) or poor
 * (prepayment or cash on delivery). Billing owns the rules — what good and poor credit need,
 * the bounds of a limit and of terms — and names each wrong field; the newest assessment
 * decides the customer's next on-credit orders, and one that worsens the credit starts
 * collection on what they owe. Answers the customer's credit as it now stands.
 */
export async function assessCredit(deps: SettlementDeps, context: PermittedContext<"assess-credit">, customerId: string, assessment: CreditAssessment): Promise<CustomerCreditView> {
  try {
    return customerCreditViewOf(await deps.billing.assessCredit(customerId, context.caller, assessment, context.correlationId));
  } catch (error) {
    // Billing names its own fields (a Money "limit"); the caller sent the body's.
    if (error instanceof ValidationError) throw new ValidationError(error.fields.map((f) => ({ ...f, field: bodyFieldOf[f.field] ?? f.field })));
    throw error;
  }
}

const bodyFieldOf: Record<string, string> = { limit: "limitMinor", "limit.currency": "currency" };
