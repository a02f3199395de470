import { z } from "zod";
import { text } from "./schema-primitives.ts";

/**
 * Bodies and answers of a store's own prices (ADR 028, addendum). The shapes are checked
 * here; whether the store and the item exist, the item is on sale and the price is usable is
 * the domain's (domain/store-price.ts), field by field.
 */

export const StorePriceParamsSchema = z.strictObject({ storeId: text(64), sku: text(64) });

export const StorePriceBodySchema = z
  .strictObject({
    unitPriceMinor: z.number().meta({ description: "The store's unit price: positive, integer minor units of the chain's currency." }),
  })
  .meta({ title: "StorePriceBody", description: "The price the store charges for an item of the chain's list instead of the chain's." });

export const StorePriceRemovalSchema = z
  .strictObject({ reason: text(500).meta({ description: "Why the store goes back to the chain's price; kept in the trail and published." }) })
  .meta({ title: "StorePriceRemoval" });

export const StorePriceViewSchema = z
  .object({
    storeId: z.string(),
    sku: z.string(),
    unitPriceMinor: z.int().meta({ description: "What the store charges (when removed: what it last charged)." }),
    currency: z.string(),
    description: z.string().optional().meta({ description: "The chain's description of the item." }),
    chainUnitPriceMinor: z.int().optional().meta({ description: "The chain's price of the item, which other stores charge." }),
    version: z.int().meta({ description: "Of this store's price of this item: 1 for the first, one more for each change or removal." }),
    updatedBy: z.string().meta({ description: 'Who set or removed this version, e.g. "staff:sm-7".' }),
    updatedAt: z.string(),
    removed: z.object({ reason: z.string(), at: z.string() }).optional().meta({ description: "Present when removed: the store charges the chain's price." }),
  })
  .meta({ title: "StorePrice" });

export const StorePriceListSchema = z
  // Anyone reads the list: who set each price is the trail's (GET /v1/catalogue-changes), not the public's.
  .object({ storeId: z.string(), prices: z.array(StorePriceViewSchema.omit({ updatedBy: true })) })
  .meta({ title: "StorePriceList", description: "The store's own prices in force, of items on sale, by item code." });
