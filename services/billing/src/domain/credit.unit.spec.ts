import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { assessmentOf, decideOnCredit, isRepeatOf, worsens, type CreditAssessment } from "./credit.ts";

const good: CreditAssessment = { customerId: "c-1", rating: "good", limitMinor: 100_000, currency: "CNY", termsDays: 30, reason: "three years of paying on time" };
const poor: CreditAssessment = { customerId: "c-1", rating: "poor", limitMinor: 0, currency: "", termsDays: 0, reason: "two invoices unpaid" };
const order = (totalMinor: number, currency = "CNY") => ({ totalMinor, currency });

describe("an assessment", () => {
  it("takes good credit with a limit and terms, and poor credit with neither", () => {
    expect(assessmentOf({ ...good, customerId: " c-1 ", reason: " on time " })).toEqual({ ...good, reason: "on time" });
    expect(assessmentOf({ ...poor, currency: "CNY" })).toMatchObject({ rating: "poor", limitMinor: 0, currency: "", termsDays: 0 });
  });

  it("names every field that is wrong", () => {
    const refused = (() => {
      try {
        assessmentOf({ customerId: "", rating: "good", limitMinor: 0, currency: "yuan", termsDays: 0, reason: "" });
      } catch (error) {
        return error as ValidationError;
      }
    })();
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused!.fields.map((f) => f.field)).toEqual(["customerId", "reason", "limit", "limit.currency", "termsDays"]);
    expect(() => assessmentOf({ ...good, rating: "excellent" })).toThrow(/rating/);
    expect(() => assessmentOf({ ...poor, limitMinor: 5_000 })).toThrow(/poor credit has no limit/);
  });
});

describe("a credit decision", () => {
  it("approves an order within the limit, counting what the customer owes on their other orders", () => {
    expect(decideOnCredit(good, 60_000, order(40_000))).toEqual({ approved: true, reason: "within the credit limit: 100000 of 100000 CNY owed, 30 days to pay" });
  });

  it("refuses an order over the limit, and every order of a customer with poor credit", () => {
    expect(decideOnCredit(good, 60_000, order(40_001))).toMatchObject({ approved: false, reason: expect.stringContaining("over the credit limit") });
    expect(decideOnCredit(poor, 0, order(1))).toEqual({ approved: false, reason: "poor credit: the customer pays in advance or on delivery" });
  });

  it("leaves a customer never assessed, or an order in another currency, to a finance clerk", () => {
    expect(decideOnCredit(undefined, 0, order(1))).toBeUndefined();
    expect(decideOnCredit(good, 0, order(1, "USD"))).toBeUndefined();
  });
});

describe("a repeated assessment", () => {
  it("is the current one asked again, word for word", () => {
    expect(isRepeatOf(good, { ...good })).toBe(true);
    expect(isRepeatOf(good, { ...good, reason: "reviewed again" })).toBe(false);
    expect(isRepeatOf(undefined, good)).toBe(false);
  });
});

describe("worsened credit", () => {
  it("is good turned poor, poor from the first, a lower limit or shorter terms", () => {
    expect(worsens(good, poor)).toBe(true);
    expect(worsens(undefined, poor)).toBe(true);
    expect(worsens(good, { ...good, limitMinor: 50_000 })).toBe(true);
    expect(worsens(good, { ...good, termsDays: 15 })).toBe(true);
  });

  it("is not a limit in another currency with the same terms", () => {
    expect(worsens(good, { ...good, currency: "USD", limitMinor: 10_000 })).toBe(false);
    expect(worsens(good, { ...good, currency: "USD", termsDays: 10 })).toBe(true);
  });

  it("is not a first good assessment, a better one, poor again, or the same again", () => {
    expect(worsens(undefined, good)).toBe(false);
    expect(worsens(poor, good)).toBe(false);
    expect(worsens(poor, poor)).toBe(false);
    expect(worsens(good, { ...good, limitMinor: 200_000, reason: "more business" })).toBe(false);
  });
});
