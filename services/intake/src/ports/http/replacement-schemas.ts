import { z } from "zod";
import { text } from "./schema-primitives.ts";
import { nextPageTokenSchema } from "./disclosure-schemas.ts";
import { clerkListPaging, ShippingSchema } from "./warehouse-schemas.ts";

/** Bodies and answers of an exchange's replacement goods (ADR 030). */

export const ReplacementsQuerySchema = z.strictObject(clerkListPaging(100));

// The carrier and tracking number are checked as an order's shipment checks them.
export const ReplacementShippingSchema = z
  .strictObject(ShippingSchema.shape)
  .meta({ title: "ReplacementShipping", description: "The carrier that took the replacement and its tracking number; the order's status does not change." });

export const ReplacementCallOffSchema = z
  .strictObject({ reason: text(500).meta({ description: "Why the replacement is not sent: the customer took a refund instead, the exchange was a mistake." }) })
  .meta({ title: "ReplacementCallOff", description: "The after-sales desk calls a replacement off before it ships: whatever was reserved for it is released." });

export const ReplacementMoveSchema = z
  .strictObject({
    toStoreId: text(100).meta({ description: "The store to send the replacement from instead: it must be able to reserve every line now." }),
    reason: text(500).meta({ description: "Why it ships from another store: the order's store waits weeks for the goods, the customer asked." }),
  })
  .meta({ title: "ReplacementMove", description: "The after-sales desk sends a replacement awaiting stock from another store that has the goods." });

export const SkuAvailabilityParamsSchema = z.strictObject({ sku: text(64) });

export const SkuAvailabilitySchema = z
  .object({
    sku: z.string(),
    stores: z.array(
      z.object({
        storeId: z.string(),
        available: z.int().meta({ description: "What the store can still promise: per location on hand less reserved less safety stock (none below zero), summed." }),
        onHand: z.int(),
        reserved: z.int(),
        safetyStock: z.int(),
        expectedRestockDate: z.string().meta({ description: "The earliest date any of its locations expects the SKU back; empty when nobody knows." }),
      }),
    ),
  })
  .meta({ title: "SkuAvailability", description: "Every store stocking the SKU, the most available first: where a waiting replacement could be sent from." });

const Units = z.object({ sku: z.string(), quantity: z.int() });

export const ReplacementSchema = z
  .object({
    caseId: z.string(),
    orderId: z.string(),
    storeId: z.string().meta({ description: "The store the replacement leaves from: the order's, or the one the desk sent it from instead (movedFromStoreId then names the order's)." }),
    status: z.enum(["reserved", "awaiting-stock", "shipped", "called-off"]).meta({
      description: '"reserved": its units are held for it; "awaiting-stock": the store could not promise them when the exchange was accepted (shipping reserves them then, if the stock has come).',
    }),
    lines: z.array(Units).meta({ description: "As the exchange named them." }),
    reserved: z.array(Units.extend({ location: z.string() })).meta({ description: "Where its units are (or were) reserved; empty while awaiting stock." }),
    since: z.string().meta({ description: "When the exchange was accepted: the list's order." }),
    reservedAt: z.string(),
    carrier: z.string(),
    trackingNumber: z.string(),
    shippedAt: z.string(),
    shippedBy: z.string().meta({ description: '"staff:<id>" of the clerk who shipped it.' }),
    calledOffAt: z.string(),
    calledOffBy: z.string(),
    calledOffReason: z.string(),
    movedFromStoreId: z.string().meta({ description: "Sent from another store (POST /v1/replacements/{caseId}/move): the store it waited at; empty when it never moved." }),
    movedAt: z.string(),
    movedBy: z.string().meta({ description: '"staff:<id>" of the desk member who moved it.' }),
    moveReason: z.string(),
    pickedAt: z.string().meta({ description: "When a clerk picked it (POST /v1/replacements/{caseId}/pick); empty while not." }),
    pickedBy: z.string(),
    packedAt: z.string().meta({ description: "When a clerk packed it (POST /v1/replacements/{caseId}/pack); empty while not." }),
    packedBy: z.string(),
    parcels: z.int().meta({ description: "The parcels it was packed in; 0 while not packed." }),
    label: z.string().meta({ description: "The label on its parcels; empty while not packed." }),
    predatesSteps: z.boolean().meta({ description: "Opened before replacements had pick and pack steps: it ships in one go from reserved." }),
    awaitedStep: z.string().meta({ description: '"pick", "pack" or "ship": the step its clerks owe now; empty while awaiting stock, shipped or called off.' }),
  })
  .meta({ title: "Replacement", description: "An accepted exchange's replacement goods (ADR 030); empty strings for what has not happened." });

export const ReplacementsSchema = z
  .object({ replacements: z.array(ReplacementSchema), nextPageToken: nextPageTokenSchema })
  .meta({ title: "Replacements", description: "Reserved or awaiting stock, the oldest acceptance first, a page at a time; a replacement leaves the list once shipped or called off." });
