import type { CorrectionRecord } from "../adapters/pg/correction-repository.ts";
import type { CorrectionChanges, CorrectionStatus } from "../domain/correction.ts";

/**
 * A correction as staff see it: what was asked, by whom and why, and the decision. The
 * supervisor must see the new values to judge them, so `changes` (and, once applied,
 * `previous`) carry the customer's contact data: staff-only answers, never logged.
 */
export interface CorrectionView {
  correctionId: string;
  orderId: string;
  storeId: string;
  status: CorrectionStatus;
  fields: string[];
  changes: CorrectionChanges;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string | undefined;
  decidedAt?: string | undefined;
  note?: string | undefined;
  rejectionReason?: string | undefined;
  previous?: Record<string, unknown> | undefined;
}

export function correctionViewOf(c: CorrectionRecord): CorrectionView {
  return {
    correctionId: c.correctionId,
    orderId: c.orderId,
    storeId: c.storeId,
    status: c.status,
    fields: c.fields,
    changes: c.changes,
    reason: c.reason,
    requestedBy: c.requestedBy,
    requestedAt: c.requestedAt.toISOString(),
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt?.toISOString(),
    note: c.status === "applied" ? c.decisionText : undefined,
    rejectionReason: c.status === "rejected" ? c.decisionText : undefined,
    previous: c.previous,
  };
}
