/**
 * What a step on an order's timeline is, from a closed set, and whom it is for (ADR 022,
 * twenty-seventh-session addendum). The customer's and the marketplace's view shows a step by
 * its kind and words it from the step's facts; staff read every step with fulfillment's detail.
 *
 * "customer": the order's progress as its customer follows it (received, each status it reached,
 * shipped with a tracking number, delivered, cancelled and why in the customer's terms, a refund).
 * A status change is the customer's even for the store's books (credit-checked, settled, closed):
 * the order's status names it anyway, and the customer is told the status, never its reason.
 * "staff": the store's own working — requests between services, assignment of people, warnings
 * and escalations naming roles, credit, invoices, settlement, reconciliation, disputes, routing
 * between stores — and anything whose kind is not known.
 */
const audienceOfKind = {
  "order-created": "customer",
  "order-received": "customer",
  "order-status-changed": "customer",
  "order-cancelled": "customer",
  "order-corrected": "customer",
  "order-exception": "customer",
  "stock-shortage": "customer",
  "backorder-accepted": "customer",
  "lines-substituted": "customer",
  "restock-expected": "customer",
  "shipment-dispatched": "customer",
  "parcel-shipped": "customer",
  "ready-for-pickup": "customer",
  "delivery-recorded": "customer",
  "service-reported": "customer",
  "service-exception": "customer",
  "visit-rescheduled": "customer",
  "payment-confirmed": "customer",
  "refund-issued": "customer",
  "return-received": "customer",
  "replacement-shipped": "customer",
  "replacement-called-off": "customer",

  "service-request": "staff",
  "review": "staff",
  "stock-routing": "staff",
  "warehouse-step": "staff",
  "staff-task": "staff",
  "follow-up": "staff",
  "escalation": "staff",
  "step-overdue": "staff",
  "correction-request": "staff",
  "credit": "staff",
  "collection": "staff",
  "invoice": "staff",
  "settlement": "staff",
  "reconciliation": "staff",
  "settlement-dispute": "staff",
  "refund-shortfall": "staff",
  "return-step": "staff",
  "replacement-step": "staff",
  // A step recorded before kinds existed whose kind could not be told, or a step of an event
  // fulfillment has no words for: nobody decided the customer may see it, so they do not.
  "unknown": "staff",
} as const satisfies Record<string, "customer" | "staff">;

export type TimelineKind = keyof typeof audienceOfKind;

export const timelineKinds = Object.keys(audienceOfKind) as TimelineKind[];

export function isTimelineKind(kind: string): kind is TimelineKind {
  return Object.hasOwn(audienceOfKind, kind);
}

/** Whether the order's customer and marketplace may see a step of this kind; a kind outside the set they may not. */
export function customersMaySee(kind: string): boolean {
  return isTimelineKind(kind) && audienceOfKind[kind] === "customer";
}

/** The structured facts of a step a customer's wording is built from: short values, never staff's words. */
export type TimelineFacts = Readonly<Record<string, string>>;
