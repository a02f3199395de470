import { describe, expect, it } from "vitest";
import { afterCredit, creditNoteFor, invoiceNumberOf, invoiceOnClose, proportionOf, type ClosingMoney, type StandingInvoice } from "./invoice.ts";

const closing: ClosingMoney = { orderId: "o-1", storeId: "store-a", currency: "CNY", paidMinor: 10_800, refundedMinor: 0, amountDueMinor: 10_800, taxMinor: 1_242 };
const order = { orderId: "o-1", storeId: "store-a", currency: "CNY" };
// The invoice of an order routed to store-a: its credit notes go in store-a's series, whichever store took the order.
const invoice: StandingInvoice = { invoiceId: "inv-1", storeId: "store-a", currency: "CNY", amountMinor: 10_800, taxMinor: 1_242, creditedMinor: 0, creditedTaxMinor: 0 };

describe("an invoice on closing", () => {
  it("states what the order kept and its tax, once", () => {
    expect(invoiceOnClose(closing, false)).toEqual({ kind: "invoice", orderId: "o-1", storeId: "store-a", currency: "CNY", amountMinor: 10_800, taxMinor: 1_242 });
    expect(invoiceOnClose(closing, true)).toBeUndefined();
  });

  it("leaves out what went back before the close, with its share of the tax", () => {
    expect(invoiceOnClose({ ...closing, refundedMinor: 800 }, false)).toMatchObject({ amountMinor: 10_000, taxMinor: 1_150 });
  });

  it("is not issued for an order that kept nothing", () => {
    expect(invoiceOnClose({ ...closing, refundedMinor: 10_800 }, false)).toBeUndefined();
    expect(invoiceOnClose({ ...closing, paidMinor: 0 }, false)).toBeUndefined();
  });
});

describe("a credit note", () => {
  it("takes back a refund with the tax in proportion, naming the invoice and the refund", () => {
    expect(creditNoteFor({ refundId: "r-1", amountMinor: 2_700 }, invoice, "o-1")).toEqual({
      kind: "credit-note",
      ...order,
      amountMinor: 2_700,
      taxMinor: 311,
      correctsInvoiceId: "inv-1",
      refundId: "r-1",
    });
  });

  it("goes in the series of the store that issued the invoice", () => {
    expect(creditNoteFor({ refundId: "r-1", amountMinor: 100 }, { ...invoice, storeId: "store-routed-to" }, "o-1")).toMatchObject({ storeId: "store-routed-to" });
  });

  it("never takes back more than the invoice still stands for, and the last one takes the rest of the tax", () => {
    let standing = invoice;
    const taken = [3_333, 3_333, 9_999].map((amountMinor, i) => {
      const note = creditNoteFor({ refundId: `r-${i}`, amountMinor }, standing, "o-1")!;
      standing = afterCredit(standing, note);
      return note;
    });
    expect(taken.map((n) => n.amountMinor)).toEqual([3_333, 3_333, 4_134]);
    expect(taken.reduce((t, n) => t + n.taxMinor, 0)).toBe(1_242);
    expect(creditNoteFor({ refundId: "r-9", amountMinor: 1 }, standing, "o-1")).toBeUndefined();
  });
});

describe("numbers and proportions", () => {
  it("numbers a store's documents with six digits at least", () => {
    expect(invoiceNumberOf("store-a", 42)).toBe("store-a-000042");
    expect(invoiceNumberOf("store-a", 1_234_567)).toBe("store-a-1234567");
  });

  it("rounds half up in exact integers, beyond what a double holds", () => {
    expect(proportionOf(1_242, 2_700, 10_800)).toBe(311);
    expect(proportionOf(1, 1, 3)).toBe(0);
    expect(proportionOf(1, 1, 2)).toBe(1);
    expect(proportionOf(9_007_199_254_740_991, 3, 9)).toBe(3_002_399_751_580_330);
    expect(proportionOf(0, 5, 10)).toBe(0);
    expect(proportionOf(5, 5, 0)).toBe(0);
  });
});
