import { z } from "zod";
import { nextPageTokenSchema } from "./disclosure-schemas.ts";
import { dateTime, pageToken, queryInt, refuseRepeats, text } from "./schema-primitives.ts";
import { ProblemSchema } from "./schemas.ts";

/** Paths, bodies and answers of the warehouse clerks' steps. */

export const ReservationIdParamsSchema = z.strictObject({
  reservationId: text(200).meta({ description: 'URL-encoded: "<orderId>/reservation/1" is sent as "<orderId>%2Freservation%2F1".' }),
});

export const StoreIdParamsSchema = z.strictObject({ storeId: text(64) });

export const PackingSchema = z.strictObject({ parcels: z.int().min(1).max(100) }).meta({ title: "Packing" });

export const ShippingSchema = z
  .strictObject({
    carrier: text(100),
    trackingNumber: z.string().trim().regex(/^[\x21-\x7e]{1,64}$/, "must be 1 to 64 visible ASCII characters"),
  })
  .meta({ title: "Shipping", description: "The carrier that took the parcels and its tracking number; the order becomes shipped." });

/** The most reservations a wave may carry (the warehouse's own limit too). */
const MAX_WAVE_ITEMS = 200;
const waveReservationId = text(200).meta({ description: 'As the pick list gives it, e.g. "<orderId>/reservation/1" (not URL-encoded here).' });

/** A wave's body: its reservations, each once, with what the step needs of each. */
function waveOf<Shape extends z.ZodRawShape>(item: Shape, title: string, description: string) {
  return z
    .strictObject({ reservations: z.array(z.strictObject({ reservationId: waveReservationId, ...item })).min(1).max(MAX_WAVE_ITEMS) })
    .superRefine(({ reservations }, context) =>
      refuseRepeats(
        reservations.map((item) => (item as { reservationId: string }).reservationId),
        (i) => ["reservations", i, "reservationId"],
        "wave",
        context,
      ),
    )
    .meta({ title, description });
}

export const PickWaveSchema = waveOf({}, "PickWave", "The reservations the clerk picked in one round of the shelves.");
export const PackWaveSchema = waveOf(PackingSchema.shape, "PackWave", "The reservations the clerk packed, each with its number of parcels.");
export const ShipWaveSchema = waveOf(ShippingSchema.shape, "ShipWave", "The reservations a carrier collected, each with its carrier and tracking number.");

export const ShipmentExceptionSchema = z
  .strictObject({
    kind: z.enum(["damaged", "lost", "delayed"]),
    cause: text(1_000).meta({ description: "What happened, as the customer will be told it." }),
    newEta: dateTime.optional().meta({ description: "For a delay: the carrier's new delivery estimate." }),
  })
  .meta({
    title: "ShipmentException",
    description: "Raised by a clerk (not resolved): the order records it and the customer is told the cause and the next step.",
  });

export const ShipmentExceptionViewSchema = z
  .object({
    exceptionId: z.string(),
    reservationId: z.string(),
    orderId: z.string(),
    kind: z.string(),
    cause: z.string(),
    nextStep: z.string().meta({ description: "What happens now, as the customer is told it." }),
    newEta: z.string(),
    raisedAt: z.string(),
    raisedBy: z.string(),
  })
  .meta({ title: "ShipmentExceptionView" });

export const StockQuerySchema = z.strictObject({
  sku: z
    .union([text(64), z.array(text(64)).max(200)])
    .optional()
    .meta({ description: "One or more SKUs (repeat the parameter); every SKU of the store when absent." }),
});

/**
 * The paging of a clerk's list (twenty-ninth session): `limit` stays as the page size's older
 * name, so a clerk's app built before gets the first page it sized, with a nextPageToken.
 */
export function clerkListPaging(defaultSize: number) {
  return {
    pageSize: queryInt(1, 500).optional().meta({ description: `At most this many on the page, 1 to 500, ${defaultSize} when absent.` }),
    pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same list and filters)." }),
    limit: queryInt(1, 500)
      .optional()
      .meta({ description: "pageSize's name before the list was paged, kept for callers built then: give one of the two. The page it sizes ends with a nextPageToken as any." }),
  };
}

export const PickListQuerySchema = z.strictObject({
  status: z
    .enum(["ready-to-pick", "picked", "packed"])
    .optional()
    .meta({ description: "The step: ready-to-pick (the pick list, default), picked (to pack), packed (to hand to the carrier or the counter)." }),
  ...clerkListPaging(50),
});

export const PickListSchema = z
  .object({
    entries: z.array(
      z.object({
        reservationId: z.string(),
        orderId: z.string(),
        status: z.string(),
        priority: z.int().meta({ description: "The order's priority: higher is more urgent (urgent, perishable, key customer)." }),
        fulfillmentMethod: z.string(),
        lines: z.array(z.object({ sku: z.string(), location: z.string(), quantity: z.int() })),
        since: z.string().meta({ description: "When the reservation reached this step." }),
      }),
    ),
    nextPageToken: nextPageTokenSchema,
  })
  .meta({ title: "PickList", description: "Most urgent first: the order's priority, then the longest waiting (the reservation id breaking a tie), a page at a time." });

export const OverdueShipmentsQuerySchema = z.strictObject(clerkListPaging(100));

export const OverdueShipmentsSchema = z
  .object({
    shipments: z.array(
      z.object({
        reservationId: z.string().meta({ description: 'The order\'s shipment; "" for an exchange\'s replacement (then caseId).' }),
        orderId: z.string(),
        caseId: z.string().optional().meta({ description: "An exchange's replacement reserved and not shipped by its deadline (reserved + pick, pack and ship allowances): its case. Then step is \"ship\"." }),
        step: z.string().meta({ description: '"pick", "pack" or "ship": the step it waits for.' }),
        dueAt: z.string().meta({ description: "The step's deadline." }),
        level: z.int().meta({ description: "1 = the store's warehouse clerks were warned; 2 = escalated to the store manager." }),
        overdueSince: z.string().meta({ description: "When it was first flagged." }),
        priority: z.int(),
        fulfillmentMethod: z.string(),
      }),
    ),
    nextPageToken: nextPageTokenSchema,
  })
  .meta({ title: "OverdueShipments", description: "The oldest deadline first (then the reservation's or case's id and the step), a page at a time; a shipment leaves the list once the step is done or it is released." });

export const StockCountSchema = z
  .strictObject({
    sku: text(64),
    location: text(64),
    counted: z.int().min(0).max(1_000_000).meta({ description: "What is physically there; the books are corrected to it." }),
    reason: text(500),
  })
  .meta({ title: "StockCount" });

export const StockReceiptSchema = z
  .strictObject({
    receiptId: text(100).meta({ description: "The delivery note's number (and line): a receipt sent again with the same id is booked once." }),
    sku: text(64),
    location: text(64),
    quantity: z.int().min(1).max(1_000_000),
  })
  .meta({ title: "StockReceipt", description: "Goods received at a location." });

export const CaseIdParamsSchema = z.strictObject({ caseId: text(200).meta({ description: "The after-sales case the goods come back for." }) });

export const ExpectedReturnsQuerySchema = z.strictObject(clerkListPaging(100));

/** Most SKUs a returned parcel names; a case names at most the order's lines. */
const MAX_RETURN_LINES = 200;

export const ReturnReceiptSchema = z
  .strictObject({
    receiptId: text(100).meta({ description: "The return parcel's label or note: a receipt sent again with the same id and goods is booked once." }),
    lines: z
      .array(
        z.strictObject({
          sku: text(64),
          resellable: z.int().min(0).max(1_000_000).meta({ description: "Units fit to sell again: back on hand at location, available to promise at once." }),
          location: z.string().trim().max(64).optional().meta({ description: "Where the resellable units are shelved; required when resellable > 0." }),
          writeOffs: z
            .array(
              z.strictObject({
                quantity: z.int().min(1).max(1_000_000),
                condition: z.enum(["damaged", "unsellable"]),
                cause: text(500).meta({ description: "What is wrong with them (cracked lid, opened seal): kept with the write-off." }),
              }),
            )
            .max(20)
            .optional()
            .meta({ description: "Units written off, never on hand, each group with its condition and cause." }),
        }),
      )
      .min(1)
      .max(MAX_RETURN_LINES),
  })
  .superRefine(({ lines }, context) => refuseRepeats(lines.map((line) => line.sku), (i) => ["lines", i, "sku"], "return receipt", context))
  .meta({
    title: "ReturnReceipt",
    description: "A returned parcel as the clerk inspected it: per SKU, the units fit to sell again and those written off. Never more than the case still expects.",
  });

export const ExpectedReturnSchema = z
  .object({
    caseId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    kind: z.string().meta({ description: '"return" or "exchange".' }),
    lines: z.array(
      z.object({
        sku: z.string(),
        expected: z.int().meta({ description: "As named on the case." }),
        restocked: z.int(),
        writtenOff: z.int(),
        outstanding: z.int().meta({ description: "expected - restocked - writtenOff" }),
      }),
    ),
    expectedSince: z.string().meta({ description: "When the case was accepted." }),
    status: z.string().meta({ description: '"expected", "partly-received", "received" or "called-off" (units still outstanding, and they will not come).' }),
    receiptIds: z.array(z.string()),
    calledOffAt: z.string().meta({ description: "When its outstanding goods were called off; empty while they are not." }),
    calledOffBy: z.string().meta({ description: 'Who called them off ("staff:<id>"); empty while nobody has.' }),
    calledOffReason: z.string().meta({ description: "Why they will not come; empty while they are not called off." }),
  })
  .meta({ title: "ExpectedReturn" });

export const ReturnCallOffSchema = z
  .strictObject({ reason: text(500).meta({ description: "Why the goods will not come: the customer kept them, the parcel was lost." }) })
  .meta({ title: "ReturnCallOff", description: "The after-sales desk calls off what a return still expects: it leaves the store's receiving list." });

export const ExpectedReturnsSchema = z
  .object({ returns: z.array(ExpectedReturnSchema), nextPageToken: nextPageTokenSchema })
  .meta({ title: "ExpectedReturns", description: "The longest expected first, a page at a time; a return leaves the list once every unit came back or its outstanding goods are called off." });

export const ReservationViewSchema = z
  .object({
    reservationId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    status: z.string().meta({ description: '"reserved", "picked", "packed", "shipped" or "released".' }),
    carrier: z.string().optional(),
    trackingNumber: z.string().optional(),
  })
  .meta({ title: "Reservation" });

export const WaveOutcomesSchema = z
  .object({
    outcomes: z.array(
      z.object({
        reservationId: z.string(),
        reservation: ReservationViewSchema.optional().meta({ description: "The reservation after its step, when it was taken." }),
        problem: ProblemSchema.optional().meta({ description: "Why its step was refused, as the step alone would have been answered." }),
      }),
    ),
  })
  .meta({ title: "WaveOutcomes", description: "One outcome per reservation of the wave, in the order asked." });

export const StockLevelSchema = z
  .object({
    storeId: z.string(),
    sku: z.string(),
    location: z.string(),
    onHand: z.int(),
    reserved: z.int(),
    available: z.int().meta({ description: "onHand - reserved - safetyStock" }),
    safetyStock: z.int(),
    expectedRestockDate: z.string().optional(),
  })
  .meta({ title: "StockLevel" });

export const StockLevelsSchema = z.object({ levels: z.array(StockLevelSchema) }).meta({ title: "StockLevels" });
