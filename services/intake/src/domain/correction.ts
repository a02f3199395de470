import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import type { events } from "@oms/contracts";
import { describeBusinessHours, windowMeetsOpening } from "./business-hours.ts";
import { sameDistrict } from "./district.ts";
import { fieldErrorList } from "./field-errors.ts";
import type { SubmittedAddress } from "./order-submission.ts";
import { checkContact, checkTimeAhead } from "./pre-check.ts";
import type { Store } from "./store-catalogue.ts";

/**
 * Corrections (DOMAIN.md, "Who uses it" and "order information wrong"): an order taker
 * may not change an order's content on their own. They file a correction request; a
 * supervisor (someone else) approves it; intake applies it to its record with the values
 * it replaced kept as the audit entry, and tells the other services, which re-plan what
 * depends on the change. Only what the customer told us can be corrected here: contact,
 * address, the requested time and the notes. Lines and money change through a
 * substitution or a cancellation, which settle the price difference.
 */
export interface CorrectionChanges {
  phone?: string | undefined;
  email?: string | undefined;
  address?: SubmittedAddress | undefined;
  requestedFrom?: string | undefined;
  requestedUntil?: string | undefined;
  notes?: string | undefined;
}

export type CorrectionStatus = "pending" | "applied" | "rejected";

/** The fields a correction touches, as they are named in the order (and in events). */
export function fieldsOf(changes: CorrectionChanges): string[] {
  const fields: string[] = [];
  if (changes.phone !== undefined) fields.push("customer.phone");
  if (changes.email !== undefined) fields.push("customer.email");
  if (changes.address !== undefined) fields.push("customer.address");
  if (changes.requestedFrom !== undefined) fields.push("requestedFrom");
  if (changes.requestedUntil !== undefined) fields.push("requestedUntil");
  if (changes.notes !== undefined) fields.push("notes");
  return fields;
}

/** Statuses from which the goods (or the staff) are on their way: where and when can no longer change. */
const underway = new Set(["shipped", "partially-shipped", "partially-delivered", "delivered", "accepted", "completed", "settled", "rework"]);
const finished = new Set(["closed", "cancelled", "rejected"]);
const placeAndTime = new Set(["customer.address", "requestedFrom", "requestedUntil"]);

/**
 * Whether the order, in `status` (fulfillment's), can still take these changes. A finished
 * order takes none; once it is underway, the address and the time are the carrier's or
 * the visit's and cannot be corrected here (contact and notes still can).
 */
export function assertCorrectable(orderId: string, status: string, fields: readonly string[]): void {
  if (finished.has(status)) throw new IllegalStateError("correction.order-finished", `order ${orderId} is ${status}; it can no longer be corrected`);
  const late = fields.filter((field) => placeAndTime.has(field));
  if (underway.has(status) && late.length > 0) {
    throw new IllegalStateError(
      "correction.too-late",
      `order ${orderId} is already ${status}: ${late.join(", ")} can no longer be corrected; ask the carrier or open an after-sales case`,
    );
  }
}

/**
 * The order as it will stand after the changes, checked as the pre-check would check a
 * new order (plausible contact, an address the store serves, a time window that is one),
 * with the region the store's own spelling of the new district. Throws a ValidationError
 * naming each wrong field.
 */
export function correctedOrder(order: events.CanonicalOrder, changes: CorrectionChanges, store: Store, now: Date): events.CanonicalOrder {
  const errors = fieldErrorList();
  if (fieldsOf(changes).length === 0) errors.add("changes", "name at least one field to correct");
  const customer = order.customer ?? { customerId: "", name: "", phone: "", email: "", address: undefined, vip: false };
  const phone = changes.phone ?? customer.phone;
  const email = changes.email ?? customer.email;
  if (changes.phone !== undefined || changes.email !== undefined) checkContact({ name: customer.name, phone, email, address: emptyAddress }, errors);

  let region = order.region;
  let address = customer.address;
  if (changes.address) {
    const served = store.serviceAreas.find((area) => sameDistrict(area, changes.address!.district));
    // A customer collecting at the store may live anywhere (as at intake).
    if (!served && order.fulfillmentMethod !== "pickup") {
      errors.add("address.district", `${store.name} does not serve this district; it serves ${store.serviceAreas.join(", ")}`);
    }
    region = served ?? changes.address.district.trim();
    const given = changes.address;
    address = { line1: given.line1, line2: given.line2 ?? "", city: given.city, district: given.district, postalCode: given.postalCode ?? "", country: given.country };
  }

  const requestedFrom = changes.requestedFrom ?? order.requestedFrom;
  const requestedUntil = changes.requestedUntil ?? order.requestedUntil;
  if (requestedFrom && requestedUntil && Date.parse(requestedUntil) <= Date.parse(requestedFrom)) {
    errors.add(changes.requestedUntil !== undefined ? "requestedUntil" : "requestedFrom", "the requested window would end before it starts");
  }
  if (order.kind === "service" && changes.requestedFrom === "") errors.add("requestedFrom", "a service needs an appointment time");
  if (changes.requestedFrom !== undefined || changes.requestedUntil !== undefined) checkTimeAhead({ requestedFrom, requestedUntil }, now, errors);
  // A new time for a pick-up or a visit must meet the store's hours, as at intake.
  const timeChanged = changes.requestedFrom !== undefined || changes.requestedUntil !== undefined;
  const hours = store.businessHours;
  if (timeChanged && hours && order.fulfillmentMethod !== "ship" && requestedFrom && !Number.isNaN(Date.parse(requestedFrom))) {
    const until = requestedUntil ? new Date(requestedUntil) : undefined;
    if ((!until || until > new Date(requestedFrom)) && !windowMeetsOpening(hours, new Date(requestedFrom), until)) {
      errors.add("requestedFrom", `${store.name} is closed then: ${describeBusinessHours(hours)}`);
    }
  }
  if (errors.count > 0) {
    // Named as in the request body, where the sender has to fix them.
    const fields = errors.list().map(({ field, message }) => ({ field: field === "changes" ? field : `changes.${field.replace(/^customer\./, "")}`, message }));
    throw new ValidationError(fields, undefined, "correction.invalid");
  }

  return {
    ...order,
    region,
    customer: { ...customer, phone: phone ?? "", email: email ?? "", address },
    requestedFrom,
    requestedUntil,
    notes: changes.notes ?? order.notes,
  };
}

const emptyAddress: SubmittedAddress = { line1: "", city: "", district: "", country: "" };

/**
 * The values a correction replaces, field by field: kept with the correction as its
 * audit entry (what was there before, who asked, who approved).
 */
export function previousValuesOf(order: events.CanonicalOrder, fields: readonly string[]): Record<string, unknown> {
  const before: Record<string, unknown> = {};
  for (const field of fields) {
    switch (field) {
      case "customer.phone":
        before[field] = order.customer?.phone ?? "";
        break;
      case "customer.email":
        before[field] = order.customer?.email ?? "";
        break;
      case "customer.address":
        before[field] = order.customer?.address ?? null;
        before.region = order.region;
        break;
      case "requestedFrom":
        before[field] = order.requestedFrom;
        break;
      case "requestedUntil":
        before[field] = order.requestedUntil;
        break;
      case "notes":
        before[field] = order.notes;
        break;
      default:
        throw new Error(`unknown correction field ${field}`);
    }
  }
  return before;
}

export type CorrectionDecision = { type: "approve"; note: string } | { type: "reject"; reason: string };

export type CorrectionOutcome = { type: "apply"; note: string } | { type: "reject"; reason: string } | { type: "unchanged" };

/**
 * A supervisor's decision on a correction. Four eyes: whoever asked for it cannot approve
 * it. Deciding the same way twice (a double click) changes nothing; the other way is refused.
 */
export function decideCorrection(
  correction: { status: CorrectionStatus; requestedBy: string },
  decision: CorrectionDecision,
  decidedBy: string,
): CorrectionOutcome {
  if (decision.type === "approve" && correction.status === "pending" && decidedBy === correction.requestedBy) {
    throw new ForbiddenError("correction.own-request", "a correction must be approved by someone other than the person who asked for it");
  }
  if (correction.status === "pending") return decision.type === "approve" ? { type: "apply", note: decision.note } : { type: "reject", reason: decision.reason };
  const same = (decision.type === "approve" && correction.status === "applied") || (decision.type === "reject" && correction.status === "rejected");
  if (same) return { type: "unchanged" };
  throw new IllegalStateError("correction.already-decided", `this correction was already ${correction.status}`);
}
