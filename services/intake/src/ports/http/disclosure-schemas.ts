import { z } from "zod";
import { maxLogPageSize } from "@oms/postgres";
import { pageToken, queryInt } from "./schema-primitives.ts";

/**
 * A page of a showings' log: the same two parameters on every log (the contact's, a case's, a
 * dispute's), so an auditor reads each whole the same way (ADR 024, "Read whole, a page at a time").
 */
export const ShowingsPageQuerySchema = z.strictObject({
  pageSize: queryInt(1, maxLogPageSize).optional().meta({ description: "1 to 1,000, default 200." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page." }),
});

/** The page the owning service is asked for: unset as gRPC's empty (its default page, the first). */
export const showingsPageOf = (query: z.infer<typeof ShowingsPageQuerySchema>) => ({ pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "" });

/** Absent on the last page, as on intake's other paged lists; the empty token of gRPC is left out. */
export const nextPageTokenSchema = z.string().optional().meta({ description: "Pass as pageToken for the next page; absent on the last page." });

/** One showing of a customer's sealed words, as auditors read it: who, in which role, which fields, when, in which request; never the words. */
const showingOf = (what: string) =>
  z.strictObject({
    shownTo: z.string().meta({ description: `kind:id of who was shown ${what}` }),
    role: z.string(),
    fields: z.array(z.string()).meta({ description: "The sealed fields shown." }),
    at: z.string().meta({ description: "ISO 8601" }),
    correlationId: z.string().meta({ description: "The request it was shown in (its X-Request-Id)." }),
  });

const described = (what: string) => `Who was shown ${what}, oldest first, a page at a time; never what they saw.`;

export const CaseDisclosureListSchema = z
  .strictObject({ caseId: z.string(), disclosures: z.array(showingOf("the case's description")), nextPageToken: nextPageTokenSchema })
  .meta({ title: "CaseDisclosureList", description: described("the case's description") });

export const DisputeDisclosureListSchema = z
  .strictObject({ disputeId: z.string(), disclosures: z.array(showingOf("the dispute's statement")), nextPageToken: nextPageTokenSchema })
  .meta({ title: "DisputeDisclosureList", description: described("the dispute's statement") });
