import type pg from "pg";
import { EventTypes, newEvent, type Actor, type billingApi } from "@oms/contracts";
import { ConflictError, NotFoundError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { withTransaction } from "@oms/postgres";
import { reconciliationRepository } from "../../adapters/pg/reconciliation-repository.ts";
import { corrections, type Correction } from "../../domain/reconciliation.ts";
import { getReconciliation } from "../queries/get-reconciliation.ts";

export interface ExplainDifference {
  reconciliationId: string;
  differenceId: string;
  /** The caller's id of this explanation (ADR 015). */
  explanationId: string;
  correction: string;
  note: string;
  actor: Actor;
  correlationId: string;
}

const maxNote = 2_000;

/**
 * A finance clerk explains a difference a reconciliation found and says how it was corrected
 * (DOMAIN.md: "every difference is explained and corrected"). Explanations are appended,
 * never changed: a later one adds to the record. The same explanation id again answers as
 * the first did; the same id with other words is refused. Answers the run as it now stands.
 */
export async function explainDifference(pool: pg.Pool, outbox: OutboxWriter, command: ExplainDifference): Promise<billingApi.ReconciliationView> {
  const { correction, note, explanationId } = checked(command);
  const explainedBy = `${command.actor.kind}:${command.actor.id}`;
  await withTransaction(pool, async (tx) => {
    const difference = await reconciliationRepository.lockFinding(tx, command.reconciliationId, command.differenceId);
    if (!difference) {
      throw new NotFoundError("reconciliation.difference-unknown", `reconciliation ${command.reconciliationId} found no difference ${command.differenceId}`);
    }
    const earlier = await reconciliationRepository.explanation(tx, difference.differenceId, explanationId);
    if (earlier) {
      if (earlier.correction === correction && earlier.note === note && earlier.explainedBy === explainedBy) return;
      throw new ConflictError(
        "reconciliation.explanation-id-reused",
        `explanation ${explanationId} of difference ${difference.differenceId} already says ${earlier.correction}: "${earlier.note}" (by ${earlier.explainedBy}); another explanation needs an id of its own`,
      );
    }
    const explainedAt = await reconciliationRepository.insertExplanation(tx, difference.differenceId, { explanationId, correction, note, explainedBy });
    const periodBalanced = await reconciliationRepository.periodBalanced(tx, { storeId: difference.storeId, from: difference.periodFrom, until: difference.periodUntil });
    await outbox.append(tx, [
      newEvent(
        EventTypes.ReconciliationDifferenceExplained,
        { differenceId: difference.differenceId, kind: difference.kind, explanationId, correction, note, explainedAt: explainedAt.toISOString(), periodBalanced },
        { producer: "billing", orderId: difference.orderId, storeId: difference.storeId, actor: command.actor, correlationId: command.correlationId },
      ),
    ]);
  });
  return getReconciliation(pool, command.reconciliationId);
}

function checked(command: ExplainDifference): { correction: Correction; note: string; explanationId: string } {
  const fields: FieldError[] = [];
  if (!command.reconciliationId?.trim()) fields.push({ field: "reconciliationId", message: "is required" });
  if (!command.differenceId?.trim()) fields.push({ field: "differenceId", message: "is required" });
  const explanationId = command.explanationId?.trim() ?? "";
  if (!explanationId) fields.push({ field: "explanationId", message: "is required (your id of this explanation; makes a retry harmless)" });
  else if (explanationId.length > 100) fields.push({ field: "explanationId", message: "must be at most 100 characters" });
  if (!(corrections as readonly string[]).includes(command.correction)) fields.push({ field: "correction", message: `must be one of ${corrections.join(", ")}` });
  const note = command.note?.trim() ?? "";
  if (!note) fields.push({ field: "note", message: "is required (what happened, and who corrected what)" });
  else if (note.length > maxNote) fields.push({ field: "note", message: `must be at most ${maxNote} characters` });
  if (fields.length > 0) throw new ValidationError(fields);
  return { correction: command.correction as Correction, note, explanationId };
}
