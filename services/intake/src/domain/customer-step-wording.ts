/**
 * How an order's step reads to its customer and its marketplace (ADR 022, twenty-seventh-session
 * addendum): worded here from the step's kind and its structured facts, never from the detail
 * staff read, which may name staff, roles and stores and carries staff's own words. A kind with no
 * wording here is not shown to them, whatever fulfillment says of it: a kind added there reaches
 * customers only once someone words it for them.
 */
export type StepFacts = Readonly<Record<string, string>>;

/** Who did the step, as the customer reads it: "store", a marketplace's name, the customer, a service. */
type Wording = (facts: StepFacts, actorInKind: string) => string;

/** What a customer is told of a cancellation's reason code; "" (a cancellation before codes) is a plain "cancelled". */
const cancellationWording: Readonly<Record<string, string>> = {
  "customer-asked": "cancelled at the customer's request",
  "out-of-stock": "cancelled: the goods are out of stock",
  "cannot-deliver": "cancelled: the store cannot deliver it",
  "payment-not-received": "cancelled: the payment did not arrive",
  "duplicate-order": "cancelled: the same order was placed twice",
  "store-decision": "cancelled by the store",
  "credit-refused": "cancelled: the order could not be taken on credit",
  "not-confirmed": "cancelled: the order was not confirmed in time",
  "not-collected": "cancelled: the order was not collected in time",
  "force-majeure": "cancelled without charge because of force majeure",
};

/**
 * What a customer and their marketplace are told of an order a reviewer rejected (ADR 022,
 * twenty-seventh-session addendum, second reading). The reviewer's reason is written to colleagues
 * (a suspected reseller, a courier's limits, a colleague's name): staff keep it; the customer is
 * told the outcome, and asks the store if they want more.
 */
export const rejectedOrderWording = "the store could not accept the order";

const joined = (...parts: (string | undefined)[]) => parts.filter((p) => p).join(" ");
const caseOf = (facts: StepFacts, rest: string) => (facts.caseId ? `case ${facts.caseId}: ${rest}` : rest);

const wordingOfKind: Readonly<Record<string, Wording>> = {
  "order-created": () => "",
  "order-received": (f) => (f.channel ? `via ${f.channel}` : "received"),
  // The customer's own words (a refused delivery's reasons) when the step was theirs; never staff's.
  "order-status-changed": (f) => (f.customersWords ? `${f.status || "status changed"}: ${f.customersWords}` : f.status || "status changed"),
  "order-cancelled": (f) => cancellationWording[f.reasonCode ?? ""] ?? "cancelled",
  "order-corrected": (f) => (f.fields ? `${f.fields} corrected` : "corrected"),
  // The cause and next step are the customer's notice by contract (OrderExceptionRaised), written for them.
  "order-exception": (f) => (f.cause ? `${f.cause}${f.nextStep ? `; next: ${f.nextStep}` : ""}` : f.exception || "a problem on the order's way"),
  "stock-shortage": (f) => (f.skus ? `out of stock: ${f.skus}` : "out of stock"),
  "backorder-accepted": () => "waiting for the stock",
  "lines-substituted": (f) => `${f.substitutions || "lines substituted"}${Number(f.refundDueMinor) > 0 ? `; ${f.refundDueMinor} to refund` : ""}`,
  // A step recorded before facts names no SKU: whether the date was set or cleared is not known either.
  "restock-expected": (f) =>
    !f.sku ? "restock date changed" : f.expectedRestockDate ? `restock of ${f.sku} expected ${f.expectedRestockDate}` : `restock of ${f.sku} no longer expected`,
  "shipment-dispatched": (f) => f.trackingNumber || "shipped",
  "parcel-shipped": (f) => joined(f.partId ? `part ${f.partId}:` : "", f.carrier, f.trackingNumber) || "a parcel shipped",
  "ready-for-pickup": (f) => (f.collectBy ? `held at the counter until ${f.collectBy}` : "ready at the counter"),
  // Who delivered is a member of staff: the store; a marketplace that recorded it keeps its name.
  "delivery-recorded": (f, by) => (f.method ? `${f.method} by ${by.startsWith("platform:") ? by : "store"}, proof: ${f.proofKind ?? ""}` : "delivered"),
  "service-reported": () => "the work was reported done",
  // A visit's exception and a rescheduling tell the customer the cause written for them (dispatch's contract), never the store's measure.
  "service-exception": (f) => [f.cause || f.exception || "a change to the visit", f.newTime && `new time ${f.newTime}`].filter(Boolean).join("; "),
  "visit-rescheduled": (f) => [f.cause, f.newTime ? `new time ${f.newTime}` : "rescheduled"].filter(Boolean).join("; "),
  "payment-confirmed": () => "payment received",
  "refund-issued": (f) => (f.amountMinor ? joined(f.amountMinor, f.currency, "refunded") : "refunded"),
  "return-received": (f) => caseOf(f, "goods received back"),
  "replacement-shipped": (f) => caseOf(f, `replacement shipped${f.carrier ? ` with ${f.carrier}` : ""}${f.trackingNumber ? `, tracking ${f.trackingNumber}` : ""}`),
  "replacement-called-off": (f) => caseOf(f, "the replacement is not sent"),
};

/** Whether a step of this kind is worded for customers at all. */
export function isWordedForCustomers(kind: string): boolean {
  return Object.hasOwn(wordingOfKind, kind);
}

/** The customer's words for a step of a kind worded for them (see isWordedForCustomers). */
export function customerWordingOf(kind: string, facts: StepFacts, actorInKind: string): string {
  return Object.hasOwn(wordingOfKind, kind) ? wordingOfKind[kind]!(facts, actorInKind) : "";
}
