import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { NotFoundError, ValidationError, requestedPeriod, type FieldError } from "@oms/errors";
import { carrierRecoveryRepository } from "../../adapters/pg/carrier-recovery-repository.ts";
import { reconciliationRepository, type FindingRow, type ReconciliationRow } from "../../adapters/pg/reconciliation-repository.ts";
import { carrierRecoveriesOfPeriod } from "../../domain/carrier-recovery.ts";
import { nextReconciliationPageToken, reconciliationPageOf } from "./reconciliation-pages.ts";

/** One reconciliation with every difference it found, each as it now stands (explained since, resolved by a later run). */
export async function getReconciliation(db: pg.Pool | pg.ClientBase, reconciliationId: string): Promise<billingApi.ReconciliationView> {
  if (!reconciliationId?.trim()) throw new ValidationError([{ field: "reconciliationId", message: "is required" }]);
  const run = await reconciliationRepository.run(db, reconciliationId);
  if (!run) throw new NotFoundError("reconciliation.unknown", `no reconciliation ${reconciliationId}`);
  const view = reconciliationViewOf(run, await reconciliationRepository.findingsOf(db, reconciliationId));
  // The carriers' money of the period, as it stands now (ADR 017, second carrier addendum): beside the orders, never a difference.
  const { settled, booked, reversed } = await carrierRecoveryRepository.ofPeriod(db, run.storeId, run.periodFrom, run.periodUntil);
  const figures = carrierRecoveriesOfPeriod(settled, booked, reversed);
  const money = (minor: number) => ({ minor, currency: figures.currency });
  return {
    ...view,
    carrierRecoveries: { settled: figures.settled, due: money(figures.dueMinor), receipts: figures.receipts, received: money(figures.receivedMinor), outstanding: money(figures.outstandingMinor), reversals: figures.reversals, reversed: money(figures.reversedMinor) },
  };
}

/**
 * A store's reconciliations whose periods start in [from, until) (at most a year), newest period
 * first, a page at a time: `nextPageToken` continues the list ("" on the last page), so no run is
 * cut off unsaid. Differences are on each run's own view.
 */
export async function listReconciliations(
  pool: pg.Pool,
  request: Omit<billingApi.ListReconciliationsRequest, "pageSize" | "pageToken"> & Partial<Pick<billingApi.ListReconciliationsRequest, "pageSize" | "pageToken">>,
): Promise<billingApi.ReconciliationsView> {
  const storeId = request.storeId?.trim();
  const fields: FieldError[] = storeId ? [] : [{ field: "storeId", message: "is required" }];
  const page = reconciliationPageOf({ pageSize: request.pageSize ?? 0, pageToken: request.pageToken ?? "" }, fields);
  // Throws every field refused so far, the page's too, with the period's own.
  const { from, until } = requestedPeriod(request, fields);
  const runs = await reconciliationRepository.runsOf(pool, storeId, from, until, page.size + 1, page.after);
  const shown = runs.slice(0, page.size);
  return {
    reconciliations: shown.map((run) => reconciliationViewOf(run, [])),
    nextPageToken: nextReconciliationPageToken(shown.at(-1)?.position, runs.length > page.size),
  };
}

export function reconciliationViewOf(run: ReconciliationRow, findings: readonly FindingRow[]): billingApi.ReconciliationView {
  return {
    reconciliationId: run.reconciliationId,
    storeId: run.storeId,
    periodFrom: run.periodFrom.toISOString(),
    periodUntil: run.periodUntil.toISOString(),
    requestId: run.requestId,
    startedBy: run.startedBy,
    completedAt: run.completedAt.toISOString(),
    ordersCompared: run.ordersCompared,
    resolvedByData: run.resolvedByData,
    balanced: run.openDifferences === 0,
    openDifferences: run.openDifferences,
    differencesFound: run.differencesFound,
    differences: findings.map(differenceViewOf),
    // One run's own view adds the period's carrier money (getReconciliation); a list leaves it out.
    carrierRecoveries: undefined,
  };
}

function differenceViewOf(f: FindingRow): billingApi.ReconciliationDifferenceView {
  const money = (minor: number) => ({ minor, currency: f.figures.currency });
  const state = f.explanations.length > 0 ? "explained" : f.resolvedByDataAt ? "resolved-by-data" : "open";
  return {
    differenceId: f.differenceId,
    orderId: f.orderId,
    kind: f.kind,
    detail: f.detail,
    state,
    resolvedByDataAt: f.resolvedByDataAt?.toISOString() ?? "",
    firstFoundAt: f.firstFoundAt.toISOString(),
    orderStatus: f.figures.orderStatus,
    amountDue: money(f.figures.dueMinor),
    paid: money(f.figures.paidMinor),
    refunded: money(f.figures.refundedMinor),
    explanations: f.explanations.map((e) => ({
      explanationId: e.explanationId,
      correction: e.correction,
      note: e.note,
      explainedBy: e.explainedBy,
      explainedAt: e.explainedAt.toISOString(),
    })),
  };
}
