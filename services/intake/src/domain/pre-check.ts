import { ValidationError, type FieldError } from "@oms/errors";
import { describeBusinessHours, isOpenAt, windowMeetsOpening } from "./business-hours.ts";
import { sameDistrict } from "./district.ts";
import { fieldErrorList, type FieldErrorList } from "./field-errors.ts";
import type { DirectChannel, OrderSubmission, SubmittedCustomer } from "./order-submission.ts";
import type { PriceListItem, Store, StoreOffer } from "./store-catalogue.ts";
import { expectedTotals, type OrderTotals } from "./totals.ts";

/**
 * The automatic pre-check of every order (DOMAIN.md, Intake): the store exists and
 * serves this kind of order, by this method, in this district, at this time; the
 * customer can be reached; every line is on the price list at the listed price; and
 * the totals match the store's rules to the minor unit. Problems come back field by field.
 */

export interface PricedLine {
  lineId: string;
  sku: string;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
  specialRequests: string;
  item: PriceListItem;
}

/** An order that passed: its lines priced from the list and its totals recomputed. */
export interface CheckedOrder {
  submission: OrderSubmission;
  store: Store;
  lines: PricedLine[];
  totals: OrderTotals;
  /** The district as the store spells it, so routes and staff regions match. */
  region: string;
  /** Handling and skills the items need, e.g. "fragile", "skill:cleaning". */
  tags: string[];
}

export type PreCheckVerdict =
  | { verdict: "passed"; order: CheckedOrder }
  | { verdict: "invalid"; fields: FieldError[] }
  | { verdict: "out-of-scope"; reasons: FieldError[] };

/**
 * The store does not serve this order (kind, method, district or hours): a valid order the
 * store must turn down, with a reason the customer can be told. HTTP answers it 422.
 */
export class OutOfServiceScopeError extends ValidationError {
  constructor(reasons: FieldError[]) {
    super(reasons, reasons.map((r) => r.message).join("; "), "order.out-of-scope");
  }
}

/**
 * `placedAt` is when the order is placed: a counter order is taken only while the store
 * is open. The order path always passes it; without it that one rule is not checked.
 */
export function preCheck(submission: OrderSubmission, offer: StoreOffer, placedAt?: Date): PreCheckVerdict {
  const invalid = fieldErrorList();
  const outOfScope = fieldErrorList();
  const { store } = offer;

  if (!store) invalid.add("storeId", "is not a store of this chain");
  checkMethodFitsKind(submission, invalid);
  checkContact(submission.customer, invalid);
  checkRequestedTime(submission, invalid);
  if (placedAt) checkTimeAhead(submission, placedAt, invalid);
  const lines = priceLines(submission, offer.priceList, invalid);
  let region = submission.customer.address.district.trim();
  if (store) {
    region = checkScope(submission, store, outOfScope) ?? region;
    checkBusinessHours(submission, store, placedAt, outOfScope);
    if (lines) checkTotals(submission, store, lines, invalid);
  }

  // A wrong field is for the sender to fix; refusing on scope is only final for an otherwise valid order.
  if (invalid.count > 0) {
    for (const reason of outOfScope.list()) invalid.add(reason.field, reason.message);
    return { verdict: "invalid", fields: invalid.list() };
  }
  if (outOfScope.count > 0) return { verdict: "out-of-scope", reasons: outOfScope.list() };
  if (!store || !lines) throw new Error("pre-check passed without a store or priced lines");
  return {
    verdict: "passed",
    order: { submission, store, lines, totals: expectedTotalsOf(submission, store, lines), region, tags: tagsOf(lines) },
  };
}

/** The verdict as the error the sender gets, or the checked order. */
export function checkedOrderOf(verdict: PreCheckVerdict): CheckedOrder {
  switch (verdict.verdict) {
    case "passed":
      return verdict.order;
    case "invalid":
      throw new ValidationError(verdict.fields);
    case "out-of-scope":
      throw new OutOfServiceScopeError(verdict.reasons);
    default: {
      const unknown: never = verdict;
      throw new Error(`unknown pre-check verdict ${JSON.stringify(unknown)}`);
    }
  }
}

const methodsOfKind = { goods: ["ship", "pickup"], service: ["on-site"] } as const;

function checkMethodFitsKind({ kind, fulfillmentMethod }: OrderSubmission, errors: FieldErrorList): void {
  const allowed: readonly string[] = methodsOfKind[kind];
  if (!allowed.includes(fulfillmentMethod)) errors.add("fulfillmentMethod", `must be ${allowed.join(" or ")} for a ${kind} order`);
}

// Digits with the separators people write; 7 to 15 digits (E.164 allows 15).
const plausiblePhone = /^\+?[\d\s().-]+$/;
const plausibleEmail = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** A phone number as people write it, with 7 to 15 digits. */
export function isPlausiblePhone(phone: string): boolean {
  const digits = phone.replace(/\D/g, "").length;
  return plausiblePhone.test(phone) && digits >= 7 && digits <= 15;
}

export function isPlausibleEmail(email: string): boolean {
  return email.length <= 254 && plausibleEmail.test(email);
}

export function checkContact(customer: SubmittedCustomer, errors: FieldErrorList): void {
  const phone = customer.phone?.trim() ?? "";
  const email = customer.email?.trim() ?? "";
  if (!phone && !email) {
    errors.add("customer.phone", "a phone number or an e-mail address is required");
    return;
  }
  if (phone && !isPlausiblePhone(phone)) errors.add("customer.phone", "is not a plausible phone number");
  if (email && !isPlausibleEmail(email)) errors.add("customer.email", "is not a plausible e-mail address");
}

function checkRequestedTime({ kind, requestedFrom, requestedUntil }: OrderSubmission, errors: FieldErrorList): void {
  if (kind === "service" && !requestedFrom) errors.add("requestedFrom", "a service needs an appointment time");
  if (requestedFrom && requestedUntil && Date.parse(requestedUntil) <= Date.parse(requestedFrom)) {
    errors.add("requestedUntil", "must be after requestedFrom");
  }
}

/**
 * A requested time must still be ahead: a window that has ended (or a time, given alone,
 * that has passed) can be kept by no one. The window's end is what counts, so a visit due
 * "between now and noon" is taken.
 */
export function checkTimeAhead(window: { requestedFrom?: string | undefined; requestedUntil?: string | undefined }, now: Date, errors: FieldErrorList): void {
  const field = window.requestedUntil ? "requestedUntil" : window.requestedFrom ? "requestedFrom" : undefined;
  if (!field) return;
  const end = Date.parse(window[field]!);
  if (!Number.isNaN(end) && end <= now.getTime()) errors.add(field, "is in the past: the requested time must still be ahead");
}

/** Every line priced from the list, or undefined when any line is wrong (totals are then meaningless). */
function priceLines(submission: OrderSubmission, priceList: ReadonlyMap<string, PriceListItem>, errors: FieldErrorList): PricedLine[] | undefined {
  const before = errors.count;
  const lines = submission.lines.map((line, index): PricedLine | undefined => {
    const item = priceList.get(line.sku);
    if (!item) {
      errors.add(`lines[${index}].sku`, "is not on the price list");
      return undefined;
    }
    if (item.withdrawn) {
      errors.add(`lines[${index}].sku`, `is no longer on sale (withdrawn: ${item.withdrawn.reason})`);
      return undefined;
    }
    if (item.kind !== submission.kind) {
      errors.add(`lines[${index}].sku`, `is a ${item.kind} item and cannot be part of a ${submission.kind} order`);
      return undefined;
    }
    if (line.unitPriceMinor !== item.unitPriceMinor) {
      // A store's own price (ADR 028, addendum) is named so, lest the caller look it up on the chain's list.
      errors.add(`lines[${index}].unitPriceMinor`, `must be ${item.unitPriceMinor}, ${item.chainUnitPriceMinor === undefined ? "the listed price" : "this store's price"}`);
      return undefined;
    }
    return {
      lineId: String(index + 1),
      sku: item.sku,
      description: line.description?.trim() || item.description,
      quantity: line.quantity,
      unitPriceMinor: item.unitPriceMinor,
      lineTotalMinor: line.quantity * item.unitPriceMinor,
      specialRequests: line.specialRequests?.trim() ?? "",
      item,
    };
  });
  return errors.count === before ? (lines as PricedLine[]) : undefined;
}

/** Returns the store's spelling of the customer's district when the store serves it there. */
function checkScope({ kind, fulfillmentMethod, customer }: OrderSubmission, store: Store, reasons: FieldErrorList): string | undefined {
  // A store closed by the chain (ADR 028) turns every new order down, whatever else it would serve.
  if (store.acceptingOrders === false) reasons.add("storeId", `${store.name} is not taking new orders for now`);
  if (!store.orderKinds.includes(kind)) reasons.add("kind", `${store.name} does not take ${kind} orders`);
  if (!store.fulfillmentMethods.includes(fulfillmentMethod)) reasons.add("fulfillmentMethod", `${store.name} does not offer ${fulfillmentMethod}`);
  const district = customer.address.district;
  const served = store.serviceAreas.find((area) => sameDistrict(area, district));
  // A customer collecting at the store may live anywhere.
  if (!served && fulfillmentMethod !== "pickup") {
    const where = fulfillmentMethod === "ship" ? "deliver to" : "serve";
    reasons.add("customer.address.district", `${store.name} does not ${where} this district; it serves ${store.serviceAreas.join(", ")}`);
  }
  return served;
}

/** The channel of the store's own counter (POS): the customer stands in the store. */
export const counterChannel: DirectChannel = "pos";

/**
 * A counter order is placed while the store is open; a pick-up's and an on-site visit's
 * requested time must meet the store's opening hours on an open day. Shipping goes on
 * around the clock, and a pick-up without a requested time is collected whenever the store is open.
 */
function checkBusinessHours(submission: OrderSubmission, store: Store, placedAt: Date | undefined, reasons: FieldErrorList): void {
  const hours = store.businessHours;
  if (!hours) return;
  if (submission.channel === counterChannel && placedAt && !isOpenAt(hours, placedAt)) {
    reasons.add("storeId", `${store.name} is closed now: ${describeBusinessHours(hours)}`);
  }
  if (submission.fulfillmentMethod === "ship" || !submission.requestedFrom) return;
  const from = new Date(submission.requestedFrom);
  const until = submission.requestedUntil ? new Date(submission.requestedUntil) : undefined;
  // An unreadable or inverted window is already a wrong field (checkRequestedTime).
  if (Number.isNaN(from.getTime()) || (until && !(until > from))) return;
  if (!windowMeetsOpening(hours, from, until)) reasons.add("requestedFrom", `${store.name} is closed then: ${describeBusinessHours(hours)}`);
}

function expectedTotalsOf(submission: OrderSubmission, store: Store, lines: PricedLine[]): OrderTotals {
  const linesMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  return expectedTotals(store, submission.fulfillmentMethod, linesMinor, submission.totals.discountMinor, submission.totals.serviceFeeMinor);
}

function checkTotals(submission: OrderSubmission, store: Store, lines: PricedLine[], errors: FieldErrorList): void {
  const given = submission.totals;
  const expected = expectedTotalsOf(submission, store, lines);
  if (given.currency !== store.currency) errors.add("totals.currency", `must be ${store.currency}, the store's currency`);
  if (given.discountMinor > expected.linesMinor) {
    errors.add("totals.discountMinor", `must not exceed the lines total of ${expected.linesMinor}`);
    return;
  }
  if (given.shippingFeeMinor !== expected.shippingFeeMinor) {
    const rule =
      submission.fulfillmentMethod !== "ship"
        ? `nothing is shipped for ${submission.fulfillmentMethod}`
        : `${store.shippingFeeMinor}, free from ${store.freeShippingFromMinor} after discount`;
    errors.add("totals.shippingFeeMinor", `must be ${expected.shippingFeeMinor} (${rule})`);
  }
  if (given.taxMinor !== expected.taxMinor) {
    errors.add("totals.taxMinor", `must be ${expected.taxMinor} (${store.taxRateBasisPoints / 100}% of the lines total after discount)`);
  }
  if (given.grandTotalMinor !== expected.grandTotalMinor) {
    errors.add(
      "totals.grandTotalMinor",
      `must be ${expected.grandTotalMinor} (lines ${expected.linesMinor} - discount ${expected.discountMinor} + shipping ${expected.shippingFeeMinor}` +
        ` + service fee ${expected.serviceFeeMinor} + tax ${expected.taxMinor})`,
    );
  }
}

function tagsOf(lines: PricedLine[]): string[] {
  const tags = new Set<string>();
  for (const { item } of lines) {
    for (const handling of item.handling) tags.add(handling);
    for (const skill of item.skills) tags.add(`skill:${skill}`);
  }
  return [...tags].sort();
}
