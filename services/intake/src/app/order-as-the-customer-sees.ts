import type { Actor } from "@oms/contracts";
import { customerWordingOf, isWordedForCustomers, rejectedOrderWording } from "../domain/customer-step-wording.ts";
import type { OrderStatusView, TimelineEntryView } from "./order-views.ts";

/**
 * An order as its customer — or the marketplace it came in on, the customer's side — reads it
 * (ADR 022, twenty-sixth- and twenty-seventh-session addenda: what a customer sees of the store's
 * staff and of its working), as a case is read (ADR 017's):
 *
 * - who an order or a part is given to (the assignee) is not shown at all: the status says
 *   whether someone has it;
 * - the timeline holds the steps whose kind customers may see (fulfillment decides it by the
 *   kind) and that are worded for them (domain/customer-step-wording.ts); the store's own working
 *   (assignment, warnings and escalations naming roles, credit, invoices, settlement,
 *   reconciliation, a step whose kind is unknown) is left out;
 * - each step shown is worded from its kind and facts, never from staff's detail: a cancellation
 *   by its reason code, not the words staff typed;
 * - an order rejected in review is told as such, never in the reviewer's words (second reading);
 * - who did a step is named in kind when it was staff: "store"; the customer, a service and a
 *   marketplace keep their names (none is a member of staff, and the customer's is their own).
 *
 * Staff read the order as fulfillment tells it.
 */
export function orderAsSeenBy<View extends OrderStatusView>(caller: Actor, view: View): View {
  return caller.kind === "staff" ? view : orderAsTheCustomerSees(view);
}

/** The order's view without a staff id and without the store's own steps (see orderAsSeenBy); everything else as it is. */
export function orderAsTheCustomerSees<View extends OrderStatusView>(view: View): View {
  return {
    ...view,
    assigneeStaffId: undefined,
    rejectionReason: view.rejectionReason === undefined ? undefined : rejectedOrderWording,
    parts: view.parts?.map((part) => ({ ...part, assigneeStaffId: undefined })),
    timeline: view.timeline.filter(customersSee).map(entryAsTheCustomerSees),
  };
}

/**
 * "staff:<id>" → "store"; anyone else keeps their name: the customer their own (an account's
 * order is read by that account only; a guest's actor is "customer:anonymous"), a service
 * ("system:fulfillment") and a marketplace ("platform:tmall", the order's channel) are no one's person.
 */
export function actorInKind(actor: string): string {
  return actor.startsWith("staff:") ? "store" : actor;
}

/** Both fulfillment's decision by kind and a wording for it here: either missing, the step is staff's. */
function customersSee(entry: TimelineEntryView): boolean {
  return entry.customerVisible && isWordedForCustomers(entry.kind);
}

/** The step in the customer's words; its facts, which the words were built from, are not repeated. */
function entryAsTheCustomerSees(entry: TimelineEntryView): TimelineEntryView {
  const actor = actorInKind(entry.actor);
  return { at: entry.at, service: entry.service, what: entry.what, kind: entry.kind, customerVisible: true, facts: {}, actor, detail: customerWordingOf(entry.kind, entry.facts, actor) };
}
