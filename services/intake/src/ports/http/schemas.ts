import { z } from "zod";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { currency, dateTime, minor, optionalText, text } from "./schema-primitives.ts";
import { directChannels, fulfillmentMethods, orderKinds, paymentMethods, type OrderSubmission } from "../../domain/order-submission.ts";

/**
 * The HTTP API's bodies as zod schemas: requests are parsed with them, and the OpenAPI
 * document is generated from them, so the documentation cannot drift from the code.
 * Shapes and bounds only; the business rules are the pre-check's (domain/pre-check.ts).
 */


export const AddressSchema = z.strictObject({
  line1: text(200),
  line2: optionalText(200),
  city: text(100),
  district: text(100).meta({ description: "Must be one of the store's service areas for ship and on-site orders." }),
  postalCode: optionalText(20),
  country: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code, e.g. CN").meta({ description: "ISO 3166-1 alpha-2" }),
});

export const CustomerSchema = z.strictObject({
  customerId: text(64)
    .optional()
    .meta({ description: "The customer's account, when known. A signed-in customer names themself or leaves it out; staff name whom they take the order for." }),
  name: text(200),
  phone: optionalText(40).meta({ description: "A phone number or an e-mail address is required." }),
  email: optionalText(254),
  address: AddressSchema,
  vip: z.boolean().optional(),
});

export const OrderLineSchema = z.strictObject({
  sku: text(64).meta({ description: "An item or service code of the chain's price list." }),
  description: optionalText(500),
  quantity: z.int().min(1).max(10_000),
  unitPriceMinor: minor(1_000_000_000).meta({ description: "Must equal the listed price, in minor units." }),
  specialRequests: optionalText(500),
});

export const TotalsSchema = z
  .strictObject({
    discountMinor: minor(),
    shippingFeeMinor: minor().meta({ description: "The store's fee for ship orders, 0 from its free-shipping threshold; 0 otherwise." }),
    serviceFeeMinor: minor(),
    taxMinor: minor().meta({ description: "The store's tax rate on the lines total after discount, rounded half up." }),
    grandTotalMinor: minor().meta({ description: "lines - discount + shipping + service fee + tax" }),
    currency,
  })
  .meta({ description: "Money in integer minor units (fen, cents); intake recomputes every figure." });

export const OrderSubmissionSchema = z
  .strictObject({
    channel: z.enum(directChannels),
    channelOrderId: text(128).meta({ description: "The channel's own order id; the same (channel, channelOrderId) is one order." }),
    storeId: text(64),
    kind: z.enum(orderKinds),
    fulfillmentMethod: z.enum(fulfillmentMethods).meta({ description: "goods: ship or pickup; service: on-site" }),
    customer: CustomerSchema,
    lines: z.array(OrderLineSchema).min(1).max(200),
    totals: TotalsSchema,
    paymentMethod: z.enum(paymentMethods),
    prepaid: z.boolean(),
    requestedFrom: dateTime.optional().meta({ description: "Requested delivery time, or the appointment's start (required for services)." }),
    requestedUntil: dateTime.optional(),
    notes: optionalText(2_000),
    confirmedByCustomer: z.boolean().optional().meta({ description: "The customer confirmed the order at checkout; fulfillment then does not ask again." }),
    partialShipment: z
      .boolean()
      .optional()
      .meta({ description: "The customer accepts several parcels from several stores when no single store has every line (the store's own rule may allow it too)." }),
  })
  .meta({ title: "OrderSubmission", description: "An order as the chain's website, app or POS, or an order taker, sends it." });

/** The request body of POST /v1/orders as the domain takes it (the return type proves the schema fits). */
export function parseOrderSubmission(body: unknown): OrderSubmission {
  return parseOrRefuse(OrderSubmissionSchema, body);
}

export const OrderTotalsSchema = z.object({
  linesMinor: z.int(),
  discountMinor: z.int(),
  shippingFeeMinor: z.int(),
  serviceFeeMinor: z.int(),
  taxMinor: z.int(),
  grandTotalMinor: z.int(),
  currency: z.string(),
});

export const OrderAcceptedSchema = z
  .object({
    orderId: z.string(),
    status: z.enum(["received", "in-review", "rejected"]).meta({ description: '"in-review" (202): a reviewer decides before fulfillment starts.' }),
    reviewId: z.string().optional().meta({ description: "The manual review the order waits for, or went through." }),
    storeId: z.string(),
    channel: z.string(),
    channelOrderId: z.string(),
    kind: z.enum(orderKinds),
    totals: OrderTotalsSchema,
    confirmedByChannel: z.boolean(),
    receivedAt: z.string(),
  })
  .meta({ title: "OrderAccepted", description: "201 the first time (202 when it waits for a reviewer), 200 with the same orderId for a repeated request." });

export const TimelineEntrySchema = z.object({
  at: z.string(),
  service: z.string(),
  what: z.string().meta({ description: 'What happened, e.g. "order.received", "order.confirmed".' }),
  detail: z.string(),
  actor: z.string().meta({ description: 'Who did it, e.g. "customer:c-42", "staff:s-7", "system:fulfillment", "platform:tmall"; a customer or a marketplace reads staff as "store".' }),
  kind: z.string().meta({ description: 'What the step is, from fulfillment\'s closed set (e.g. "order-cancelled", "shipment-dispatched", "invoice"); "unknown" for an old step that could not be told.' }),
  customerVisible: z.boolean().meta({ description: "Whether the order's customer and marketplace see the step; they are shown only those, worded from its facts." }),
  facts: z.record(z.string(), z.string()).meta({ description: "The structured facts a customer's wording is built from (a status, a tracking number, a reason code); empty in a customer's answer." }),
});

export const OrderStatusViewSchema = z
  .object({
    orderId: z.string(),
    storeId: z.string(),
    channel: z.string(),
    channelOrderId: z.string(),
    kind: z.string(),
    fulfillmentMethod: z.string(),
    status: z.string(),
    holdReason: z.string().optional().meta({ description: 'Why the order waits while on hold, e.g. "awaiting-stock".' }),
    rejectionReason: z.string().optional().meta({ description: 'Why a reviewer rejected the order (status "rejected"): the reviewer\'s words to staff; a customer or marketplace reads "the store could not accept the order".' }),
    reviewId: z.string().optional(),
    priority: z.int(),
    totals: OrderTotalsSchema.optional(),
    classification: z.array(z.string()),
    assigneeStaffId: z.string().optional().meta({ description: "Whom the order is given to; shown to staff only (absent to a customer or a marketplace)." }),
    trackingNumber: z.string().optional(),
    reservationId: z.string().optional().meta({ description: 'The warehouse reservation (goods), e.g. "<orderId>/reservation/1"; URL-encode it in /v1/reservations/{reservationId}/….' }),
    taskId: z.string().optional().meta({ description: "The dispatch task of the order's assignee." }),
    pickup: z
      .object({ readyAt: z.string(), collectBy: z.string(), code: z.string().optional().meta({ description: "Shown to the customer only; given at the counter." }) })
      .optional()
      .meta({ description: "A pick-up order ready at the store's counter, held until collectBy, then cancelled by rule." }),
    parts: z
      .array(
        z.object({
          partId: z.string(),
          storeId: z.string().meta({ description: "The store that ships this part." }),
          stage: z.enum(["routing", "awaiting-stock", "reserved", "assigned", "picked", "packed", "shipped", "delivered"]),
          lines: z.array(z.object({ sku: z.string(), quantity: z.int() })),
          reservationId: z.string().meta({ description: "The part's own warehouse reservation: the clerks pick, pack and ship it." }),
          taskId: z.string(),
          assigneeStaffId: z.string().optional().meta({ description: "The part's rider; shown to staff only." }),
          trackingNumber: z.string().optional(),
          deliveredAt: z.string().optional(),
        }),
      )
      .optional()
      .meta({
        description:
          'A split order: no single store had every line and the customer (or the store\'s rule) let lines ship separately. Each part ships and is delivered on its own; the order is "partially-shipped", then "partially-delivered", then "delivered".',
      }),
    createdAt: z.string(),
    updatedAt: z.string(),
    timeline: z.array(TimelineEntrySchema),
  })
  .meta({ title: "OrderStatusView", description: "The order's current status and every step so far (who, when, what)." });

export const ConfirmationSchema = z
  .strictObject({ note: optionalText(500) })
  .meta({ title: "Confirmation", description: "The customer confirms the order's details; the body is optional." });

/** The reasons a caller may pick for a cancellation (fulfillment's list, proto OrderCancelled.reason_code): what the customer is told. */
export const cancellationReasonCodes = ["customer-asked", "out-of-stock", "cannot-deliver", "payment-not-received", "duplicate-order", "store-decision"] as const;

export const CancellationSchema = z
  .strictObject({
    reason: text(500).meta({ description: "The canceller's own words: kept for staff and in the dossier, never shown to the customer or the marketplace." }),
    reasonCode: z
      .enum(cancellationReasonCodes)
      .optional()
      .meta({
        description:
          "What the customer and the marketplace are told. A customer may name customer-asked or duplicate-order, a marketplace those and " +
          "payment-not-received, staff any (400 naming reasonCode otherwise). Absent: customer-asked when a customer or a marketplace cancels, store-decision when staff do " +
          "(ADR 022, twenty-seventh-session addendum).",
      }),
  })
  .meta({ title: "Cancellation" });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ title: "Problem", description: "RFC 9457 problem details; `errors` holds one message per wrong field." });

const servingStatus = z.enum(["SERVING", "NOT_SERVING"]);

export const SystemHealthSchema = z
  .object({ status: servingStatus, services: z.record(z.string(), servingStatus) })
  .meta({ title: "SystemHealth", description: "The gRPC health of each of the seven services; 503 unless all serve." });

export const OrderIdParamsSchema = z.strictObject({ orderId: text(100) });
