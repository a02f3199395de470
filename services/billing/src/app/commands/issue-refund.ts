import type pg from "pg";
import type { Actor, billingApi } from "@oms/contracts";
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError, type FieldError } from "@oms/errors";
import type { OutboxWriter } from "@oms/messaging";
import { retryOnConflict, withTransaction } from "@oms/postgres";
import { executeRefundCommand } from "../execute-refund-command.ts";
import { InvoiceDesk } from "../invoice-desk.ts";
import { listRefunds } from "../queries/list-refunds.ts";

/**
 * A finance clerk returns part of the money taken on an order (a substitute's price
 * difference, goodwill). Refused when the order's refunds would exceed what was paid;
 * the same reference twice is one refund.
 */
export async function issueRefund(pool: pg.Pool, outbox: OutboxWriter, request: billingApi.IssueRefundRequest, correlationId: string): Promise<billingApi.RefundsView> {
  if (!request.callerId) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (request.callerKind !== "staff" || request.callerRole !== "finance") {
    throw new ForbiddenError("refund.by-finance", "only a finance clerk issues refunds");
  }
  const errors: FieldError[] = [];
  if (!request.orderId) errors.push({ field: "orderId", message: "is required" });
  if (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0) errors.push({ field: "amountMinor", message: "must be a positive integer of minor units" });
  if (!request.reason?.trim()) errors.push({ field: "reason", message: "is required (why the money goes back)" });
  if (!request.reference?.trim()) errors.push({ field: "reference", message: "is required (ticket or voucher; makes a retry harmless)" });
  if (errors.length > 0) throw new ValidationError(errors);
  const actor: Actor = { kind: "staff", id: request.callerId, role: request.callerRole };
  const outcome = await retryOnConflict(() =>
    withTransaction(pool, async (tx) => {
      const desk = new InvoiceDesk(tx);
      const issued = await executeRefundCommand(
        tx,
        outbox,
        request.orderId,
        { type: "GrantRefund", amountMinor: request.amountMinor, reason: request.reason },
        `finance:${request.reference.trim()}`,
        { producer: "billing", orderId: request.orderId, storeId: "", actor, correlationId },
        desk,
      );
      await desk.issue(outbox);
      return issued;
    }),
  );
  if (outcome.kind === "unknown-order") throw new NotFoundError("refund.order-unknown", `billing knows no payment of order ${request.orderId}`);
  // A retry after a lost answer repeats the refund; another refund under the same reference would be taken for it and never issued.
  if (outcome.kind === "already-issued" && (outcome.amountMinor !== request.amountMinor || outcome.reason !== request.reason.trim())) {
    throw new ConflictError(
      "refund.reference-reused",
      `order ${request.orderId} already has a refund of ${outcome.amountMinor} under reference ${request.reference.trim()} ("${outcome.reason}"): another refund needs a reference of its own`,
    );
  }
  return listRefunds(pool, request.orderId);
}
