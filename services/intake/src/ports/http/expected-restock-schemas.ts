import { z } from "zod";
import { text } from "./schema-primitives.ts";
import { StockLevelSchema } from "./warehouse-schemas.ts";

/**
 * Bodies and answers of a SKU's expected restock date at a store (ADR 030's second addendum).
 * The shapes are checked here, and that the date is a real calendar day; that it is not a day
 * over in every time zone, and that the store and the SKU are known there, is the warehouse's.
 */

export const ExpectedRestockParamsSchema = z.strictObject({ storeId: text(64), sku: text(64) });

export const ExpectedRestockBodySchema = z
  .strictObject({
    date: z.iso.date().meta({ description: "The day the delivery is due, YYYY-MM-DD: a real calendar day, the store's today or later (a day over in every time zone, i.e. before today at UTC-12, is refused)." }),
    location: text(64)
      .optional()
      .meta({
        description:
          "Where the delivery will be shelved. Needed for a SKU the store has no location of yet (a product it is introducing): that location's row is put on record with nothing on hand, so the date has a row to be kept on. A location the store already keeps the SKU at changes nothing.",
      }),
  })
  .meta({ title: "ExpectedRestockBody", description: "The day the store expects the SKU back in stock (the supplier's delivery date)." });

export const ExpectedRestockRemovalSchema = z
  .strictObject({ reason: text(500).meta({ description: "Why the delivery is no longer expected on a known day; kept in the warehouse's trail." }) })
  .meta({ title: "ExpectedRestockRemoval" });

export const ExpectedRestocksQuerySchema = z.strictObject({
  overdueOnly: z.enum(["true", "false"]).optional().meta({ description: "true: only the dates already over in every time zone (before today at UTC-12). Default false: every SKU with a date." }),
});

export const ExpectedRestockItemSchema = z
  .object({
    sku: z.string(),
    expectedRestockDate: z.iso.date().meta({ description: "The day the store tells (the earliest over the SKU's locations)." }),
    overdue: z.boolean().meta({ description: "The day is over in every time zone (before today at UTC-12, the rule that refuses recording it) and the goods have not come." }),
    recordedAt: z.string().optional().meta({ description: "When this date was last stated; absent when the warehouse's trail has no statement of it (set before the command existed)." }),
    recordedBy: z.string().optional().meta({ description: "Who last stated it, staff:<id>." }),
    available: z.int().meta({ description: "Units promisable now over the SKU's locations (on hand less reserved and safety stock)." }),
    waitingReplacements: z.int().meta({ description: "Exchanges' replacements at the store awaiting stock that name the SKU." }),
    unitsShort: z.int().meta({ description: "The units of the SKU those replacements want beyond what is available. Orders' backorders are fulfillment's and not counted here." }),
  })
  .meta({ title: "ExpectedRestockItem" });

export const ExpectedRestocksSchema = z.object({ items: z.array(ExpectedRestockItemSchema) }).meta({ title: "ExpectedRestocks" });

export const ExpectedRestockSchema = z
  .object({
    storeId: z.string(),
    sku: z.string(),
    expectedRestockDate: z.string().optional().meta({ description: "Absent when nobody knows (cleared, or never said)." }),
    levels: z.array(StockLevelSchema).meta({ description: "Every location of the SKU at the store, each carrying the date." }),
    changed: z.boolean().meta({ description: "False when the date was already as asked (a retry): nothing recorded or announced." }),
    waitingReplacements: z.int().meta({ description: "Exchanges' replacements at the store waiting for the SKU, told of the change." }),
  })
  .meta({ title: "ExpectedRestock" });
