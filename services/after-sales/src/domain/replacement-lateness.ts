/**
 * An exchange's replacement late to ship (ADR 030's fifth and sixth addenda): the warehouse
 * flags a reserved replacement not shipped by its ship-by deadline (level 1, the store's clerks
 * warned) and again a while later (level 2, its store manager), and the case shows it, so the
 * desk chases it and the customer is told it is late and by when it was due. Pure.
 */
import type { AfterSalesCase } from "./case.ts";
import type { CaseReplacement } from "./case-replacement.ts";

export interface ReplacementLateness {
  /** When the case first heard this deadline was missed: level 1's time, kept on escalation. */
  since: Date;
  /** The deadline it missed: its step's (ADR 030's seventh addendum). */
  dueAt: Date;
  /**
   * The step whose deadline it missed: "pick" or "pack" of a replacement with clerk steps, "ship" for
   * its shipment and for the one ship-by deadline of a replacement from before the steps. Its pick
   * or pack ends only a lateness of that step (case-replacement.ts).
   */
  step: ReplacementLateStep;
  level: 1 | 2;
  /** Who was told, as the warehouse named them: "warehouse-clerk", and "store-manager" at level 2. */
  responsibleRole: string;
  escalatedToRole: string;
}

export type ReplacementLateStep = "pick" | "pack" | "ship";

/** The step a flag names: "" (a flag written before the steps) or anything unknown is the ship-by deadline's. */
export const lateStepOf = (step: string | null | undefined): ReplacementLateStep => (step === "pick" || step === "pack" ? step : "ship");

/** ReplacementShipOverdue as the case reads it: `storeId` the store whose clerks missed it, `at` when it was announced, `step` as the warehouse named it. */
export interface ReplacementOverdue {
  step: string;
  level: number;
  dueAt: Date;
  responsibleRole: string;
  escalatedToRole: string;
  storeId: string;
  at: Date;
}

/** Why a flag changed nothing: the case logs it, so a late replacement the desk does not see can be explained. */
export type OverdueIgnored = "no-replacement" | "not-reserved" | "other-store" | "stale" | "heard";

/**
 * The case with its replacement late as the warehouse flagged it, or why the flag is passed
 * over. Only a replacement the case shows `reserved` at the flag's store is late: one shipped
 * or called off since, or moved to another store (the flag names the store it left), is not,
 * whatever order the news comes in (a replacement only moves forward, and a flag is heard after
 * the reservation it is about: both are keyed by the order). A flag of a deadline earlier than
 * the one shown, or of a level already shown for this deadline (a redelivery), changes nothing;
 * a later deadline (a new reservation's) starts over. The level only rises.
 */
export function recordReplacementOverdue(state: AfterSalesCase, overdue: ReplacementOverdue): AfterSalesCase | OverdueIgnored {
  const replacement = state.replacement;
  if (!replacement) return "no-replacement";
  if (replacement.status !== "reserved") return "not-reserved";
  if (overdue.storeId !== (replacement.storeId ?? state.storeId)) return "other-store";
  const level = overdue.level >= 2 ? 2 : 1;
  const shown = replacement.late;
  if (shown && overdue.dueAt.getTime() < shown.dueAt.getTime()) return "stale";
  const sameDeadline = !!shown && overdue.dueAt.getTime() === shown.dueAt.getTime();
  if (sameDeadline && shown.level >= level) return "heard";
  const late: ReplacementLateness = {
    since: sameDeadline ? shown.since : overdue.at,
    dueAt: overdue.dueAt,
    step: lateStepOf(overdue.step),
    level,
    responsibleRole: overdue.responsibleRole,
    escalatedToRole: overdue.escalatedToRole,
  };
  const reached = Math.max(state.replacementLateLevelReached ?? 0, level) as 1 | 2;
  return { ...state, replacement: { ...replacement, late }, replacementLateLevelReached: reached };
}

/** Whether the replacement is late to ship now: the desk's worklist and the customer's "your replacement is late". */
export const isLate = (replacement: CaseReplacement | undefined): replacement is CaseReplacement & { late: ReplacementLateness } => !!replacement?.late;
