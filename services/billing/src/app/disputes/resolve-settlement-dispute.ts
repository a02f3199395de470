import type pg from "pg";
import { EventTypes, newEvent, type Actor, type billingApi } from "@oms/contracts";
import { ConflictError, NotFoundError, ValidationError } from "@oms/errors";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { disputeRepository } from "../../adapters/pg/dispute-repository.ts";
import { invoiceRepository } from "../../adapters/pg/invoice-repository.ts";
import { decideResolution, isRepeatOfResolution, type Resolution, type Resolve } from "../../domain/settlement-dispute.ts";
import { executeRefundCommand } from "../execute-refund-command.ts";
import { InvoiceDesk } from "../invoice-desk.ts";
import { callOffDisputeTimer } from "./dispute-timer.ts";
import { actorLabel, type DisputeDeps } from "./dispute-deps.ts";
import { disputeViewsOf } from "./dispute-views.ts";

/**
 * Finance resolves a dispute, once (ADR 026). Upheld with a refund: the refund goes through
 * billing's one refund path in the same transaction (never beyond what was paid; an
 * invoiced order's refund gets its credit note), under the reference `dispute:<id>`, and is
 * linked by its ids. Upheld by an invoice correction: the order's document that corrects it,
 * by number. Rejected: the reason. Either way the customer's answer is kept and the response
 * timer is called off. The same resolution again answers the dispute as it is; another is refused.
 */
export async function resolveSettlementDispute(deps: DisputeDeps, disputeId: string, resolve: Resolve, actor: Actor, correlationId: string): Promise<billingApi.SettlementDisputeView> {
  await retryOnConflict(() =>
    withTransaction(deps.pool, async (tx) => {
      const dispute = await disputeRepository.lock(tx, disputeId);
      if (!dispute) throw new NotFoundError("settlement-dispute.not-found", `no settlement dispute ${disputeId}`);
      const resolution = decideResolution(dispute, resolve);
      if (dispute.resolution) {
        if (isRepeatOfResolution(dispute.resolution, resolution)) return;
        throw new ConflictError(
          "settlement-dispute.already-resolved",
          `dispute ${disputeId} was already resolved as ${dispute.resolution.outcome} by ${dispute.resolution.resolvedBy}; a dispute is resolved once`,
        );
      }
      const origin = { producer: "billing", orderId: dispute.orderId, storeId: dispute.storeId, actor, correlationId };
      const refundIds = resolution.outcome === "upheld" && resolution.correction === "refund" ? await refund(tx, deps, dispute, resolution, origin) : [];
      if (resolution.outcome === "upheld" && resolution.correction === "invoice-correction") {
        const documents = await invoiceRepository.listByOrder(tx, dispute.orderId);
        if (!documents.some((d) => d.invoiceNumber === resolution.documentNumber)) {
          const known = documents.map((d) => d.invoiceNumber).join(", ") || "none yet";
          throw new ValidationError([{ field: "documentNumber", message: `is not a document of order ${dispute.orderId} (its documents: ${known})` }], undefined, "settlement-dispute.invalid");
        }
      }
      const resolvedAt = await disputeRepository.resolve(tx, disputeId, { ...resolution, refundIds, resolvedBy: actorLabel(actor) });
      await callOffDisputeTimer(tx, disputeId);
      await deps.outbox.append(tx, [
        newEvent(
          EventTypes.SettlementDisputeResolved,
          {
            disputeId,
            kind: dispute.kind,
            outcome: resolution.outcome,
            correction: resolution.outcome === "upheld" ? resolution.correction : "",
            refunded: { minor: resolution.outcome === "upheld" && resolution.correction === "refund" ? resolution.refundMinor : 0, currency: dispute.currency },
            refundIds,
            documentNumber: resolution.outcome === "upheld" && resolution.correction === "invoice-correction" ? resolution.documentNumber : "",
            resolvedAt: resolvedAt.toISOString(),
          },
          origin,
        ),
      ]);
    }),
  );
  // Shown to the caller once the step is written and logged before the answer leaves; should that insert fail, the
  // step stands and a retry (answered as it stands) logs it then.
  const viewer = { shownTo: actorLabel(actor), role: actor.role, correlationId };
  const [view] = await disputeViewsOf(deps.pool, deps.statements, [(await disputeRepository.find(deps.pool, disputeId))!], { viewer });
  return view!;
}

/** The upheld amount back through billing's refund path; its ids, to link them to the dispute. */
async function refund(
  tx: pg.ClientBase,
  deps: DisputeDeps,
  dispute: { disputeId: string; orderId: string },
  resolution: Extract<Resolution, { correction: "refund" }>,
  origin: { producer: string; orderId: string; storeId: string; actor: Actor; correlationId: string },
): Promise<string[]> {
  const desk = new InvoiceDesk(tx);
  const reason = `settlement dispute ${dispute.disputeId} upheld${resolution.reason ? `: ${resolution.reason}` : ""}`;
  const outcome = await executeRefundCommand(tx, deps.outbox, dispute.orderId, { type: "GrantRefund", amountMinor: resolution.refundMinor, reason }, `dispute:${dispute.disputeId}`, origin, desk);
  await desk.issue(deps.outbox);
  if (outcome.kind === "unknown-order") throw new NotFoundError("settlement-dispute.order-unknown", `billing holds no money of order ${dispute.orderId}`);
  // The dispute's own reference was used by nothing else: a refund found under it was this resolution's, rolled back with it or committed with it.
  if (outcome.kind === "already-issued") throw new ConflictError("settlement-dispute.refund-exists", `order ${dispute.orderId} already has a refund under reference dispute:${dispute.disputeId}`);
  const { rows } = await tx.query<{ refund_id: string }>("SELECT refund_id FROM refunds WHERE order_id = $1 AND reference = $2 ORDER BY issued_at, refund_id", [
    dispute.orderId,
    `dispute:${dispute.disputeId}`,
  ]);
  return rows.map((r) => r.refund_id);
}
