import { z } from "zod";
import { text } from "./schema-primitives.ts";

/** Bodies and answers of an order's refunds. */

export const RefundRequestSchema = z
  .strictObject({
    amountMinor: z.int().min(1).max(100_000_000_000).meta({ description: "In minor units of the order's currency; at most what was paid and not yet refunded." }),
    reason: text(500).meta({ description: 'Why the money goes back, e.g. "goodwill: late delivery".' }),
    reference: text(128).meta({
      description: "Your own reference of this refund (ticket, voucher): a retry with the same reference refunds nothing more and answers the refunds as they are.",
    }),
  })
  .meta({ title: "RefundRequest", description: "A finance clerk returns part (or the rest) of the money taken on the order." });

const money = z.object({ minor: z.int(), currency: z.string() });

export const RefundsViewSchema = z
  .object({
    orderId: z.string(),
    paidTotal: money,
    refundedTotal: money,
    refunds: z.array(
      z.object({
        refundId: z.string(),
        amount: money,
        method: z.string().meta({ description: 'The way the money came in, or "marketplace" (the platform refunds the buyer).' }),
        reason: z.string(),
        trigger: z.string().meta({ description: '"cancellation", "finance", "substitution" or "after-sales".' }),
        source: z.string().meta({ description: '"prepayment" or the id of the payment it returns.' }),
        reference: z.string(),
        issuedBy: z.string().meta({ description: '"staff:<id>", "customer:<id>" or "system:<service>": who caused it.' }),
        issuedAt: z.string(),
      }),
    ),
  })
  .meta({ title: "Refunds", description: "What was paid on the order and every refund of it, oldest first." });
