import { z } from "zod";
import { nextPageTokenSchema } from "./disclosure-schemas.ts";

/** The answers of a customer's contact and of who was shown it (no request bodies: both are reads). */

export const OrderContactSchema = z
  .strictObject({
    orderId: z.string(),
    name: z.string(),
    phone: z.string(),
    email: z.string(),
    address: z.strictObject({ line1: z.string(), line2: z.string(), postalCode: z.string(), district: z.string(), city: z.string(), country: z.string() }),
  })
  .meta({ title: "OrderContact", description: "How to reach the order's customer. Every answer is logged (who, when) before it is given." });

export const ContactDisclosureListSchema = z
  .strictObject({
    orderId: z.string(),
    disclosures: z.array(
      z.strictObject({
        shownTo: z.string().meta({ description: "kind:id of who was shown the contact" }),
        role: z.string(),
        correlationId: z.string().meta({ description: "The request it was shown in (its X-Request-Id)." }),
        shownAt: z.string().meta({ description: "ISO 8601" }),
      }),
    ),
    nextPageToken: nextPageTokenSchema,
  })
  .meta({ title: "ContactDisclosureList", description: "Who was shown the order's contact, oldest first, a page at a time; never what they saw." });
