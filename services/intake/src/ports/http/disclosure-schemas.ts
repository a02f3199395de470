import { z } from "zod";

/** One showing of a customer's sealed words, as auditors read it: who, in which role, which fields, when, in which request; never the words. */
const showingOf = (what: string) =>
  z.strictObject({
    shownTo: z.string().meta({ description: `kind:id of who was shown ${what}` }),
    role: z.string(),
    fields: z.array(z.string()).meta({ description: "The sealed fields shown." }),
    at: z.string().meta({ description: "ISO 8601" }),
    correlationId: z.string().meta({ description: "The request it was shown in (its X-Request-Id)." }),
  });

const described = (what: string) => `Who was shown ${what}, oldest first (the first 1,000); never what they saw.`;

export const CaseDisclosureListSchema = z
  .strictObject({ caseId: z.string(), disclosures: z.array(showingOf("the case's description")) })
  .meta({ title: "CaseDisclosureList", description: described("the case's description") });

export const DisputeDisclosureListSchema = z
  .strictObject({ disputeId: z.string(), disclosures: z.array(showingOf("the dispute's statement")) })
  .meta({ title: "DisputeDisclosureList", description: described("the dispute's statement") });
