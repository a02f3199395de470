import type pg from "pg";
import type { billingApi } from "@oms/contracts";
import { disputeDisclosureRepository } from "../../adapters/pg/dispute-disclosure-repository.ts";
import type { DisputeRecord } from "../../adapters/pg/dispute-repository.ts";
import { invoiceRepository } from "../../adapters/pg/invoice-repository.ts";
import { showingsOf, type DisputeViewer } from "../../domain/dispute-showings.ts";
import type { DisputeStatements } from "./dispute-statements.ts";

/**
 * Whom a view shows the statements to (ADR 026, showings addendum): a viewer, each showing
 * logged; the opener answered with the words they just wrote (an echo, not a showing); or
 * nobody — the statements stay sealed (empty), as for the gateway's store lookup and its check
 * of open disputes before closing.
 */
export type StatementsShownTo = { viewer: DisputeViewer } | "the-opener" | "nobody";

/**
 * Disputes as billing answers them, their statements opened for whom `shownTo` says (the
 * gateway shows a dispute only to whose work it is), every showing to a viewer logged in `db`
 * in one statement — pass the transaction that read them, so a showing that cannot be logged
 * is not given; a refund's credit notes (an invoiced order's) are looked up by the refunds' ids.
 * A statement no key of this process opens (a key removed too early) is shown empty and is no
 * showing: the dispute itself still reads, so its findings, resolution and the order's closing go on.
 */
export async function disputeViewsOf(
  db: pg.Pool | pg.ClientBase,
  statements: DisputeStatements,
  disputes: readonly DisputeRecord[],
  shownTo: StatementsShownTo,
): Promise<billingApi.SettlementDisputeView[]> {
  const creditNotes = new Map<string, string>();
  const refunded = disputes.filter((d) => (d.resolution?.refundIds.length ?? 0) > 0);
  for (const orderId of new Set(refunded.map((d) => d.orderId))) {
    for (const doc of await invoiceRepository.listByOrder(db, orderId)) if (doc.refundId) creditNotes.set(doc.refundId, doc.invoiceNumber);
  }
  const shown = disputes.map((d) => ({ disputeId: d.disputeId, orderId: d.orderId, statement: shownTo === "nobody" ? "" : statements.shownTextOf(d.disputeId, d.statement) }));
  if (typeof shownTo === "object") await disputeDisclosureRepository.record(db, showingsOf(shown, shownTo.viewer));
  return disputes.map((d, i) => viewOf(d, shown[i]!.statement, creditNotes));
}

function viewOf(d: DisputeRecord, statement: string, creditNotes: ReadonlyMap<string, string>): billingApi.SettlementDisputeView {
  const money = (minor: number) => ({ minor, currency: d.currency });
  const r = d.resolution;
  return {
    disputeId: d.disputeId,
    orderId: d.orderId,
    storeId: d.storeId,
    requestId: d.requestId,
    kind: d.kind,
    amount: money(d.amountMinor),
    statement,
    status: d.resolved ? "resolved" : "open",
    departments: [...d.departments],
    openedBy: d.openedBy,
    openedAt: d.openedAt.toISOString(),
    respondBy: d.respondBy.toISOString(),
    escalatedAt: d.escalatedAt?.toISOString() ?? "",
    findings: d.findings.map((f) => ({ findingId: f.findingId, department: f.department, finding: f.finding, recordedBy: f.recordedBy, recordedAt: f.recordedAt.toISOString() })),
    resolution: r && {
      outcome: r.outcome,
      correction: r.outcome === "upheld" ? r.correction : "",
      refunded: money(r.outcome === "upheld" && r.correction === "refund" ? r.refundMinor : 0),
      refundIds: r.refundIds,
      documentNumber: r.outcome === "upheld" && r.correction === "invoice-correction" ? r.documentNumber : "",
      creditNotes: r.refundIds.flatMap((id) => (creditNotes.has(id) ? [creditNotes.get(id)!] : [])),
      reason: r.reason,
      customerAnswer: r.customerAnswer,
      resolvedBy: r.resolvedBy,
      resolvedAt: r.resolvedAt.toISOString(),
    },
  };
}
