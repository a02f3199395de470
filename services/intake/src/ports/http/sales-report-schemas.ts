import { z } from "zod";
import { dateTime, queryInt, text } from "./schema-primitives.ts";

/** The query and answer of a store's sales report (fulfillment's GetSalesReport). */

export const SalesReportQuerySchema = z.strictObject({
  from: dateTime.meta({ description: "Start of the period the orders were created in (RFC 3339)." }),
  until: dateTime.meta({ description: "End of the period (excluded), after from; at most 366 days after it." }),
  interval: z.enum(["day", "week", "month"]).optional().meta({ description: "The trend's buckets: day (default), week (from Monday) or month." }),
  timeZone: text(64).optional().meta({ description: "The IANA time zone the buckets are cut in, e.g. Asia/Shanghai (default UTC); an abbreviation such as CST is refused." }),
  top: queryInt(1, 200).optional().meta({ description: "How many items to list, the best-selling first: 1 to 200 (default 20)." }),
});

const share = z.object({ key: z.string(), orders: z.int(), salesMinor: z.int() });

export const SalesReportSchema = z
  .object({
    storeId: z.string(),
    from: z.string(),
    until: z.string(),
    interval: z.string(),
    timeZone: z.string(),
    currency: z.string().meta({ description: "The store's currency; empty when it sold nothing in the period." }),
    orders: z.int().meta({ description: "Orders created in the period." }),
    cancelled: z.int().meta({ description: "Of them, cancelled or rejected since: no sale." }),
    salesMinor: z.int().meta({ description: "The amounts due, as they stand, of the rest." }),
    trend: z
      .array(z.object({ startsAt: z.string().meta({ description: "The bucket's first local midnight, in UTC." }), orders: z.int(), cancelled: z.int(), salesMinor: z.int() }))
      .meta({ description: "Every bucket from the one the period starts in, the empty ones too, oldest first." }),
    items: z
      .array(z.object({ sku: z.string(), description: z.string(), kind: z.enum(["goods", "service"]), quantity: z.int(), salesMinor: z.int(), orders: z.int() }))
      .meta({ description: "The best-selling goods and services by sales, then units." }),
    regions: z.array(share).meta({ description: "Sales by the customer's region (district); an empty key for orders that name none." }),
    channels: z.array(share).meta({ description: "Sales by the channel the order came in on." }),
  })
  .meta({ title: "SalesReport", description: "A store's sales over the orders created in a period: the trend, the items, the regions and the channels." });
