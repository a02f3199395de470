/**
 * Chasing a recovery not paid in time (ADR 017, third carrier addendum and the twenty-fifth
 * session's): when it is due in full, when it is overdue, and when that is announced. Pure: the
 * rules the overdue timer and the reversal apply.
 *
 * A recovery is announced overdue once per *owed stretch*: a stretch begins when it comes to be
 * owed — recorded (the first), or left owing again by a reversal after it was paid in full — and
 * ends when it is paid in full. Finance hears of each time the carrier owes past its due-by time,
 * never twice for the same one (a timer fired again, a reversal retried, a second reversal while
 * it owes already).
 */
import type { CarrierRecovery } from "./carrier-recovery.ts";

/** Where a recovery's chase stands, as the database holds it. */
export interface OwedStretches {
  /** 1 when recorded; one more each time a reversal leaves it, paid in full, owing again. */
  owedStretch: number;
  /** The stretch last announced overdue; 0: none yet. */
  overdueAnnouncedStretch: number;
}

type Money = Pick<CarrierRecovery, "dueMinor" | "receivedMinor">;

/** When a recovery settled at `settledAt` should be paid in full, `dueDays` (may be fractional) later. */
export function dueByOf(settledAt: Date, dueDays: number): Date {
  return new Date(settledAt.getTime() + dueDays * 24 * 60 * 60 * 1000);
}

/** Overdue: not paid in full and its due-by time has passed. */
export function isOverdue(recovery: Money & { dueBy: Date }, now: Date): boolean {
  return recovery.receivedMinor < recovery.dueMinor && recovery.dueBy.getTime() <= now.getTime();
}

/**
 * Whether an overdue timer that fires announces the recovery: it owes still, and its current
 * stretch was not announced (a timer fired again after a lost commit, or a second timer of the
 * same stretch, finds it announced). A timer fires only at or after the due-by time.
 */
export function shouldAnnounceOverdue(recovery: Money & OwedStretches): boolean {
  return recovery.receivedMinor < recovery.dueMinor && recovery.overdueAnnouncedStretch < recovery.owedStretch;
}

/**
 * The chase a reversal starts: when it leaves a recovery that was paid in full owing again, a new
 * stretch, its timer due at the due-by time — at once when that has passed, since the recovery is
 * overdue the moment it owes. Nothing when the recovery owed already before the reversal: that
 * stretch's own timer is pending, or fired and announced it.
 */
export function chaseAfterReversal(before: Money & OwedStretches & { dueBy: Date }, receivedAfter: number, now: Date): { owedStretch: number; dueAt: Date } | undefined {
  if (before.receivedMinor < before.dueMinor || receivedAfter >= before.dueMinor) return undefined;
  return { owedStretch: before.owedStretch + 1, dueAt: new Date(Math.max(now.getTime(), before.dueBy.getTime())) };
}
