import { z } from "zod";
import { currency, minor, text } from "./schema-primitives.ts";

/** The body and answer of a customer's credit. */

// Shapes only: which fields good and poor credit need, and their bounds, are billing's rules
// (it names each wrong field), so the gateway cannot drift from them.
export const CreditAssessmentRequestSchema = z
  .strictObject({
    rating: z.enum(["good", "poor"]).meta({ description: '"good": the customer buys on credit within a limit and terms; "poor": they prepay or pay on delivery.' }),
    limitMinor: minor()
      .optional()
      .meta({ description: "Good credit (required): what the customer may owe on credit at once, in minor units of the currency. Poor credit has none." }),
    currency: currency.optional().meta({ description: "Good credit (required): the limit's currency, e.g. CNY." }),
    // 3,650 only keeps the number a sane size on the wire; billing allows 1 to 365.
    termsDays: z.int().min(0).max(3_650).optional().meta({ description: "Good credit (required): the days the customer has to pay an on-credit order. Poor credit has none." }),
    reason: text(500).meta({ description: 'Why the credit is what it is, e.g. "paid every invoice on time for two years".' }),
  })
  .meta({
    title: "CreditAssessmentRequest",
    description: "A finance clerk's assessment of the customer's credit; it decides their next on-credit orders.",
  });

const money = z.object({ minor: z.int(), currency: z.string() });

const AssessmentViewSchema = z.object({
  rating: z.enum(["good", "poor"]),
  limit: money.meta({ description: "Good credit: what the customer may owe on credit at once (0 for poor credit)." }),
  termsDays: z.int().meta({ description: "Good credit: the days the customer has to pay (0 for poor credit)." }),
  reason: z.string(),
  assessedBy: z.string().meta({ description: 'The finance clerk, e.g. "staff:fin-1".' }),
  assessedAt: z.string(),
});

export const CustomerCreditViewSchema = z
  .object({
    customerId: z.string(),
    current: AssessmentViewSchema.nullable().meta({ description: "The newest assessment; null when the customer was never assessed (a finance clerk decides their on-credit orders)." }),
    exposure: money.meta({ description: "Owed now on the on-credit orders whose credit was granted; orders still waiting for credit owe nothing yet." }),
    openOrders: z.array(
      z.object({
        orderId: z.string(),
        storeId: z.string(),
        outstanding: money.meta({ description: "What is still owed on the order." }),
        decision: z.enum(["awaiting", "approved", "refused"]).meta({ description: "Billing's or a finance clerk's decision on the order's credit." }),
        collectionStartedAt: z.string().nullable().meta({ description: "When collection started on it because the customer's credit worsened; null while it has not." }),
      }),
    ),
    history: z.array(AssessmentViewSchema).meta({ description: "Every assessment, newest first." }),
  })
  .meta({ title: "CustomerCredit", description: "A customer's credit: the current assessment, what they owe on credit, their open on-credit orders, every assessment." });
