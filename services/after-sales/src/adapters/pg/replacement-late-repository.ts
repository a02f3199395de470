import type pg from "pg";
import type { AfterSalesCase } from "../../domain/case.ts";
import { lateStepOf, type ReplacementLateness } from "../../domain/replacement-lateness.ts";

/** A replacement late as the case's row holds it (migrations 019, 021): all null while it is not; the step null on rows flagged before 021 (a ship-by). */
export interface ReplacementLateRow {
  replacement_late_since: Date | null;
  replacement_late_due_at: Date | null;
  replacement_late_level: number | null;
  replacement_late_responsible_role: string | null;
  replacement_late_escalated_to_role: string | null;
  replacement_late_level_reached: number | null;
  replacement_late_step: string | null;
}

/** Read with the case (case-repository.ts); written by `replacementLateRepository.save` and cleared with the replacement (`recordReplacement`). */
export const replacementLateColumns = `replacement_late_since, replacement_late_due_at, replacement_late_level, replacement_late_responsible_role,
  replacement_late_escalated_to_role, replacement_late_level_reached, replacement_late_step`;

/** What `recordReplacement` writes besides the replacement: a replacement announced further is not late (the level reached stays). */
export const clearedReplacementLate = `replacement_late_since = NULL, replacement_late_due_at = NULL, replacement_late_level = NULL,
  replacement_late_responsible_role = NULL, replacement_late_escalated_to_role = NULL, replacement_late_step = NULL`;

export function replacementLateFromRow(row: ReplacementLateRow): ReplacementLateness | undefined {
  if (!row.replacement_late_since || !row.replacement_late_due_at) return undefined;
  return {
    since: row.replacement_late_since,
    dueAt: row.replacement_late_due_at,
    step: lateStepOf(row.replacement_late_step),
    level: row.replacement_late_level === 2 ? 2 : 1,
    responsibleRole: row.replacement_late_responsible_role ?? "",
    escalatedToRole: row.replacement_late_escalated_to_role ?? "",
  };
}

export const levelReachedFromRow = (row: ReplacementLateRow): { replacementLateLevelReached?: 1 | 2 } =>
  row.replacement_late_level_reached === null ? {} : { replacementLateLevelReached: row.replacement_late_level_reached === 2 ? 2 : 1 };

/** The worklist's condition, the partial index's own (migration 019). */
export const replacementLateCondition = "replacement_late_since IS NOT NULL";

/** Replacements late to ship on cases' rows (ADR 030, sixth addendum). Writes take the caller's transaction, the case locked. */
export const replacementLateRepository = {
  /** A locked case's replacement late as it now stands, and the highest level it reached. */
  async save(tx: pg.ClientBase, c: AfterSalesCase & { replacement: { late: ReplacementLateness } }): Promise<void> {
    const late = c.replacement.late;
    const { rowCount } = await tx.query(
      `UPDATE cases SET replacement_late_since = $2, replacement_late_due_at = $3, replacement_late_level = $4, replacement_late_responsible_role = $5,
         replacement_late_escalated_to_role = $6, replacement_late_level_reached = $7, replacement_late_step = $8
       WHERE case_id = $1`,
      [c.caseId, late.since, late.dueAt, late.level, late.responsibleRole, late.escalatedToRole, c.replacementLateLevelReached ?? late.level, late.step],
    );
    if (rowCount !== 1) throw new Error(`case ${c.caseId} vanished before its late replacement was written`);
  },
};
