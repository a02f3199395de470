import { z } from "zod";
import { optionalText, pageToken, queryInt, text } from "./schema-primitives.ts";

/** The manual-review queue's bodies, queries and answers. */

export const ReviewApprovalSchema = z
  .strictObject({ note: optionalText(1_000) })
  .meta({ title: "ReviewApproval", description: "The reviewer approves; the note is kept with the review. The body is optional." });

export const ReviewRejectionSchema = z
  .strictObject({ reason: text(1_000).meta({ description: "Why: kept with the order and shown as its rejection reason." }) })
  .meta({ title: "ReviewRejection" });

export const ListReviewsQuerySchema = z.strictObject({
  storeId: text(64).optional().meta({ description: "Only this store's queue; every store's otherwise." }),
  pageSize: queryInt(1, 200).optional().meta({ description: "At most this many, oldest first (default 50)." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same storeId)." }),
});

export const ReviewIdParamsSchema = z.strictObject({ reviewId: text(100) });

export const ReviewViewSchema = z
  .object({
    reviewId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    channel: z.string(),
    status: z.enum(["pending", "approved", "rejected"]),
    reasons: z.array(z.string()).meta({ description: 'Why the order was flagged, e.g. "large-amount: …", "unusual-quantity: …".' }),
    grandTotalMinor: z.int(),
    currency: z.string(),
    requestedAt: z.string(),
    decidedAt: z.string().optional(),
    decidedBy: z.string().optional(),
    note: z.string().optional(),
    reason: z.string().optional(),
    lines: z.array(z.object({ sku: z.string(), description: z.string(), quantity: z.int(), unitPriceMinor: z.int() })).optional(),
  })
  .meta({ title: "Review", description: "A manual review of one order." });

export const ReviewListSchema = z.object({ reviews: z.array(ReviewViewSchema), nextPageToken: z.string().optional().meta({ description: "Ask again with this as pageToken for the next page; absent on the last page." }) }).meta({ title: "ReviewList" });
