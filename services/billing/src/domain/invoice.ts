/**
 * Invoices and credit notes (DOMAIN.md, Settlement: finance "issues an invoice"). Pure: no
 * I/O, no clock, no ids, no numbers — the desk draws those.
 *
 * An order is invoiced once, when finance closes it (all its money clear), for the money it
 * kept: what was paid less what went back. Money going back after that is a credit note
 * against the invoice, never more than the invoice still stands for. The tax within each is
 * the order's tax in proportion, so an invoice and its credit notes never state more tax
 * than the order carried.
 */

export type InvoiceKind = "invoice" | "credit-note";

/** What a document says, before the desk numbers it. */
export interface InvoiceDraft {
  kind: InvoiceKind;
  orderId: string;
  storeId: string;
  currency: string;
  amountMinor: number;
  taxMinor: number;
  /** A credit note: the invoice it corrects and the refund it records. */
  correctsInvoiceId?: string;
  refundId?: string;
}

/** An invoice as recorded, with what its credit notes took back so far. */
export interface StandingInvoice {
  invoiceId: string;
  /** The store whose series numbered it (the order's store when it closed: a routed order's, not the one that took it), and its currency. */
  storeId: string;
  currency: string;
  amountMinor: number;
  taxMinor: number;
  creditedMinor: number;
  creditedTaxMinor: number;
}

/** What billing holds of an order when it closes. */
export interface ClosingMoney {
  orderId: string;
  storeId: string;
  currency: string;
  paidMinor: number;
  refundedMinor: number;
  /** The order's total and the tax within it, as settled. */
  amountDueMinor: number;
  taxMinor: number;
}

/**
 * The order's invoice when it closes: none when it has one already (a replayed closure) or
 * kept no money (everything went back, or nothing was ever paid).
 */
export function invoiceOnClose(money: ClosingMoney, invoiced: boolean): InvoiceDraft | undefined {
  if (invoiced) return undefined;
  const amountMinor = money.paidMinor - money.refundedMinor;
  if (amountMinor <= 0) return undefined;
  return {
    kind: "invoice",
    orderId: money.orderId,
    storeId: money.storeId,
    currency: money.currency,
    amountMinor,
    // Paid beyond what was due cannot happen (billing refuses overpayment); the bound keeps the tax within the amount regardless.
    taxMinor: Math.min(proportionOf(money.taxMinor, amountMinor, money.amountDueMinor), amountMinor),
  };
}

/**
 * The credit note recording a refund of an invoiced order: the refund's amount, bounded by
 * what the invoice still stands for, in the invoice's store's series; none when nothing is
 * left of it.
 */
export function creditNoteFor(refund: { refundId: string; amountMinor: number }, invoice: StandingInvoice, orderId: string): InvoiceDraft | undefined {
  const left = invoice.amountMinor - invoice.creditedMinor;
  const amountMinor = Math.min(refund.amountMinor, left);
  if (amountMinor <= 0) return undefined;
  const taxLeft = invoice.taxMinor - invoice.creditedTaxMinor;
  // The last credit note takes the rest of the tax, so rounding never leaves a remainder behind.
  const taxMinor = amountMinor === left ? taxLeft : Math.min(proportionOf(invoice.taxMinor, amountMinor, invoice.amountMinor), taxLeft);
  return {
    kind: "credit-note",
    orderId,
    storeId: invoice.storeId,
    currency: invoice.currency,
    amountMinor,
    taxMinor,
    correctsInvoiceId: invoice.invoiceId,
    refundId: refund.refundId,
  };
}

/** The invoice after a credit note against it. */
export function afterCredit(invoice: StandingInvoice, note: InvoiceDraft): StandingInvoice {
  return { ...invoice, creditedMinor: invoice.creditedMinor + note.amountMinor, creditedTaxMinor: invoice.creditedTaxMinor + note.taxMinor };
}

/** A store's n-th document: "<store>-000042". */
export function invoiceNumberOf(storeId: string, number: number): string {
  return `${storeId}-${String(number).padStart(6, "0")}`;
}

/** whole × part / total, rounded half up, in exact integers (minor units can exceed 2^53 when multiplied). */
export function proportionOf(whole: number, part: number, total: number): number {
  if (total <= 0 || whole <= 0 || part <= 0) return 0;
  const scaled = BigInt(whole) * BigInt(part) * 2n + BigInt(total);
  return Number(scaled / (2n * BigInt(total)));
}
