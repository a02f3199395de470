import { z } from "zod";
import { dateTime, queryInt } from "./schema-primitives.ts";

/** The query and answers of invoices: an order's, and a store's register. */

export const InvoiceRegisterQuerySchema = z.strictObject({
  from: dateTime.meta({ description: "Start of the period the documents were issued in (RFC 3339)." }),
  until: dateTime.meta({ description: "End of the period (excluded), after from; at most 366 days after it." }),
  after: queryInt(0, Number.MAX_SAFE_INTEGER).optional().meta({ description: "The page after this document number (the previous page's nextAfter); from the first when absent." }),
  limit: queryInt(1, 1_000).optional().meta({ description: "Documents on a page (default 500)." }),
});

const money = z.object({ minor: z.int(), currency: z.string() });

export const InvoicesViewSchema = z
  .object({
    invoices: z.array(
      z.object({
        invoiceNumber: z.string().meta({ description: 'The store\'s series without a gap, e.g. "store-sh-jingan-000042".' }),
        kind: z.enum(["invoice", "credit-note"]),
        orderId: z.string(),
        storeId: z.string(),
        amount: money,
        tax: money.meta({ description: "The tax within the amount: the order's tax in proportion." }),
        corrects: z.string().meta({ description: 'A credit note: the number of the invoice it corrects ("" on an invoice).' }),
        refundId: z.string().meta({ description: 'A credit note: the refund it records ("" on an invoice).' }),
        issuedAt: z.string(),
        issuedBy: z.string().meta({ description: 'Who caused it, e.g. "staff:fin-1" (the clerk who closed the order, or who refunded it).' }),
      }),
    ),
    netTotal: money.meta({ description: "Invoiced less credited, over the documents listed." }),
    nextAfter: z.int().optional().meta({ description: "A register: the next page starts after this number (ask again with after=nextAfter); 0 on the last page." }),
  })
  .meta({ title: "Invoices", description: "Invoices and credit notes in the order they were issued, with what they add up to." });
