import { z } from "zod";
import { dateTime, optionalText, pageToken, queryInt, text } from "./schema-primitives.ts";
import { AddressSchema } from "./schemas.ts";

/** Correction requests: an order taker asks, a supervisor approves or rejects. */

export const CorrectionChangesSchema = z
  .strictObject({
    phone: optionalText(40),
    email: optionalText(254),
    address: AddressSchema.optional().meta({ description: "The whole new address; for ship and on-site orders the district must be one the store serves." }),
    requestedFrom: dateTime.optional(),
    requestedUntil: dateTime.optional(),
    notes: z.string().trim().max(2_000).optional().meta({ description: "Replaces the order's notes (an empty string clears them)." }),
  })
  .meta({ title: "CorrectionChanges", description: "Only the fields to change. Lines and money change through a substitution or a cancellation." });

export const CorrectionRequestSchema = z
  .strictObject({
    changes: CorrectionChangesSchema,
    reason: text(1_000).meta({ description: "Why, as the customer said it; kept with the correction." }),
  })
  .meta({ title: "CorrectionRequest" });

export const CorrectionApprovalSchema = z.strictObject({ note: optionalText(1_000) }).meta({ title: "CorrectionApproval", description: "The body is optional." });

export const CorrectionRejectionSchema = z.strictObject({ reason: text(1_000) }).meta({ title: "CorrectionRejection" });

export const CorrectionIdParamsSchema = z.strictObject({ correctionId: z.uuid() });

export const ListCorrectionsQuerySchema = z.strictObject({
  storeId: text(64).optional().meta({ description: "Only this store's requests; every store's otherwise." }),
  pageSize: queryInt(1, 200).optional().meta({ description: "At most this many, oldest first (default 50)." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same storeId)." }),
});

export const CorrectionViewSchema = z
  .object({
    correctionId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    status: z.enum(["pending", "applied", "rejected"]),
    fields: z.array(z.string()).meta({ description: 'The fields changed, e.g. "customer.address", "requestedFrom".' }),
    changes: CorrectionChangesSchema,
    reason: z.string(),
    requestedBy: z.string().meta({ description: '"kind:id" of who asked.' }),
    requestedAt: z.string(),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
    note: z.string().optional(),
    rejectionReason: z.string().optional(),
    previous: z.record(z.string(), z.unknown()).optional().meta({ description: "Once applied: the values it replaced (the audit entry)." }),
  })
  .meta({ title: "Correction", description: "A correction request of one order, with its decision." });

export const CorrectionListSchema = z.object({ corrections: z.array(CorrectionViewSchema), nextPageToken: z.string().optional().meta({ description: "Ask again with this as pageToken for the next page; absent on the last page." }) }).meta({ title: "CorrectionList" });
