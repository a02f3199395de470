import { describe, expect, it } from "vitest";
import { customerWordingOf, isWordedForCustomers } from "./customer-step-wording.ts";

// ADR 022, twenty-seventh-session addendum: a customer's step is worded from its kind and facts.
describe("a step in its customer's words", () => {
  it("tells a cancellation by its reason code, and one from before the codes as plainly cancelled", () => {
    expect(customerWordingOf("order-cancelled", { reasonCode: "customer-asked" }, "customer:c-42")).toBe("cancelled at the customer's request");
    expect(customerWordingOf("order-cancelled", { reasonCode: "out-of-stock" }, "store")).toBe("cancelled: the goods are out of stock");
    expect(customerWordingOf("order-cancelled", { reasonCode: "not-confirmed" }, "system:fulfillment")).toBe("cancelled: the order was not confirmed in time");
    expect(customerWordingOf("order-cancelled", { reasonCode: "" }, "store")).toBe("cancelled");
    expect(customerWordingOf("order-cancelled", {}, "store")).toBe("cancelled");
    expect(customerWordingOf("order-cancelled", { reasonCode: "a-code-from-later" }, "store")).toBe("cancelled");
  });

  // Second reading: migration fulfillment 008 left most old customer steps without facts, and some read "" or "restock of undefined…".
  it("words every customer's kind recorded without facts in plain words: never blank, never 'undefined'", () => {
    const kinds = ["order-received", "order-status-changed", "order-cancelled", "order-corrected", "order-exception", "stock-shortage", "backorder-accepted",
      "lines-substituted", "restock-expected", "shipment-dispatched", "parcel-shipped", "ready-for-pickup", "delivery-recorded", "service-reported",
      "service-exception", "visit-rescheduled", "payment-confirmed", "refund-issued", "return-received", "replacement-shipped", "replacement-called-off"];
    for (const kind of kinds) {
      const words = customerWordingOf(kind, {}, "store");
      expect(words, kind).not.toBe("");
      expect(words, kind).not.toMatch(/undefined|^:|: $|;\s*$/);
    }
    expect(customerWordingOf("restock-expected", {}, "store")).toBe("restock date changed");
    expect(customerWordingOf("restock-expected", { sku: "KETTLE-1", expectedRestockDate: "" }, "store")).toBe("restock of KETTLE-1 no longer expected");
  });

  it("words a step recorded before facts existed without them, never with a blank", () => {
    expect(customerWordingOf("delivery-recorded", {}, "store")).toBe("delivered");
    expect(customerWordingOf("order-corrected", {}, "store")).toBe("corrected");
    expect(customerWordingOf("refund-issued", {}, "system:billing")).toBe("refunded");
    expect(customerWordingOf("replacement-shipped", { caseId: "case-1" }, "store")).toBe("case case-1: replacement shipped");
  });

  it("words the facts it is given", () => {
    expect(customerWordingOf("replacement-shipped", { caseId: "case-1", carrier: "SF Express", trackingNumber: "SF9" }, "store")).toBe("case case-1: replacement shipped with SF Express, tracking SF9");
    expect(customerWordingOf("service-exception", { exception: "late-arrival", newTime: "2026-12-08T10:00:00.000Z" }, "store")).toBe("late-arrival; new time 2026-12-08T10:00:00.000Z");
    expect(customerWordingOf("order-exception", { exception: "delayed", cause: "the road is closed", nextStep: "we deliver tomorrow" }, "store")).toBe("the road is closed; next: we deliver tomorrow");
    expect(customerWordingOf("order-status-changed", { status: "rework", customersWords: "the lid is cracked" }, "customer:c-42")).toBe("rework: the lid is cracked");
    expect(customerWordingOf("order-status-changed", { status: "assigned" }, "system:dispatch")).toBe("assigned");
    expect(customerWordingOf("lines-substituted", { substitutions: "A → 1 × B", refundDueMinor: "100" }, "customer:c-1")).toBe("A → 1 × B; 100 to refund");
    expect(customerWordingOf("refund-issued", { amountMinor: "1999", currency: "CNY" }, "system:billing")).toBe("1999 CNY refunded");
    expect(customerWordingOf("parcel-shipped", { partId: "2", carrier: "SF", trackingNumber: "SF-2" }, "system:fulfillment")).toBe("part 2: SF SF-2");
  });

  it("words only the kinds it lists: the store's own kinds, unknown and anything else are not worded for customers", () => {
    for (const kind of ["order-cancelled", "shipment-dispatched", "delivery-recorded"]) expect(isWordedForCustomers(kind), kind).toBe(true);
    for (const kind of ["invoice", "step-overdue", "reconciliation", "staff-task", "unknown", "toString", ""]) expect(isWordedForCustomers(kind), kind).toBe(false);
    expect(customerWordingOf("invoice", { note: "x" }, "store")).toBe("");
  });
});
