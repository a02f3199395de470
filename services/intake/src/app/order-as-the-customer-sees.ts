import type { Actor } from "@oms/contracts";
import type { OrderStatusView, TimelineEntryView } from "./order-views.ts";

/**
 * An order as its customer — or the marketplace it came in on, the customer's side — reads it
 * (ADR 022, twenty-sixth-session addendum: what a customer sees of the store's staff), as a case
 * is read (ADR 017's): no member of staff by their id, whose ids are the store's business.
 *
 * - who an order or a part is given to (the assignee, the staff a task was assigned to) is not
 *   shown at all: the status says whether someone has it;
 * - who did a step (a timeline entry's actor; the delivery's "by"; who asked for a correction) is
 *   named in kind when it was staff: "store"; the customer, a service and a marketplace keep their
 *   names (none is a member of staff, and the customer's is their own).
 *
 * Staff read the order as fulfillment tells it.
 */
export function orderAsSeenBy<View extends OrderStatusView>(caller: Actor, view: View): View {
  return caller.kind === "staff" ? view : orderAsTheCustomerSees(view);
}

/** The order's view without a staff id (see orderAsSeenBy); everything else as it is. */
export function orderAsTheCustomerSees<View extends OrderStatusView>(view: View): View {
  return {
    ...view,
    assigneeStaffId: undefined,
    parts: view.parts?.map((part) => ({ ...part, assigneeStaffId: undefined })),
    timeline: view.timeline.map(entryAsTheCustomerSees),
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

/**
 * The entries whose detail fulfillment writes with a staff id in it (services/fulfillment's
 * timeline-entries.ts and the status changes' reasons), each told without it. Other details are
 * the store's words for the customer (causes, measures, new times) or name roles, never a person.
 */
const detailsWithoutStaff: Record<string, (detail: string, actorInKind: string) => string> = {
  // dispatch's TaskAssigned: the detail is the bare staff id of whom the task went to.
  "task.assigned": () => "",
  // "assigned to r-7" or "assigned to r-7 while held" (a force-majeure hold): given to, so no one.
  "order.assigned": (detail) => detail.replace(/^assigned to .*?( while held)?$/, "assigned$1"),
  // "courier by r-7, proof: signature": who delivered did the step, in kind — a marketplace that recorded it by its name, else the store
  // (dispatch's delivery report may be published under the system's name, but a rider or technician delivered).
  "delivery.recorded": (detail, actor) => detail.replace(/^(.*?) by .*?, proof: /, `$1 by ${actor.startsWith("platform:") ? actor : "store"}, proof: `),
  // "address (asked by ot-1)": the order taker or agent who asked is staff.
  "order.corrected": (detail) => detail.replace(/ \(asked by [^)]*\)$/, " (asked by store)"),
};

function entryAsTheCustomerSees(entry: TimelineEntryView): TimelineEntryView {
  const actor = actorInKind(entry.actor);
  const without = detailsWithoutStaff[entry.what];
  return { ...entry, actor, detail: without ? without(entry.detail, actor) : entry.detail };
}
