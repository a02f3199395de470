import { z } from "zod";
import { ShowingsPageQuerySchema, nextPageTokenSchema } from "./disclosure-schemas.ts";
import { dateTime, text } from "./schema-primitives.ts";

/** Queries, bodies and answers of the flagged customers' showings log (ADR 024, twenty-fourth-session addendum): auditors and store managers working chain-wide. */

const period = {
  from: dateTime.optional().meta({ description: "Only showings at or after this moment (RFC 3339)." }),
  until: dateTime.optional().meta({ description: "Only showings before this moment (RFC 3339); after from." }),
};

/** At most one way to name the flag, refused on the one too many. */
function atMostOne(fields: readonly string[]) {
  return (body: Record<string, unknown>, context: z.core.$RefinementCtx) => {
    const given = fields.filter((field) => body[field] !== undefined);
    for (const extra of given.slice(1)) context.addIssue({ code: "custom", path: [extra], message: `give only one of ${fields.join(", ")}` });
  };
}

export const CustomerFlagDisclosuresQuerySchema = z
  .strictObject({
    customerId: text(64).optional().meta({ description: "Only listings that showed the flag of this customer id." }),
    customerKey: text(100).optional().meta({
      description:
        'Only listings that showed this flag, named by its key as the flag list gives it ("id:<customerId>", "phone-digest:<hex>", "email-digest:<hex>"). ' +
        "To name a flag by its phone or e-mail, search by contact (POST /v1/customers/flags/disclosures/search): a contact stays out of URLs.",
    }),
    ...period,
    ...ShowingsPageQuerySchema.shape,
  })
  .superRefine(atMostOne(["customerId", "customerKey"]));

export const CustomerFlagDisclosureSearchSchema = z
  .strictObject({
    customerId: text(64).optional(),
    phone: text(40).optional().meta({ description: "As people write it; only the digits count, as the flag was matched." }),
    email: text(254).optional().meta({ description: "Compared without case." }),
    ...period,
  })
  .superRefine((body, context) => {
    const given = (["customerId", "phone", "email"] as const).filter((field) => body[field] !== undefined);
    if (given.length === 0) context.addIssue({ code: "custom", path: ["phone"], message: "one of customerId, phone or email is required" });
    for (const extra of given.slice(1)) context.addIssue({ code: "custom", path: [extra], message: "give only one of customerId, phone or email" });
  })
  .meta({
    title: "CustomerFlagDisclosureSearch",
    description: "The flag whose showings are asked for, named by exactly one of customerId, phone or email (kept out of the URL), and an optional period.",
  });

const CustomerFlagDisclosureSchema = z.strictObject({
  customerKeys: z.array(z.string()).meta({ description: "Every flag whose contact the listing showed, by key (a customer id or a digest; never the contact)." }),
  shownTo: z.string().meta({ description: "kind:id of who was shown them" }),
  role: z.string(),
  shownAt: z.string().meta({ description: "ISO 8601" }),
  correlationId: z.string().meta({ description: "The request it was shown in (its X-Request-Id)." }),
});

export const CustomerFlagDisclosureListSchema = z
  .strictObject({
    customerKey: z.string().optional().meta({ description: "The flag asked about, by key; absent when every listing was asked for." }),
    disclosures: z.array(CustomerFlagDisclosureSchema),
    nextPageToken: nextPageTokenSchema,
  })
  .meta({ title: "CustomerFlagDisclosureList", description: "Who was shown flagged customers' phones or e-mails, oldest first, a page at a time; never the contacts." });
