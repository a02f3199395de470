import { z } from "zod";
import { OrderIdParamsSchema, OrderStatusViewSchema, ProblemSchema } from "./schemas.ts";
import { currency, dateTime, minor, optionalText, pageToken, queryInt, refuseRepeats, text } from "./schema-primitives.ts";

/** Bodies, queries and answers of the people's steps after confirmation: delivery, acceptance, payment, closing, lists. */

export const proofKinds = ["signature", "photo", "one-time-code"] as const;

export const DeliverySchema = z
  .strictObject({
    deliveredAt: dateTime.optional().meta({ description: "When the order was handed over; now when absent." }),
    place: text(200).meta({ description: 'Where, e.g. "front door", "parcel locker", "store counter", "customer\'s home".' }),
    method: text(40).meta({ description: 'How, e.g. "courier", "rider", "pickup", "on-site".' }),
    proofKind: z.enum(proofKinds),
    proofRef: text(200).meta({ description: "The proof's reference: the stored signature or photo, or the one-time code's record." }),
    collectedMinor: minor().optional().meta({ description: "Money taken at the door (cash or card on delivery), in minor units; 0 when absent." }),
    partId: text(20)
      .optional()
      .meta({ description: "A split order is delivered part by part: the part handed over (see the order's parts). May be left out while only one part is on its way." }),
  })
  .meta({ title: "Delivery", description: "The hand-over as the rider, technician or counter records it, or the marketplace the order came in on reports it; the customer's acceptance period starts." });

/** Acceptance and closure carry nothing but the caller: no body, or an empty object. */
export const NoBodySchema = z.strictObject({});

export const RejectionSchema = z
  .strictObject({ reason: text(500).meta({ description: "The customer's reasons; they go to rework with the order." }) })
  .meta({ title: "Rejection" });

export const CreditDecisionSchema = z
  .strictObject({
    approved: z.boolean().meta({ description: "true grants the customer credit for this order; false refuses it and cancels the order." }),
    reason: optionalText(500).meta({ description: "Why; required for a refusal, which the customer is told." }),
  })
  .superRefine((decision, context) => {
    if (!decision.approved && !decision.reason) context.addIssue({ code: "custom", path: ["reason"], message: "a refusal of credit needs the reason the customer is told" });
  })
  .meta({ title: "CreditDecision" });

/** How money reaches the store (domain/order-submission.ts paymentMethods), "on-credit" being no payment. */
export const confirmablePaymentMethods = ["cash", "bank-transfer", "cheque", "third-party", "card-on-delivery"] as const;

export const PaymentSchema = z
  .strictObject({
    amountMinor: z.int().min(1).max(100_000_000_000).meta({ description: "In minor units; at most what is outstanding." }),
    currency: currency.meta({ description: "The settlement's currency." }),
    method: z.enum(confirmablePaymentMethods),
    reference: text(128).meta({ description: "The bank, cheque, card or platform reference; the same reference twice is one payment." }),
  })
  .meta({ title: "Payment", description: "A payment a finance clerk confirms for the order." });

export const ListOrdersQuerySchema = z.strictObject({
  storeId: text(64).optional(),
  status: text(40).optional().meta({ description: 'A lifecycle status, e.g. "assigned", "delivered", "settled".' }),
  channel: text(40).optional(),
  minPriority: queryInt(0, 1_000).optional(),
  createdFrom: dateTime.optional(),
  createdUntil: dateTime.optional(),
  pageSize: queryInt(1, 200).optional().meta({ description: "1 to 200, default 50." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page." }),
});

export const OrderListSchema = z
  .object({
    orders: z.array(OrderStatusViewSchema.omit({ timeline: true })),
    nextPageToken: z.string().optional().meta({ description: "Absent on the last page." }),
  })
  .meta({ title: "OrderList", description: "Orders newest first, without their timelines." });

export const SettlementViewSchema = z
  .object({
    settlementId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    status: z.string().meta({ description: '"awaiting-payment" or "paid".' }),
    currency: z.string(),
    amountDueMinor: z.int(),
    amountPaidMinor: z.int(),
    outstandingMinor: z.int(),
    paymentMethod: z.string(),
  })
  .meta({ title: "Settlement", description: "What the order owes and what has been paid, in minor units." });

/** The most orders one bulk closure may carry (fulfillment's own limit too). */
const MAX_ORDERS_CLOSED_AT_ONCE = 200;

export const ClosureSchema = z
  .strictObject({ orderIds: z.array(OrderIdParamsSchema.shape.orderId).min(1).max(MAX_ORDERS_CLOSED_AT_ONCE) })
  .superRefine(({ orderIds }, context) => refuseRepeats(orderIds, (i) => ["orderIds", i], "closure", context))
  .meta({ title: "Closure", description: "The settled orders finance closes at once, each once." });

export const ClosureOutcomesSchema = z
  .object({
    outcomes: z.array(
      z.object({
        orderId: z.string(),
        status: z.string().optional().meta({ description: 'The status after the closure ("closed"), when the order was closed.' }),
        problem: ProblemSchema.optional().meta({ description: "Why it was refused, as closing it alone would have been answered." }),
      }),
    ),
  })
  .meta({ title: "ClosureOutcomes", description: "One outcome per order, in the order asked." });

export const OrderKpisQuerySchema = z.strictObject({
  from: dateTime.meta({ description: "Start of the period the orders were created in (RFC 3339)." }),
  until: dateTime.meta({ description: "End of the period (excluded), after from; at most 366 days after it." }),
});

export const OrderKpisSchema = z
  .object({
    storeId: z.string(),
    from: z.string(),
    until: z.string(),
    orders: z.int().meta({ description: "Orders created in the period." }),
    confirmed: z.int(),
    meanMinutesToConfirm: z.number().meta({ description: "Intake timeliness: mean minutes from receipt to confirmation (0 when none)." }),
    corrected: z.int().meta({ description: "Information accuracy: orders corrected after intake." }),
    correctionRate: z.number(),
    shipped: z.int(),
    meanHoursToShip: z.number().meta({ description: "On-time processing: mean hours from receipt to shipment." }),
    deliveredWithRequestedTime: z.int(),
    deliveredOnTime: z.int().meta({ description: "Delivered by the requested time." }),
    onTimeDeliveryRate: z.number(),
    cancelled: z.int(),
  })
  .meta({ title: "OrderKpis", description: "A store's order-handling KPIs over the orders created in a period." });

export const CustomerIdParamsSchema = z.strictObject({ customerId: text(64) });

export const CustomerOrdersQuerySchema = z.strictObject({
  pageSize: queryInt(1, 50).optional().meta({ description: "1 to 50, default 20." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page." }),
});

export const CustomerOrderListSchema = z
  .object({
    orders: z.array(
      z.object({
        orderId: z.string(),
        channel: z.string(),
        channelOrderId: z.string(),
        storeId: z.string(),
        kind: z.string(),
        status: z.string().meta({ description: "Where the order stands now; GET /v1/orders/{orderId} has its timeline." }),
        grandTotalMinor: z.int(),
        currency: z.string(),
        receivedAt: z.string(),
      }),
    ),
    nextPageToken: z.string().optional().meta({ description: "Absent on the last page." }),
  })
  .meta({ title: "CustomerOrderList", description: "A customer's orders, newest first." });
