import { createHash } from "node:crypto";
import type { TrackedOrder } from "./order-tracker.ts";

/**
 * Which customers of a run behave otherwise than most — stay silent, cancel, get goodwill —
 * drawn from their order ids, so that a restarted harness, the simulated people and the
 * invariant checker all agree on who they are.
 */
export interface StepSettings {
  /**
   * Share of customers who never answer a delivery (0–1): the order is then accepted by
   * rule when its acceptance period runs out, on fulfillment's durable timer.
   */
  silentCustomers: number;
  /**
   * Share of customers who cancel once their order is assigned, before anything ships
   * (0–1): its stock goes back, its task closes, a prepayment is refunded. The clerk and
   * the technician leave such orders alone, so every one of them ends cancelled.
   */
  cancellingCustomers?: number;
  /**
   * Share of closed orders on which a finance clerk refunds a tenth as goodwill (0–1), by a
   * reference of their own: a retry after a lost answer must not refund twice.
   */
  goodwillRefunds?: number;
  /**
   * Share of orders whose first assignee never acknowledges and never turns up (0–1): once
   * the store's acknowledgement window passes, dispatch's durable timer records the miss
   * and the task goes to someone else, who acknowledges and does the work. Riders and
   * technicians of whole orders only: a store has one counter clerk, a split order's parts
   * have riders of their own, and a person who missed a task never gets it back.
   */
  missedAcknowledgements?: number;
  /**
   * Share of customers asked to confirm who never answer (0–1): the store's confirmation
   * rules follow the order up, escalate it to the store manager and cancel it, each on
   * fulfillment's durable timer.
   */
  unansweredConfirmations?: number;
  /**
   * Share of pick-up orders nobody comes for (0–1): when the hold period ends, fulfillment's
   * durable timer cancels the order by rule; its stock goes back, a prepayment is refunded.
   */
  uncollectedPickups?: number;
  /**
   * Technicians confirm an appointment from now, `lengthMs` long, before they serve, so the
   * visit's arrival and report have deadlines on dispatch's durable timers; `lateShare` of
   * them (0–1) arrive `lateByMs` after confirming, and `lateReportShare` (drawn apart)
   * submit the report `reportLateByMs` after confirming, so those deadlines warn and then
   * escalate. They write the service record and submit the report, on which the order is
   * delivered. Unset: technicians serve without an appointment and record the delivery
   * themselves (the benchmark's people).
   */
  appointments?: { lengthMs: number; lateShare: number; lateByMs: number; lateReportShare: number; reportLateByMs: number };
  /**
   * Share of closed orders whose customer complains (0–1): customer service takes the
   * complaint on, answers it and resolves it with a fifth of the order's total refunded
   * (ADR 017); `lateShare` of the complaints are answered `lateByMs` after they were
   * opened, past the store's response time, so after-sales' timer escalates them.
   */
  complaints?: { share: number; lateShare: number; lateByMs: number };
  /**
   * Share of goods orders (0–1) whose warehouse clerk is late for one step of the way out,
   * drawn with the step from the order's id: the pick, the pack or (for an order that is
   * shipped) the shipping waits until `lateByMs` after the order reached the status the
   * step starts from, past the warehouse's deadline for it and the escalation after, so the
   * warehouse's durable timers warn and escalate. The other clerks go at once.
   */
  lateClerks?: { share: number; lateByMs: number };
  /**
   * The business customers the run assessed before the load (ADR 019): billing decides each
   * of their on-credit orders by the assessment — approves those of `good` customers (limits
   * far above what they could owe in the run), which go on like any order paid after
   * acceptance, and refuses those of `poor` ones, which fulfillment cancels. A finance clerk
   * approves by hand the on-credit orders of anyone else, as before assessments existed.
   */
  credit?: { good: readonly string[]; poor: readonly string[] };
}

/** Whether this order's customer stays silent, by its id (stable across restarts and replays). */
export function staysSilent(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && idFraction(order.orderId, 0) < share;
}

/** Whether this order's customer cancels it before it ships, by its id; independent of `staysSilent`. */
export function cancelsBeforeShipping(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && idFraction(order.orderId, 4) < share;
}

/** The goodwill a finance clerk refunds on this closed order: a tenth of its total, or 0 for most orders. */
export function goodwillOf(order: Pick<TrackedOrder, "orderId" | "grandTotalMinor">, share: number): number {
  return share > 0 && idFraction(order.orderId, 8) < share ? Math.max(1, Math.floor(order.grandTotalMinor / 10)) : 0;
}

/** Whether this order's customer, if asked to confirm it, never answers; by its id. */
export function neverConfirms(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && idFraction(order.orderId, 24) < share;
}

/** Whether nobody comes for this pick-up order; by its id. */
export function neverCollected(order: Pick<TrackedOrder, "orderId" | "kind" | "fulfillmentMethod">, share: number): boolean {
  return share > 0 && order.kind === "goods" && order.fulfillmentMethod === "pickup" && idFraction(order.orderId, 28) < share;
}

/** Whether this service order's technician arrives late for the appointment; by its id. */
export function arrivesLate(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && idFraction(order.orderId, 13, 3) < share;
}

/** Whether this service order's technician submits the report late; by its id, apart from arriving late. */
export function reportsLate(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && idFraction(order.orderId, 17, 3) < share;
}

/**
 * Whether this order's task is still with a first assignee who will never acknowledge it,
 * by the order's id; the person it is handed on to does. Independent of the other draws.
 */
export function awaitsAnotherAssignee(
  order: Pick<TrackedOrder, "orderId" | "kind" | "fulfillmentMethod" | "taskId" | "staffId" | "tasksRequested" | "firstAssignees">,
  share: number,
): boolean {
  if (share <= 0 || idFraction(order.orderId, 20) >= share) return false;
  if (order.kind === "goods" && order.fulfillmentMethod === "pickup") return false;
  if (order.tasksRequested.size > 1 || !order.taskId || !order.staffId) return false;
  return order.firstAssignees.get(order.taskId) === order.staffId;
}

/** Whether this closed order's customer complains; by its id, apart from every other draw. */
export function complainsAbout(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && saltedFraction(order.orderId, "complaint") < share;
}

/** Whether customer service answers this order's complaint only after its response time; by its id. */
export function answersComplaintLate(order: Pick<TrackedOrder, "orderId">, share: number): boolean {
  return share > 0 && saltedFraction(order.orderId, "late answer") < share;
}

/** What a complaint's resolution gives back: a fifth of the order's total. */
export function complaintRefundOf(order: Pick<TrackedOrder, "grandTotalMinor">): number {
  return Math.max(1, Math.floor(order.grandTotalMinor / 5));
}

/**
 * The step of the way out this goods order's clerk is late for, if any; by its id, apart
 * from every other draw. A pick-up order is never shipped, so its late step is a pick or a pack.
 */
export function clerkLateFor(order: Pick<TrackedOrder, "orderId" | "kind" | "fulfillmentMethod">, share: number): "pick" | "pack" | "ship" | undefined {
  if (share <= 0 || order.kind !== "goods" || saltedFraction(order.orderId, "late clerk") >= share) return undefined;
  const steps = order.fulfillmentMethod === "pickup" ? (["pick", "pack"] as const) : (["pick", "pack", "ship"] as const);
  return steps[Math.floor(saltedFraction(order.orderId, "late clerk's step") * steps.length)];
}

/** Bought on credit: nothing starts until billing or a finance clerk grants it (the order waits on hold). */
export function buysOnCredit(order: Pick<TrackedOrder, "paymentMethod" | "prepaid">): boolean {
  return order.paymentMethod === "on-credit" && !order.prepaid;
}

/** Whether billing decides this order's credit: bought on credit by a customer the run assessed. */
export function creditDecidedByBilling(order: Pick<TrackedOrder, "paymentMethod" | "prepaid" | "customerId">, credit: StepSettings["credit"]): boolean {
  return buysOnCredit(order) && credit !== undefined && (credit.good.includes(order.customerId) || credit.poor.includes(order.customerId));
}

/** Whether billing refuses this order's credit (its customer was assessed poor): fulfillment then cancels it. */
export function creditRefused(order: Pick<TrackedOrder, "paymentMethod" | "prepaid" | "customerId">, credit: StepSettings["credit"]): boolean {
  return buysOnCredit(order) && credit !== undefined && credit.poor.includes(order.customerId);
}

/** The id's draw for `salt`, in [0, 1): the id's own hex digits are all taken by the draws above. */
function saltedFraction(orderId: string, salt: string): number {
  return createHash("sha256").update(`${salt}:${orderId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** Hex digits of the id from `offset` (four unless said), as a fraction in [0, 1): order ids are random v4 UUIDs (digits 12 and 16 hold the version and variant, not chance). */
function idFraction(orderId: string, offset: number, digits = 4): number {
  return Number.parseInt(orderId.replace(/-/g, "").slice(offset, offset + digits), 16) / 16 ** digits;
}
