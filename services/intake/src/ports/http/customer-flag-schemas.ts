import { z } from "zod";
import type { FlaggedCustomerRef } from "../../domain/customer-flag.ts";
import { pageToken, queryInt, text } from "./schema-primitives.ts";

/** Bodies, queries and answers of the flagged-customer list (reviewers and store managers). */

const reason = text(500).meta({ description: "Why the customer's orders need a reviewer; kept with the flag." });

const storeId = text(64)
  .optional()
  .meta({
    description:
      "The store of yours the flag is raised at, whose staff then see its contact in full: needed only when your token holds you to several stores; " +
      "staff held to one store raise it there, staff working chain-wide raise it for the whole chain and name none.",
  });

export const CustomerIdParamsSchema = z.strictObject({ customerId: text(64) });

export const CustomerFlagSchema = z.strictObject({ reason, storeId }).meta({ title: "CustomerFlag", description: "Flags the customer of the path: their orders go to manual review." });

const contactFields = {
  customerId: text(64).optional(),
  phone: text(40).optional().meta({ description: "As people write it; only the digits count, as in orders (+86 138 0013 8000 = 8613800138000)." }),
  email: text(254).optional().meta({ description: "Compared without case." }),
};

/** Exactly one way to name the customer, refused on the field that is missing or one too many. */
function oneContact(body: { customerId?: string | undefined; phone?: string | undefined; email?: string | undefined }, context: z.core.$RefinementCtx) {
  const given = (["customerId", "phone", "email"] as const).filter((field) => body[field] !== undefined);
  if (given.length === 0) context.addIssue({ code: "custom", path: ["phone"], message: "one of customerId, phone or email is required" });
  for (const extra of given.slice(1)) context.addIssue({ code: "custom", path: [extra], message: "give only one of customerId, phone or email" });
}

export const CustomerFlagByContactSchema = z
  .strictObject({ ...contactFields, reason, storeId })
  .superRefine(oneContact)
  .meta({
    title: "CustomerFlagByContact",
    description: "Flags a customer named by exactly one of customerId, phone or email. The phone and e-mail stay out of URLs (and so out of access logs).",
  });

export const CustomerFlagRemovalSchema = z
  .strictObject(contactFields)
  .superRefine(oneContact)
  .meta({ title: "CustomerFlagRemoval", description: "Lifts the flag of a customer named by exactly one of customerId, phone or email." });

/** The customer a contact body names, as the domain takes it. */
export function customerRefOf(body: { customerId?: string | undefined; phone?: string | undefined; email?: string | undefined }): FlaggedCustomerRef {
  if (body.customerId !== undefined) return { by: "customerId", customerId: body.customerId };
  if (body.phone !== undefined) return { by: "phone", phone: body.phone };
  return { by: "email", email: body.email ?? "" };
}

export const ListCustomerFlagsQuerySchema = z.strictObject({
  pageSize: queryInt(1, 200).optional().meta({ description: "At most this many, newest flag first (default 50)." }),
  pageToken: pageToken.optional().meta({ description: "nextPageToken of the previous page." }),
});

export const CustomerFlagViewSchema = z
  .object({
    customerKey: z.string().meta({
      description:
        'How the flag is stored: "id:<customerId>", or for a phone or e-mail a keyed digest ("phone-digest:<hex>", "email-digest:<hex>") — the contact itself is kept only sealed.',
    }),
    by: z.enum(["customerId", "phone", "email", "unknown"]),
    customerId: z.string().optional().meta({ description: "The customer id of a flag by id." }),
    phone: z.string().optional().meta({
      description:
        "The phone of a flag by phone, as it was flagged: opened for the reviewer or store manager who lists (each listing that shows one is logged), or repeated to whoever just flagged it. " +
        "To staff held to stores, in full only for flags raised at one of their stores; otherwise masked to its last four digits (*******8000, contactMasked). Absent when the key that sealed it is no longer held.",
    }),
    email: z.string().optional().meta({ description: "The e-mail of a flag by e-mail, shown as the phone is; masked, only its domain (***@example.cn)." }),
    contactMasked: z.literal(true).optional().meta({
      description:
        "Present when phone or email is masked: you are held to stores and the flag was not raised at one of yours (or has no store). Masked contacts are not logged as showings.",
    }),
    raisedAtStore: z.string().optional().meta({
      description: "The store whose staff raised the flag; absent for a flag raised by staff working chain-wide or before flags recorded a store.",
    }),
    reason: z.string(),
    flaggedBy: z.string().optional().meta({ description: 'Who flagged, e.g. "staff:s-7" (absent for flags older than this API).' }),
    flaggedAt: z.string(),
  })
  .meta({ title: "FlaggedCustomer", description: "A customer whose orders go to manual review." });

export const CustomerFlagListSchema = z
  .object({ flags: z.array(CustomerFlagViewSchema), nextPageToken: z.string().optional() })
  .meta({ title: "FlaggedCustomerList" });
