import { z } from "zod";
import { pageToken, queryInt, refuseRepeats, text } from "./schema-primitives.ts";

/** Bodies, queries and answers of the archive's retention (ADR 029): holds, what is due, disposals. */

// The archive's own bounds: a reason of at most 500 characters, at most 500 orders a decision.
const reason = (description: string) => text(500).meta({ description });
export const maxDisposalOrders = 500;

// A matter's reference, as the archive bounds it; optional, so a hold of before (naming none) still reads the same.
const matter = (description: string) => text(100).optional().meta({ description });

export const DossierHoldSchema = z
  .strictObject({
    matter: matter("The matter the hold is for (a court case's, a dispute's or a tax audit's reference). Several matters may hold one dossier; one already holding it is refused (409)."),
    reason: reason("Why the dossier is held (litigation, a dispute, a tax audit); kept in the holds' record."),
  })
  .meta({ title: "DossierHold" });

export const DossierHoldReleaseSchema = z
  .strictObject({
    matter: matter("The matter whose hold is lifted, as it was named when held; left out, it lifts only a hold that named none (409 archive.hold-matter-not-open otherwise, naming the matters holding it)."),
    reason: reason("Why the hold is lifted; kept in the holds' record."),
  })
  .meta({ title: "DossierHoldRelease" });

export const DossierDisposalSchema = z
  .strictObject({
    orderIds: z
      .array(text(100))
      .min(1)
      .max(maxDisposalOrders)
      .superRefine((ids, context) => refuseRepeats(ids, (i) => [i], "list", context))
      .meta({ description: `The orders whose dossiers are to be disposed of, each once, at most ${maxDisposalOrders}.` }),
    reason: reason("Why they are disposed of (e.g. the retention review it belongs to); kept in each disposal record."),
  })
  .meta({ title: "DossierDisposal" });

/** The archive's page of either list (ADR 029, twenty-ninth session's addendum); `limit` kept as pageSize's older name. */
const pageFields = {
  pageSize: queryInt(1, 500).optional().meta({ description: "At most this many on the page, 1 to 500, 100 when absent." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same other parameters)." }),
  limit: queryInt(1, 500)
    .optional()
    .meta({ description: "pageSize's name before the list was paged, kept for callers built then: give one of the two. The page it sizes ends with a nextPageToken as any." }),
};

export const DossierRetentionQuerySchema = z.strictObject({
  due: z.enum(["true", "false"]).optional().meta({ description: "true: only the dossiers an auditor may dispose of now (retain_until passed, not held)." }),
  ...pageFields,
});

export const DossierDisposalsQuerySchema = z.strictObject({
  storeId: text(100).meta({ description: "The store whose disposal records to list." }),
  ...pageFields,
});

/** The page asked, unset fields as gRPC's empty: the archive's default page, the first. */
export const archivePageOf = (query: { pageSize?: number | undefined; limit?: number | undefined; pageToken?: string | undefined }) => ({
  pageSize: query.pageSize ?? 0,
  limit: query.limit ?? 0,
  pageToken: query.pageToken ?? "",
});

const nextPageToken = z.string().optional().meta({ description: "Ask again with this as pageToken for the next page; absent on the last page." });

const HoldRecordSchema = z.object({
  action: z.enum(["hold", "release"]),
  matter: z.string().meta({ description: "The matter it was held or released for; empty for a hold that named none." }),
  by: z.string().meta({ description: '"kind:id" of who held or released it.' }),
  role: z.string(),
  reason: z.string(),
  at: z.string(),
  correlationId: z.string(),
});

export const DossierRetentionSchema = z
  .object({
    orderId: z.string(),
    storeId: z.string(),
    firstEventAt: z.string(),
    lastEventAt: z.string(),
    entryCount: z.int(),
    endedAt: z.string().meta({ description: "When the order ended (closed, cancelled, rejected)." }),
    retainUntil: z.string().meta({ description: "Kept until then: the retention years after the end, or after a later entry." }),
    held: z.boolean(),
    due: z.boolean().meta({ description: "retainUntil has passed and the dossier is not held: a chain-wide auditor may dispose of it." }),
    holds: z.array(HoldRecordSchema).meta({ description: "Every hold and release, oldest first." }),
    openMatters: z.array(z.string()).meta({ description: "The matters holding it now, in the order they were put on (an empty string: a hold that named none); held exactly when there is one." }),
  })
  .meta({ title: "DossierRetention", description: "How long an order's dossier is kept, and its legal holds." });

export const DossierRetentionListSchema = z
  .object({ storeId: z.string(), retentionYears: z.int(), dossiers: z.array(DossierRetentionSchema), nextPageToken })
  .meta({
    title: "DossierRetentionList",
    description: "A page of a store's ended dossiers, the soonest due first. With due=true a page may hold fewer than pageSize (even none) and still have a nextPageToken.",
  });

export const DossierDisposalRecordSchema = z
  .object({
    disposalId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    firstEventAt: z.string(),
    lastEventAt: z.string(),
    endedAt: z.string(),
    retainUntil: z.string(),
    entryCount: z.int(),
    digest: z.string().meta({ description: '"sha256:<hex>" over the sealed entries in dossier order, each event id and envelope length-prefixed (ADR 029).' }),
    decidedBy: z.string(),
    deciderRole: z.string(),
    reason: z.string(),
    disposedAt: z.string(),
    correlationId: z.string(),
  })
  .meta({ title: "DossierDisposalRecord", description: "What was disposed of, with proof of it, who decided, when and why; kept for good." });

export const DossierDisposalOutcomeSchema = z
  .object({
    results: z.array(
      z.object({
        orderId: z.string(),
        outcome: z.enum(["disposed", "refused"]),
        code: z.string().meta({ description: "Why refused (archive.retention-not-due, archive.dossier-held, archive.retention-not-ended, dossier.not-found), or archive.dossier-already-disposed." }),
        message: z.string(),
        disposal: DossierDisposalRecordSchema.optional(),
      }),
    ),
  })
  .meta({ title: "DossierDisposalOutcome", description: "Each named order: disposed of (now or before, with its record) or refused, with why." });

export const DossierDisposalListSchema = z
  .object({ storeId: z.string(), disposals: z.array(DossierDisposalRecordSchema), nextPageToken })
  .meta({ title: "DossierDisposalList", description: "A page of a store's disposal records, newest first." });
