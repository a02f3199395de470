/**
 * The SQL of the after-sales lists' keysets (ADR 017, twenty-ninth session's addendum): each
 * list's sort time as the exact microseconds a page token keeps (a Date keeps milliseconds only),
 * and the token's microseconds turned back into that time.
 */
import type { CaseListOrder } from "../../app/queries/case-pages.ts";

/** `column` (a timestamptz) as microseconds since the epoch, in decimal text. */
export const microsOf = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint::text`;

/** The time the parameter `$n` (microseconds since the epoch) names, rebuilt exactly. */
export const timeOfMicrosParam = (n: number) => `(timestamptz 'epoch' + $${n}::bigint * interval '1 microsecond')`;

/**
 * A case list in `order`: its sort and the condition "after the position at `$at`, `$id`".
 * Newest first sorts the time descending and the id ascending (as the store's index,
 * migration 002), so "after" is an earlier time, or the same time and a greater id.
 */
export function caseListKeyset(order: CaseListOrder): { timeColumn: string; orderBy: string; after: (at: number, id: number) => string } {
  switch (order) {
    case "newest-first":
      return {
        timeColumn: "opened_at",
        orderBy: "opened_at DESC, case_id",
        // The leading bound alone lets the index start at the position; the rest breaks the tie.
        after: (at, id) => `opened_at <= ${timeOfMicrosParam(at)} AND (opened_at < ${timeOfMicrosParam(at)} OR case_id > $${id}::text)`,
      };
    case "earliest-due-first":
      // Migration 019's index; the due time is set on every row the late condition keeps.
      return {
        timeColumn: "replacement_late_due_at",
        orderBy: "replacement_late_due_at, case_id",
        after: (at, id) => `(replacement_late_due_at, case_id) > (${timeOfMicrosParam(at)}, $${id}::text)`,
      };
    default: {
      const unknown: never = order;
      throw new Error(`no keyset for the case list order ${String(unknown)}`);
    }
  }
}
