import type { Actor, billingApi } from "@oms/contracts";
import { ForbiddenError, UnauthenticatedError } from "@oms/errors";
import { addDisputeFinding } from "../../app/disputes/add-dispute-finding.ts";
import type { DisputeDeps } from "../../app/disputes/dispute-deps.ts";
import { openSettlementDispute } from "../../app/disputes/open-settlement-dispute.ts";
import { resolveSettlementDispute } from "../../app/disputes/resolve-settlement-dispute.ts";
import { disputeOpenerRoles } from "../../domain/settlement-dispute.ts";

type Caller = { callerKind: string; callerId: string; callerRole: string };

function callerOf(request: Caller): Actor {
  if (!request.callerId) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  return { kind: request.callerKind as Actor["kind"], id: request.callerId, role: request.callerRole };
}

/**
 * BillingCommands' dispute steps, each as its caller may take it: the order's customer
 * (the gateway checks the order is theirs), customer service, finance or the store manager
 * open; staff of a department involved add findings (the rule names which); finance resolves.
 */
export function disputeCommands(deps: DisputeDeps) {
  return {
    openSettlementDispute: (request: billingApi.OpenSettlementDisputeRequest, call: { correlationId: string }) => {
      const actor = callerOf(request);
      if (actor.kind !== "customer" && !(actor.kind === "staff" && disputeOpenerRoles.includes(actor.role))) {
        throw new ForbiddenError("settlement-dispute.opener", "the order's customer, customer service, finance or the store manager opens a settlement dispute");
      }
      const { requestId, kind, amountMinor, statement } = request;
      return openSettlementDispute(deps, request.orderId, { requestId, kind, amountMinor, statement }, actor, call.correlationId);
    },
    addDisputeFinding: (request: billingApi.AddDisputeFindingRequest, call: { correlationId: string }) =>
      addDisputeFinding(deps, request.disputeId, { findingId: request.findingId, text: request.finding }, callerOf(request), call.correlationId),
    resolveSettlementDispute: (request: billingApi.ResolveSettlementDisputeRequest, call: { correlationId: string }) => {
      const actor = callerOf(request);
      if (actor.kind !== "staff" || actor.role !== "finance") throw new ForbiddenError("settlement-dispute.by-finance", "only a finance clerk resolves a settlement dispute");
      const { outcome, correction, refundMinor, documentNumber, reason, customerAnswer } = request;
      return resolveSettlementDispute(deps, request.disputeId, { outcome, correction, refundMinor, documentNumber, reason, customerAnswer }, actor, call.correlationId);
    },
  };
}
