import { z } from "zod";
import { dateTime, optionalText, pageToken, queryInt, text } from "./schema-primitives.ts";

/** Bodies and answers of force majeure (ADR 027). */

export const forceMajeureKinds = ["typhoon", "flood", "earthquake", "lockdown", "power-cut", "road-closure", "other"] as const;

export const ForceMajeureDeclarationSchema = z
  .strictObject({
    eventId: text(128).meta({ description: "The caller's id for the declaration (ADR 015): sent again, the declaration as it stands is answered." }),
    kind: z.enum(forceMajeureKinds),
    cause: text(500).meta({ description: "What happened, as customers are told it on their orders. No personal data." }),
    from: dateTime.meta({ description: "When it began (not in the future)." }),
    expectedUntil: dateTime.optional().meta({ description: "When it is expected to end, if known: customers are told not before then." }),
    districts: z.array(text(64)).max(50).optional().meta({ description: "Only the store's orders going to these districts; the whole store when absent." }),
  })
  .meta({ title: "ForceMajeureDeclaration", description: "An event outside anyone's control stops work at the store: its open orders go on hold (hold reason force-majeure)." });

export const ForceMajeureListQuerySchema = z.strictObject({
  includeLifted: z.enum(["true", "false"]).optional().meta({ description: "Lifted declarations too (default: only those still declared)." }),
  pageSize: queryInt(1, 500).optional().meta({ description: "At most this many declarations on the page, 1 to 500, 100 when absent." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same includeLifted)." }),
});

export const EventIdParamsSchema = z.strictObject({ eventId: text(128) });

export const ForceMajeureChoiceSchema = z
  .discriminatedUnion("choice", [
    z.strictObject({
      choice: z.literal("continue"),
      requestedFrom: dateTime.meta({ description: "The new window the customer agreed: its start." }),
      requestedUntil: dateTime.meta({ description: "Its end (after requestedFrom, in the future)." }),
      note: optionalText(1_000),
    }),
    z.strictObject({ choice: z.literal("cancel"), note: optionalText(1_000).meta({ description: "Kept with the cancellation's reason." }) }),
  ])
  .meta({
    title: "ForceMajeureChoice",
    description:
      "continue: the order resumes where it was held (at once; its deadlines counted from now) with the new window; after the declaration was lifted, only the window changes. " +
      "cancel: cancelled without charge by the ordinary cancellation, stock back and a refund if paid.",
  });

export const ForceMajeureViewSchema = z
  .object({
    eventId: z.string(),
    storeId: z.string(),
    districts: z.array(z.string()),
    kind: z.string(),
    cause: z.string(),
    from: z.string(),
    expectedUntil: z.string().meta({ description: "Empty when not known." }),
    declaredBy: z.string(),
    declaredAt: z.string(),
    liftedAt: z.string().meta({ description: "Empty while declared." }),
    liftedBy: z.string(),
    ordersHeld: z.int().meta({ description: "Orders the declaration held." }),
    ordersStillHeld: z.int().meta({ description: "Of those, how many wait still (neither resumed nor cancelled)." }),
  })
  .meta({ title: "ForceMajeure" });

export const ForceMajeureListSchema = z
  .object({
    events: z.array(ForceMajeureViewSchema),
    nextPageToken: z.string().optional().meta({ description: "Ask again with this as pageToken for the next page; absent on the last page." }),
  })
  .meta({ title: "ForceMajeureList" });
