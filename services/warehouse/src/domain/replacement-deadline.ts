import { awaitedReplacementStep } from "./replacement-steps.ts";
import type { Replacement } from "./replacements.ts";
import { dueAtOf, overdueFlag, overdueLevelOf, type OverdueFlag, type ShipmentStep, type StepDeadlineSettings } from "./step-deadlines.ts";

/**
 * An exchange's replacement's time node (ADR 030's fifth addendum): reserved at a store, it must
 * leave by a ship-by deadline, or the store's warehouse clerks are warned (level 1), and, still on
 * the shelf a while later, its store manager (level 2) — the people and levels of an order's
 * shipment steps (step-deadlines.ts). Since its clerk picks and packs it (ADR 030's seventh
 * addendum), each step has a node of its own, with an order's allowance for that step: picked by
 * reserved + pick, packed by picked + pack, shipped by packed + ship. One opened before the steps
 * ships in one go, so its one ship node keeps an order's whole way out (pick + pack + ship from
 * its reservation). Pure: the clock comes in, the adapter locks the node the decision is about.
 */

/** The node as recorded: the store whose clerks ship it, its deadline, how far it went and how it ended. */
export interface ReplacementDeadline {
  caseId: string;
  /** The step the node watches; "ship" for one opened before the steps. */
  step: ShipmentStep;
  orderId: string;
  storeId: string;
  correlationId: string;
  dueAt: Date;
  /** 0 = not flagged; 1 = the clerks were warned; 2 = escalated to the store manager. */
  level: number;
  overdueSince?: Date | undefined;
  metAt?: Date | undefined;
  calledOffAt?: Date | undefined;
}

/** How long a reserved replacement may wait to ship: an order's pick, pack and ship allowances together. */
export function replacementShipAllowanceMs(settings: Pick<StepDeadlineSettings, "pickMs" | "packMs" | "shipMs">): number {
  return settings.pickMs + settings.packMs + settings.shipMs;
}

/** When a replacement reserved at `reservedAt` is due to ship. */
export function replacementShipByOf(reservedAt: Date, settings: Pick<StepDeadlineSettings, "pickMs" | "packMs" | "shipMs">): Date {
  return new Date(reservedAt.getTime() + replacementShipAllowanceMs(settings));
}

/**
 * When the replacement's `step` is due if it became able to take it at `from`: an order's allowance
 * for that step, or, for one that ships in one go (opened before the steps), the whole way out.
 */
export function replacementStepDueAt(replacement: Pick<Replacement, "predatesSteps">, step: ShipmentStep, from: Date, settings: StepDeadlineSettings): Date {
  return replacement.predatesSteps ? replacementShipByOf(from, settings) : dueAtOf(step, from, settings);
}

/** The replacements among these whose clock starts now: those reserved (a shipment that reserves and ships at once starts none). */
export function replacementsToTime(replacements: readonly Replacement[]): Replacement[] {
  return replacements.filter((r) => r.status === "reserved" && r.reservedAt !== undefined);
}

export type ReplacementOverdueDecision =
  | OverdueFlag
  | { kind: "nothing"; why: "no-deadline" | "met" | "called-off" | "not-reserved" | "not-awaited" | "moved" | "flagged-already" };

/**
 * A step's deadline (level 1) or its escalation (level 2) of the replacement at the timer's
 * store came due at `now`: flag it if the replacement is still reserved there, still owes that step, and
 * the level was not flagged before (a timer fired again, a replay); else nothing. A timer of the
 * store it left (moved meanwhile) flags nothing: the new store's node has timers of its own.
 */
export function decideReplacementOverdue(
  timer: { level: number; storeId: string; step: ShipmentStep },
  deadline: ReplacementDeadline | undefined,
  replacement: Pick<Replacement, "status" | "storeId" | "picked" | "packed" | "predatesSteps"> | undefined,
  now: Date,
  settings: Pick<StepDeadlineSettings, "escalateAfterMs">,
): ReplacementOverdueDecision {
  const level = overdueLevelOf(timer.level, "replacement-deadline.invalid-level");
  if (!deadline || !replacement) return { kind: "nothing", why: "no-deadline" };
  if (deadline.metAt) return { kind: "nothing", why: "met" };
  if (deadline.calledOffAt) return { kind: "nothing", why: "called-off" };
  if (deadline.storeId !== timer.storeId || replacement.storeId !== timer.storeId) return { kind: "nothing", why: "moved" };
  // Belt and braces: the shipment and the call-off end the node in their transaction; this catches one the node was not told of.
  if (replacement.status !== "reserved") return { kind: "nothing", why: "not-reserved" };
  // Likewise for a step done whose node was not told (the pick's node once it is picked).
  if (awaitedReplacementStep(replacement) !== timer.step) return { kind: "nothing", why: "not-awaited" };
  if (deadline.level >= level) return { kind: "nothing", why: "flagged-already" };
  return overdueFlag(level, now, settings);
}
