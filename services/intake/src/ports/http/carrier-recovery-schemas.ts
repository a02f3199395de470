import { z } from "zod";
import { CaseIdParamsSchema } from "./after-sales-schemas.ts";
import { nextPageTokenSchema } from "./disclosure-schemas.ts";
import { pageToken, queryInt, text } from "./schema-primitives.ts";

/** Finance's own reference as typed: "#" names a remittance's allocations alone (ADR 017, twenty-sixth session). */
const typedReference = (max: number) => text(max).refine((reference) => !reference.includes("#"), 'must not contain "#": it names a remittance\'s allocations (<reference>#<place>)');

/** Paths, bodies and answers of the money carriers owe on settled claims, kept by billing (ADR 017, second carrier addendum). */

export const CarrierRecoveryParamsSchema = CaseIdParamsSchema;

export const CarrierReceiptRequestSchema = z
  .strictObject({
    amountMinor: z.int().min(1).max(100_000_000_000).meta({ description: "In minor units of the claim's currency; at most what the carrier still owes." }),
    reference: typedReference(128).meta({
      description:
        "Finance's own reference of the payment (bank statement line, remittance advice), without \"#\" (a remittance's allocations' alone): one receipt for good. The same receipt again answers the recovery as it stands; the reference on another amount or another case is refused.",
    }),
  })
  .meta({ title: "CarrierReceipt", description: "A finance clerk books money a carrier paid on a settled claim (in full or in part)." });

export const CarrierReceiptReversalRequestSchema = z
  .strictObject({
    reference: text(128).meta({ description: "The reference the receipt was booked under. It stays spent: the right payment is booked again under a new one." }),
    reason: text(500).meta({ description: "Why the receipt was booked in error (wrong amount, wrong claim)." }),
  })
  .meta({
    title: "CarrierReceiptReversal",
    description: "A finance clerk reverses a receipt booked in error, once. The same reversal again answers the recovery as it stands; another reason on a reversed receipt is refused.",
  });

export const CarrierRecoveriesQuerySchema = z.strictObject({
  outstandingOnly: z.enum(["true", "false"]).optional().meta({ description: "true: only recoveries the carrier has not paid in full (due or partly received)." }),
  overdueOnly: z.enum(["true", "false"]).optional().meta({ description: "true: only recoveries not paid in full whose dueBy has passed." }),
  pageSize: queryInt(1, 500).optional().meta({ description: "At most this many on the page, 1 to 500, 100 when absent." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page." }),
  limit: queryInt(1, 500)
    .optional()
    .meta({ description: "pageSize's name before the list was paged, kept for callers built then: give one of the two. The page it sizes ends with a nextPageToken as any." }),
});

const money = z.object({ minor: z.int(), currency: z.string() });

export const CarrierRecoverySchema = z
  .object({
    caseId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    carrier: z.string(),
    carrierReference: z.string().meta({ description: "The carrier's reference of the claim; empty when the desk gave none." }),
    due: money.meta({ description: "What the carrier agreed to pay (the claim's settlement)." }),
    received: money,
    outstanding: money,
    status: z.enum(["due", "partly-received", "received"]),
    settledAt: z.string().meta({ description: "When the claim was recorded settled." }),
    dueBy: z.string().meta({ description: "By when the carrier should have paid in full: settledAt plus BILLING_CARRIER_RECOVERY_DUE_DAYS as it was when billing recorded the recovery." }),
    overdue: z.boolean().meta({ description: "Not paid in full and dueBy has passed." }),
    receipts: z.array(
      z.object({
        reference: z.string(),
        amount: money,
        receivedBy: z.string().meta({ description: '"staff:<id>": the clerk who booked it.' }),
        receivedAt: z.string(),
        reversal: z
          .object({ reason: z.string(), reversedBy: z.string().meta({ description: '"staff:<id>": the clerk who reversed it.' }), reversedAt: z.string() })
          .optional()
          .meta({ description: "Present when the receipt was reversed as booked in error: its amount no longer counts in received." }),
        remittanceReference: z
          .string()
          .optional()
          .meta({ description: "The remittance (one carrier transfer paying several claims) the receipt is an allocation of; absent when booked alone." }),
      }),
    ),
  })
  .meta({ title: "CarrierRecovery", description: "Money a carrier owes on a settled claim, with every payment booked against it, oldest first." });

export const CarrierRecoveryListSchema = z
  .object({ recoveries: z.array(CarrierRecoverySchema), nextPageToken: nextPageTokenSchema })
  .meta({ title: "CarrierRecoveryList", description: "A page of a store's carrier recoveries, the earliest dueBy first (ties by caseId)." });

export const CarrierRemittanceRequestSchema = z
  .strictObject({
    reference: typedReference(124).meta({
      description:
        "Finance's own reference of the transfer (bank statement line, remittance advice), without \"#\": spent once, across receipts and remittances. Each allocation is booked as a receipt under `<reference>#<place>` (1-based).",
    }),
    carrier: text(100).meta({ description: "The carrier paying, as its claims were filed: every allocation's claim must be against it." }),
    currency: z.string().regex(/^[A-Z]{3}$/).meta({ description: "The transfer's currency (ISO 4217): every allocation's recovery must be in it." }),
    allocations: z
      .array(
        z.strictObject({
          caseId: text(200).meta({ description: "The after-sales case whose carrier claim was settled." }),
          amountMinor: z.int().min(1).max(100_000_000_000).meta({ description: "In minor units; at most what the carrier still owes on that claim." }),
        }),
      )
      .min(1)
      .max(50)
      .meta({ description: "What of the transfer pays which claim, one allocation per claim, 1 to 50." }),
  })
  .meta({
    title: "CarrierRemittance",
    description: "A finance clerk books one carrier transfer paying several of that carrier's settled claims: all allocations or none.",
  });

export const CarrierRemittanceParamsSchema = z.strictObject({
  reference: text(128).meta({ description: "The reference the remittance was booked under (URL-encoded)." }),
});

export const CarrierRemittanceReversalRequestSchema = z
  .strictObject({
    reason: text(500).meta({ description: "Why the transfer was booked in error (the bank returned it, the wrong carrier's claims); recorded on every allocation's reversal." }),
  })
  .meta({
    title: "CarrierRemittanceReversal",
    description:
      "A finance clerk reverses a whole remittance booked in error: every allocation's receipt or none. The same reversal again answers the remittance as it stands; another reason, or a remittance one of whose allocations was reversed on its own, is refused.",
  });

const reversal = z.object({ reason: z.string(), reversedBy: z.string().meta({ description: '"staff:<id>": the clerk who reversed it.' }), reversedAt: z.string() });

export const CarrierRemittanceViewSchema = z
  .object({
    reference: z.string(),
    carrier: z.string(),
    total: money.meta({ description: "The transfer: the sum of its allocations." }),
    bookedBy: z.string().meta({ description: '"staff:<id>": the clerk who booked it.' }),
    bookedAt: z.string(),
    allocations: z
      .array(
        z.object({
          place: z.int().meta({ description: "1-based: the allocation's receipt is `<reference>#<place>`." }),
          caseId: z.string(),
          storeId: z.string(),
          receiptReference: z.string(),
          amount: money,
          reversal: reversal.optional().meta({ description: "Present when the allocation's receipt was reversed, with the whole remittance or on its own." }),
        }),
      )
      .meta({ description: "Each allocation as booked, in its place." }),
    reversal: reversal.optional().meta({ description: "Present when the remittance was reversed whole." }),
    recoveries: z.array(CarrierRecoverySchema).meta({ description: "Each claim's recovery as it stands now, in the allocations' order." }),
  })
  .meta({ title: "CarrierRemittanceView", description: "A carrier transfer booked against several settled claims, each allocation a receipt of its recovery." });
