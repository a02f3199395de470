import { z } from "zod";
import { optionalText, pageToken, queryInt, text } from "./schema-primitives.ts";

/** The bodies, queries, paths and answers of settlement disputes (ADR 026). */

export const disputeKinds = ["amount", "payment-missing", "refund-missing", "invoice", "chargeback", "other"] as const;

export const SettlementDisputeRequestSchema = z
  .strictObject({
    requestId: text(100).meta({ description: "Your id of this dispute (ADR 015): the same id with the same content answers the dispute as it is; other content under it is refused (409)." }),
    kind: z.enum(disputeKinds).meta({
      description: "What is disputed: an amount charged wrongly, a payment not recognised, a refund not received, the invoice, a chargeback from the payment provider, or something else.",
    }),
    amountMinor: z.int().min(1).max(100_000_000_000).meta({ description: "In minor units of the order's currency; at most the order's amount due or what was paid on it, whichever is more." }),
    statement: text(2_000).meta({ description: "What is wrong, as the customer (or the store) says it; kept in billing, never in an event." }),
  })
  .meta({ title: "SettlementDisputeRequest", description: "Dispute the money of an order." });

export const DisputeFindingRequestSchema = z
  .strictObject({
    findingId: text(100).meta({ description: "Your id of this finding (ADR 015): the same id again is one finding; other words under it are refused (409)." }),
    finding: text(2_000).meta({ description: "What your department's records show, e.g. \"return RET-7 received and restocked on the 3rd\"." }),
  })
  .meta({ title: "DisputeFindingRequest", description: "A department involved says what its records show; appended, never changed." });

export const DisputeResolutionRequestSchema = z
  .strictObject({
    outcome: z.enum(["upheld", "rejected"]),
    correction: z.enum(["refund", "invoice-correction"]).optional().meta({
      description: "Upheld: refund (refundMinor, issued now through billing's refund path) or invoice-correction (documentNumber of the order's invoice or credit note).",
    }),
    refundMinor: z.int().min(1).max(100_000_000_000).optional().meta({ description: "Upheld by a refund: at most the amount in dispute, and what is left to refund." }),
    documentNumber: optionalText(64).meta({ description: "Upheld by an invoice correction: the order's document that corrects it." }),
    reason: optionalText(2_000).meta({ description: "Rejected: why (required). Upheld: what was wrong." }),
    customerAnswer: text(2_000).meta({ description: "What the customer is told." }),
  })
  .meta({ title: "DisputeResolutionRequest", description: "Finance resolves a dispute, once." });

export const DisputeIdParamsSchema = z.strictObject({ disputeId: text(100) });
export const StoreDisputesQuerySchema = z.strictObject({
  status: z.enum(["open", "resolved"]).optional(),
  pageSize: queryInt(1, 500).optional().meta({ description: "At most this many disputes on the page, 1 to 500, 200 when absent." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same status)." }),
});

const money = z.object({ minor: z.int(), currency: z.string() });

export const SettlementDisputeViewSchema = z
  .object({
    disputeId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    requestId: z.string(),
    kind: z.string(),
    amount: money,
    statement: z.string().meta({ description: "The opener's words, kept sealed in billing; empty when the key that sealed them is no longer held." }),
    status: z.string().meta({ description: '"open" or "resolved".' }),
    departments: z.array(z.string()).meta({ description: "The departments whose records matter, by kind (empty for the customer)." }),
    openedBy: z.string(),
    openedAt: z.string(),
    respondBy: z.string().meta({ description: "Unresolved by then, the dispute is escalated to the store manager (BILLING_DISPUTE_RESPONSE_HOURS)." }),
    escalatedAt: z.string().nullable(),
    findings: z.array(z.object({ findingId: z.string(), department: z.string(), finding: z.string(), recordedBy: z.string(), recordedAt: z.string() })),
    resolution: z
      .object({
        outcome: z.string(),
        correction: z.string(),
        refunded: money,
        refundIds: z.array(z.string()),
        documentNumber: z.string(),
        creditNotes: z.array(z.string()).meta({ description: "An invoiced order's refund: the credit notes that record it." }),
        reason: z.string(),
        customerAnswer: z.string(),
        resolvedBy: z.string(),
        resolvedAt: z.string(),
      })
      .nullable(),
  })
  .meta({ title: "SettlementDispute", description: "A dispute of an order's money; the customer reads its state and their answer only." });

export const SettlementDisputesViewSchema = z
  .object({
    disputes: z.array(SettlementDisputeViewSchema),
    nextPageToken: z.string().optional().meta({ description: "A store's list: ask again with this as pageToken for the next page; absent on the last page." }),
  })
  .meta({ title: "SettlementDisputes" });
