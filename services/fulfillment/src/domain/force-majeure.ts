import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import type { ChooseAfterForceMajeure, ForceMajeureNotice, HoldForForceMajeure, LiftForceMajeure } from "./commands.ts";
import type { OrderDomainEvent } from "./events.ts";
import { evolveAll } from "./evolve.ts";
import type { Actor, ForceMajeureHold, Order } from "./order.ts";
import { replanRequest, reservationRequest, settlementRequest } from "./requests.ts";
import { holdForForceMajeure, resumeFromForceMajeure, transition } from "./status-change.ts";
import { forceMajeureHoldable, shippedOrLater, terminalStatuses } from "./transitions.ts";

/**
 * Force majeure (DOMAIN.md, Exceptions: "force majeure (renegotiate)"; ADR 027): an event
 * outside anyone's control stops work at a store, or in some of its districts. Its open
 * orders go on hold, the customer is told the cause, the measure and the expected new time,
 * and each is renegotiated: continue with a new time, or cancel without charge.
 */

/** The ordinary steps a resumption or a choice goes on with (decide.ts owns them). */
export interface OrderSteps {
  /** After confirmation: the credit check and the first request downstream. */
  continueConfirmed(order: Order): OrderDomainEvent[];
  /** The ordinary cancellation, with this reason. */
  cancel(order: Order, reason: string): OrderDomainEvent[];
}

/** Where a declaration reaches: one store, all of it or only the orders going to some of its districts. */
export interface ForceMajeureArea {
  storeId: string;
  /** Empty: the whole store. */
  districts: readonly string[];
}

export const isHeldForForceMajeure = (order: Order) => order.status === "on-hold" && order.holdReason === "force-majeure";

/**
 * An order the declaration holds: at the store (in one of the districts, if it names any),
 * open and not yet on its way to the customer (transitions.ts says why those statuses), and
 * not split over stores (each part is another store's work, ADR 027).
 */
export function isAffectedBy(order: Order, area: ForceMajeureArea): boolean {
  if (order.storeId !== area.storeId) return false;
  if (area.districts.length > 0 && !area.districts.includes(order.region)) return false;
  if (order.parts && order.parts.length > 0) return false;
  return forceMajeureHoldable.has(order.status) && !isHeldForForceMajeure(order);
}

/** What the customer is told when work on their order pauses (DOMAIN.md, Tracking: cause, measure, new time). */
function pausedNotice(notice: ForceMajeureNotice, at: string): OrderDomainEvent {
  return {
    type: "ExceptionRaised",
    exception: {
      kind: "force-majeure",
      cause: notice.cause,
      nextStep: "work on the order is paused; we will agree a new time with you, or you may cancel without charge",
      newEta: notice.expectedUntil ? `not before ${notice.expectedUntil}` : "to be agreed when it is over",
      at,
    },
  };
}

/** A declaration holds an order; one held already (by this declaration or another) stays as it is. */
export function holdOrder(command: HoldForForceMajeure, order: Order): OrderDomainEvent[] {
  if (isHeldForForceMajeure(order) || !forceMajeureHoldable.has(order.status) || (order.parts && order.parts.length > 0)) return [];
  return heldEvents(order, command.declaration, command.at);
}

export function heldEvents(order: Order, notice: ForceMajeureNotice, at: string): OrderDomainEvent[] {
  const hold: ForceMajeureHold = {
    eventId: notice.eventId,
    cause: notice.cause,
    heldFrom: order.status,
    heldAt: at,
    ...(order.status === "on-hold" && order.holdReason ? { heldFromReason: order.holdReason } : {}),
    ...(notice.expectedUntil ? { expectedUntil: notice.expectedUntil } : {}),
  };
  return [holdForForceMajeure(order, `force majeure: ${notice.cause}; work paused`), { type: "ForceMajeureHeld", hold }, pausedNotice(notice, at)];
}

/**
 * The declaration was lifted: its orders still held resume (their customers chose to
 * continue or have not answered), unless another declaration still covers them — then they
 * stay held under that one. Orders held by another declaration, or no longer held, are left.
 */
export function liftHold(command: LiftForceMajeure, order: Order, steps: OrderSteps): OrderDomainEvent[] {
  if (!isHeldForForceMajeure(order) || order.forceMajeure?.eventId !== command.eventId) return [];
  if (command.stillCovered) {
    const { eventId, cause, expectedUntil } = command.stillCovered;
    return [{ type: "HeldWorkNoted", patch: { eventId, cause, ...(expectedUntil ? { expectedUntil } : {}) } }, pausedNotice(command.stillCovered, command.at)];
  }
  return resume(order, command.at, "the force majeure is over", steps);
}

/** DOMAIN.md: the customer tells the order taker or customer service (or the store manager); staff record it. */
const choosingRoles: ReadonlySet<string> = new Set(["order-taker", "customer-service", "store-manager"]);

function assertMayChoose(actor: Actor): void {
  if (actor.kind === "staff" && choosingRoles.has(actor.role)) return;
  throw new ForbiddenError("order.force-majeure-choice-by-staff", "an order taker, customer service or the store manager records the customer's choice after force majeure");
}

/**
 * The customer's choice, while the order is held or after the declaration was lifted:
 * continue with a new time (a held order resumes at once where it was, its timers counted
 * from now; a resumed one takes the new time), or cancel without charge by the ordinary
 * cancellation (stock back, refund if paid).
 */
export function chooseAfterForceMajeure(command: ChooseAfterForceMajeure, order: Order, steps: OrderSteps): OrderDomainEvent[] {
  assertMayChoose(command.actor);
  if (!order.forceMajeure) throw new IllegalStateError("order.not-held-for-force-majeure", `order ${order.orderId} was never held for force majeure`);
  const note = command.note.trim();
  if (command.choice === "cancel") {
    const reason = `force majeure (${order.forceMajeure.cause}): the customer chose to cancel, without charge${note ? `; ${note}` : ""}`;
    return [{ type: "ForceMajeureChoiceRecorded", choice: "cancel" }, ...steps.cancel(order, reason)];
  }
  assertWindow(command.requestedFrom, command.requestedUntil, command.at);
  if (terminalStatuses.has(order.status) || shippedOrLater.has(order.status)) {
    throw new IllegalStateError("order.not-renegotiable", `order ${order.orderId} is ${order.status}; its time can no longer be renegotiated`);
  }
  const window: OrderDomainEvent = { type: "WindowRenegotiated", requestedFrom: command.requestedFrom, requestedUntil: command.requestedUntil };
  const chosen: OrderDomainEvent = { type: "ForceMajeureChoiceRecorded", choice: "continue" };
  const how = `the customer chose to continue, new time ${command.requestedFrom} to ${command.requestedUntil}${note ? `; ${note}` : ""}`;
  if (isHeldForForceMajeure(order)) return [chosen, window, ...resume(evolveAll(order, [chosen, window])!, command.at, how, steps)];
  // Resumed already (the declaration was lifted): only the time changes, and a task planned for it moves.
  const events: OrderDomainEvent[] = [chosen, window];
  if (order.taskId) events.push(replanRequest(evolveAll(order, events)!, order.taskId, `new time after force majeure: ${how}`));
  return events;
}

function assertWindow(from: string, until: string, at: string): void {
  const start = Date.parse(from);
  const end = Date.parse(until);
  if (Number.isNaN(start)) throw new ValidationError([{ field: "requestedFrom", message: "must be a date-time" }]);
  if (Number.isNaN(end)) throw new ValidationError([{ field: "requestedUntil", message: "must be a date-time" }]);
  if (end <= start) throw new ValidationError([{ field: "requestedUntil", message: "must be after requestedFrom" }]);
  if (end <= Date.parse(at)) throw new ValidationError([{ field: "requestedUntil", message: "must be in the future" }]);
}

/**
 * Work resumes where it was held: back to that status, then whatever the order was waiting
 * for when it was held is asked for again or caught up (see catchUp). The customer is told.
 */
function resume(order: Order, at: string, how: string, steps: OrderSteps): OrderDomainEvent[] {
  const hold = order.forceMajeure!;
  const events: OrderDomainEvent[] = [resumeFromForceMajeure(order, hold, `work resumes after force majeure: ${how}`), { type: "ForceMajeureResumed", at, how }];
  events.push(...catchUp(evolveAll(order, events)!, hold, at, steps));
  events.push({
    type: "ExceptionRaised",
    exception: { kind: "force-majeure-over", cause: hold.cause, nextStep: `work resumes: ${how}`, newEta: order.requestedUntil ? `by ${order.requestedUntil}` : "as planned", at },
  });
  return events;
}

/**
 * What the order waited for when it was held, now asked for or caught up:
 * - confirmed (it arrived during the declaration): the credit check and its first request;
 * - credit-checked goods: the warehouse is asked again (an answer during the hold gave its stock back);
 * - an assignee given during the hold to an order waiting for one: assigned now, as the saga would have;
 * - a packed pick-up: the counter holds it again for as long as before, from now;
 * - a planned task: re-planned, so dispatch works to the (new) time.
 */
function catchUp(order: Order, hold: ForceMajeureHold, at: string, steps: OrderSteps): OrderDomainEvent[] {
  if (hold.heldFrom === "confirmed") return steps.continueConfirmed(order);
  const events: OrderDomainEvent[] = [];
  if (hold.heldFrom === "credit-checked" && order.kind === "goods") events.push(reservationRequest(order, (order.reservationAttempt ?? 1) + 1, order.lines));
  const assigned = assigneeCaughtUp(order, hold);
  if (assigned.length > 0) {
    events.push(...assigned);
  } else if (order.taskId) {
    events.push(replanRequest(order, order.taskId, "work resumes after force majeure"));
  }
  if (hold.heldFrom === "packed" && order.pickup) {
    const heldFor = Date.parse(order.pickup.collectBy) - Date.parse(order.pickup.readyAt);
    events.push({ type: "ReadyForPickup", pickup: { ...order.pickup, readyAt: at, collectBy: new Date(Date.parse(at) + heldFor).toISOString() } });
  }
  return events;
}

/** An assignee given during the hold to an order waiting for one: assigned now, as the saga would have. */
function assigneeCaughtUp(order: Order, hold: ForceMajeureHold): OrderDomainEvent[] {
  const waitedForAssignee = hold.heldFrom === "reserved" || (hold.heldFrom === "credit-checked" && order.kind === "service");
  if (!waitedForAssignee || !hold.assignedWhileHeld) return [];
  const events: OrderDomainEvent[] = [transition(order, "assigned", `assigned to ${hold.assignedWhileHeld} while held`)];
  if (order.kind === "goods" && order.reservationId) events.push({ type: "ShipmentRequested", reservationId: order.reservationId, fulfillmentMethod: order.fulfillmentMethod });
  events.push(settlementRequest(order));
  return events;
}

/**
 * The work reached the customer while the order was held (a technician's visit reported,
 * goods collected at the counter; dispatch lets the assignee act while paused): like goods
 * handed to the carrier, that ends the hold. The order resumes where it was, an assignee
 * given meanwhile caught up, so that the delivery is recorded from there as it always is.
 */
export function resumedByDelivery(order: Order, at: string): OrderDomainEvent[] {
  const hold = order.forceMajeure!;
  const events: OrderDomainEvent[] = [
    resumeFromForceMajeure(order, hold, "delivered while held for force majeure: the work was done"),
    { type: "ForceMajeureResumed", at, how: "the work reached the customer" },
  ];
  return [...events, ...assigneeCaughtUp(evolveAll(order, events)!, hold)];
}

/**
 * An acceptance period runs out while the order's store or district is under force majeure:
 * the customer cannot be expected to inspect or answer, so it is extended, and they are told.
 */
export function extendAcceptance(order: Order, notice: ForceMajeureNotice & { until: string }, at: string): OrderDomainEvent[] {
  if (order.status !== "delivered") return [];
  return [
    { type: "AcceptancePeriodExtended", acceptBy: notice.until },
    {
      type: "ExceptionRaised",
      exception: { kind: "force-majeure", cause: notice.cause, nextStep: "the time to accept or refuse the delivery is extended", newEta: `answer by ${notice.until}`, at },
    },
  ];
}

/**
 * What the other services report while an order is held (ADR 027), so that none of it is
 * lost: the warehouse's answer to a reservation asked for before the hold gives its stock
 * back (it is asked again on resuming); the goods picked or packed meanwhile move where the
 * order resumes; goods handed to the carrier end the hold (they are on their way); an
 * assignee given to an order waiting for one is caught up on resuming.
 */
export function heldProgress(order: Order, fact: HeldFact): OrderDomainEvent[] | undefined {
  if (!isHeldForForceMajeure(order)) return undefined;
  const hold = order.forceMajeure!;
  switch (fact.kind) {
    case "reserved":
      return [{ type: "ReservationAnswered", reservationId: fact.reservationId, reserved: true }, ...fact.release];
    case "short":
      return [{ type: "ReservationAnswered", reservationId: fact.reservationId, reserved: false }];
    case "assigned": {
      const waited = hold.heldFrom === "reserved" || (hold.heldFrom === "credit-checked" && order.kind === "service");
      const who: OrderDomainEvent = { type: "AssigneeChanged", taskId: fact.taskId, staffId: fact.staffId };
      return waited ? [who, { type: "HeldWorkNoted", patch: { assignedWhileHeld: fact.staffId } }] : [who];
    }
    case "picked":
    case "packed":
      return [{ type: "HeldWorkNoted", patch: { heldFrom: fact.kind } }];
    case "shipped":
      return [
        { type: "StatusChanged", from: "on-hold", to: "shipped", reason: "handed to the carrier while held for force majeure: on its way" },
        { type: "ForceMajeureResumed", at: fact.at, how: "the goods were handed to the carrier" },
        ...(fact.trackingNumber ? [{ type: "TrackingRecorded" as const, carrier: fact.carrier, trackingNumber: fact.trackingNumber }] : []),
      ];
    default: {
      const unknown: never = fact;
      throw new Error(`unknown held fact ${JSON.stringify(unknown)}`);
    }
  }
}

export type HeldFact =
  | { kind: "reserved"; reservationId: string; release: OrderDomainEvent[] }
  | { kind: "short"; reservationId: string }
  | { kind: "assigned"; taskId: string; staffId: string }
  | { kind: "picked" | "packed" }
  | { kind: "shipped"; at: string; carrier: string; trackingNumber: string };

/** A declaration not lifted, as the orders see it. */
export interface DeclaredForceMajeure extends ForceMajeureArea, ForceMajeureNotice {}

/** The first declaration (oldest) still over the order's store and district, whatever its status. */
export function coveringDeclaration(order: Pick<Order, "storeId" | "region">, declared: readonly DeclaredForceMajeure[]): DeclaredForceMajeure | undefined {
  return declared.find((d) => d.storeId === order.storeId && (d.districts.length === 0 || d.districts.includes(order.region)));
}

export const forceMajeureKinds = ["typhoon", "flood", "earthquake", "lockdown", "power-cut", "road-closure", "other"] as const;

/** DOMAIN.md: the store manager declares for the store, or a supervisor. */
export function assertMayDeclare(actor: Actor): void {
  if (actor.kind === "staff" && (actor.role === "store-manager" || actor.role === "supervisor")) return;
  throw new ForbiddenError("force-majeure.by-store-manager", "only the store manager or a supervisor declares or lifts force majeure");
}
