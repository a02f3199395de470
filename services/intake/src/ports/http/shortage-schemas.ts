import { z } from "zod";
import { optionalText, text } from "./schema-primitives.ts";

/** The customer's answer to an out-of-stock order. */
export const ShortageChoiceSchema = z
  .discriminatedUnion("choice", [
    z.strictObject({ choice: z.literal("wait"), note: optionalText(1_000) }),
    z.strictObject({ choice: z.literal("cancel"), note: optionalText(1_000).meta({ description: "Kept as the cancellation's reason." }) }),
    z.strictObject({
      choice: z.literal("substitute"),
      note: optionalText(1_000),
      substitutions: z
        .array(
          z.strictObject({
            sku: text(64).meta({ description: "The code of the order's line that is out of stock." }),
            substituteSku: text(64).meta({ description: "A goods code of the price list to take instead." }),
            quantity: z.int().min(1).max(10_000).optional().meta({ description: "Defaults to the replaced line's quantity." }),
          }),
        )
        .min(1)
        .max(100),
    }),
  ])
  .meta({
    title: "ShortageChoice",
    description:
      "wait: the order stays on hold as a backorder, released when stock comes in. substitute: the lines are replaced; a dearer " +
      "substitute costs nothing more for each unit it replaces (the chain takes the difference as a discount), a cheaper one refunds " +
      "the difference if paid; units beyond those replaced are bought at their price, and a prepaid order cannot come to more than was paid. " +
      "cancel: cancelled, with a refund if paid.",
  });
