import { z } from "zod";
import { dateTime, pageToken, queryInt, text } from "./schema-primitives.ts";

/** The bodies, queries, paths and answers of reconciliations (ADR 023). */

export const ReconciliationRequestSchema = z
  .strictObject({
    requestId: text(100).meta({ description: "Your id of this run (ADR 015): the same id again answers the same run; another period under it is refused (409)." }),
    from: dateTime.meta({ description: "Start of the period (RFC 3339), e.g. a business day's local midnight." }),
    until: dateTime.meta({ description: "End of the period (excluded), after from; at most 31 days after it." }),
  })
  .meta({ title: "ReconciliationRequest", description: "Reconcile the store's money against its orders over a period." });

export const ReconciliationListQuerySchema = z.strictObject({
  from: dateTime.meta({ description: "Reconciliations whose period starts at or after this (RFC 3339)." }),
  until: dateTime.meta({ description: "… and before this; at most 366 days after from." }),
  pageSize: queryInt(1, 400).optional().meta({ description: "At most this many runs on the page, 1 to 400, 100 when absent." }),
  pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same from and until)." }),
});

export const correctionKinds = ["refund-issued", "payment-recorded", "order-data-corrected", "written-off", "no-correction-needed"] as const;

export const DifferenceExplanationRequestSchema = z
  .strictObject({
    explanationId: text(100).meta({ description: "Your id of this explanation (ADR 015): the same id again is one explanation; other words under it are refused (409)." }),
    correction: z.enum(correctionKinds).meta({ description: "How the difference was corrected." }),
    note: text(2_000).meta({ description: 'What happened and who corrected what, e.g. "refund issued, voucher V-17" or "written off with approval A-7 of the finance manager".' }),
  })
  .meta({ title: "DifferenceExplanationRequest", description: "A finance clerk's explanation of a difference and how it was corrected; appended, never changed." });

export const ReconciliationIdParamsSchema = z.strictObject({ reconciliationId: text(100) });
export const DifferenceParamsSchema = z.strictObject({ reconciliationId: text(100), differenceId: text(100) });

const money = z.object({ minor: z.int(), currency: z.string() });

const DifferenceViewSchema = z.object({
  differenceId: z.string().meta({ description: "The same on every rerun of the store and period: one per order and kind." }),
  orderId: z.string(),
  kind: z
    .enum([
      "closed-without-settlement",
      "closed-without-invoice",
      "under-collected",
      "over-collected",
      "currency-differs",
      "refund-without-cancellation",
      "kept-after-cancellation",
      "invoice-without-closure",
      "unknown-order",
    ])
    .meta({ description: "What disagrees between billing's money and fulfillment's order (ADR 023)." }),
  detail: z.string(),
  state: z.enum(["open", "explained", "resolved-by-data"]).meta({ description: "open until a clerk explains it, or until a later run no longer finds it (resolved by the data)." }),
  resolvedByDataAt: z.string().nullable(),
  firstFoundAt: z.string(),
  orderStatus: z.string().meta({ description: 'Fulfillment\'s status of the order when found; "" when fulfillment does not know it.' }),
  amountDue: money.meta({ description: "Fulfillment's total of the order." }),
  paid: money.meta({ description: "What billing took on it (prepayment and payments)." }),
  refunded: money,
  explanations: z.array(z.object({ explanationId: z.string(), correction: z.enum(correctionKinds), note: z.string(), explainedBy: z.string(), explainedAt: z.string() })),
});

export const ReconciliationViewSchema = z
  .object({
    reconciliationId: z.string(),
    storeId: z.string(),
    period: z.object({ from: z.string(), until: z.string() }),
    requestId: z.string(),
    startedBy: z.string().meta({ description: '"staff:<id>", or "system:billing" for the daily run.' }),
    completedAt: z.string(),
    ordersCompared: z.int(),
    differencesFound: z.int(),
    openDifferences: z.int(),
    resolvedByData: z.int().meta({ description: "Differences an earlier run of the period found that this one no longer found." }),
    balanced: z.boolean().meta({ description: "None of its differences is open." }),
    differences: z.array(DifferenceViewSchema).optional().meta({ description: "Every difference it found (left out on a list)." }),
    carrierRecoveries: z
      .object({
        settled: z.int().meta({ description: "Carrier claims settled in the period." }),
        due: money.meta({ description: "What those carriers agreed to pay." }),
        receipts: z.int().meta({ description: "Carrier payments finance booked in the period, whichever settlement they pay." }),
        received: money,
        outstanding: money.meta({ description: "What the period's settlements still await now." }),
        reversals: z.int().meta({ description: "Carrier receipts finance reversed in the period as booked in error, whenever booked." }),
        reversed: money.meta({ description: "Their sum: what came in during the period is received less reversed." }),
      })
      .optional()
      .meta({ description: "Money carriers owe the store on settled claims, for the period, as it stands now (left out on a list); never a difference." }),
  })
  .meta({ title: "Reconciliation", description: "A reconciliation of a store's money against its orders over a period, with the differences it found." });

export const ReconciliationsViewSchema = z
  .object({
    reconciliations: z.array(ReconciliationViewSchema),
    nextPageToken: z.string().optional().meta({ description: "Ask again with this as pageToken for the next page; absent on the last page." }),
  })
  .meta({ title: "Reconciliations", description: "A page of a store's reconciliations, newest period first, the latest run of a period first." });
