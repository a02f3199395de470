import { ValidationError, type FieldError } from "@oms/errors";

/**
 * Customers' credit (DOMAIN.md, Credit): "Each customer has a credit assessment. Good credit:
 * a credit limit and payment terms. Poor credit: prepayment or cash on delivery required
 * before work starts. If a customer's credit worsens during execution, new work is suspended
 * and collection starts." Pure: no I/O, no clock.
 */

export type CreditRating = "good" | "poor";

export interface CreditAssessment {
  customerId: string;
  rating: CreditRating;
  /** What the customer may owe on credit at once (good credit; 0 for poor). */
  limitMinor: number;
  currency: string;
  /** Days the customer has to pay an on-credit order (good credit; 0 for poor). */
  termsDays: number;
  reason: string;
}

/** Billing's answer to an on-credit order held for credit; the reason is what the customer is told. */
export interface CreditDecision {
  approved: boolean;
  reason: string;
}

/** A billion in major units: a limit beyond it is a typing slip. */
const largestLimitMinor = 100_000_000_000;
const longestTermsDays = 365;

/** A finance clerk's assessment as asked, checked field by field. */
export function assessmentOf(request: {
  customerId: string;
  rating: string;
  limitMinor: number;
  currency: string;
  termsDays: number;
  reason: string;
}): CreditAssessment {
  const fields: FieldError[] = [];
  const customerId = request.customerId.trim();
  if (!customerId) fields.push({ field: "customerId", message: "is required" });
  if (request.rating !== "good" && request.rating !== "poor") fields.push({ field: "rating", message: 'must be "good" or "poor"' });
  if (!request.reason.trim()) fields.push({ field: "reason", message: "is required (why the credit is what it is)" });
  if (request.rating === "good") {
    if (!Number.isSafeInteger(request.limitMinor) || request.limitMinor <= 0 || request.limitMinor > largestLimitMinor) {
      fields.push({ field: "limit", message: "good credit needs a limit: a positive integer of minor units" });
    }
    if (!/^[A-Z]{3}$/.test(request.currency)) fields.push({ field: "limit.currency", message: "must be an ISO 4217 code, e.g. CNY" });
    if (!Number.isInteger(request.termsDays) || request.termsDays < 1 || request.termsDays > longestTermsDays) {
      fields.push({ field: "termsDays", message: `good credit needs payment terms: 1 to ${longestTermsDays} days` });
    }
  } else if (request.rating === "poor" && (request.limitMinor !== 0 || request.termsDays !== 0)) {
    fields.push({ field: "rating", message: "poor credit has no limit and no terms: the customer pays in advance or on delivery" });
  }
  if (fields.length > 0) throw new ValidationError(fields);
  const rating = request.rating as CreditRating;
  return {
    customerId,
    rating,
    limitMinor: rating === "good" ? request.limitMinor : 0,
    // Poor credit has no limit, so no currency either.
    currency: rating === "good" ? request.currency : "",
    termsDays: rating === "good" ? request.termsDays : 0,
    reason: request.reason.trim(),
  };
}

/**
 * The decision on an on-credit order of `totalMinor` for a customer who owes `exposureMinor`
 * on their other open on-credit orders. None without an assessment (or in another currency
 * than the limit): a finance clerk decides by hand, as before assessments existed.
 */
export function decideOnCredit(current: CreditAssessment | undefined, exposureMinor: number, order: { totalMinor: number; currency: string }): CreditDecision | undefined {
  if (!current) return undefined;
  if (current.rating === "poor") return { approved: false, reason: "poor credit: the customer pays in advance or on delivery" };
  if (order.currency !== current.currency) return undefined;
  const owed = exposureMinor + order.totalMinor;
  const limit = `${current.limitMinor} ${current.currency}`;
  if (owed > current.limitMinor) {
    return { approved: false, reason: `over the credit limit: ${exposureMinor} owed and this order's ${order.totalMinor} exceed ${limit}` };
  }
  return { approved: true, reason: `within the credit limit: ${owed} of ${limit} owed, ${current.termsDays} days to pay` };
}

/**
 * Whether a new assessment worsens the customer's credit: good turned poor (or poor from the
 * first), or a lower limit or shorter terms. Then collection starts on what they owe. A
 * limit in another currency is not comparable, so only shorter terms make it worse.
 */
export function worsens(before: CreditAssessment | undefined, after: CreditAssessment): boolean {
  if (after.rating === "poor") return before?.rating !== "poor";
  if (!before || before.rating === "poor") return false;
  const lowerLimit = after.currency === before.currency && after.limitMinor < before.limitMinor;
  return lowerLimit || after.termsDays < before.termsDays;
}

/** The same assessment again (a retry after a lost answer): nothing new to record. */
export function isRepeatOf(current: CreditAssessment | undefined, asked: CreditAssessment): boolean {
  return (
    current !== undefined &&
    current.rating === asked.rating &&
    current.limitMinor === asked.limitMinor &&
    current.currency === asked.currency &&
    current.termsDays === asked.termsDays &&
    current.reason === asked.reason
  );
}
