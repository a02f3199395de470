import type { Actor } from "@oms/contracts";
import { ForbiddenError, UnauthenticatedError, ValidationError } from "@oms/errors";

/** Reconciliation is finance's (DOMAIN.md, Users): a clerk runs one and explains its differences. */
export function financeClerk(request: { callerKind: string; callerId: string; callerRole: string }, step: string): Actor {
  if (!request.callerId) throw new UnauthenticatedError("caller.missing", "the request does not say who is calling");
  if (request.callerKind !== "staff" || request.callerRole !== "finance") throw new ForbiddenError("reconciliation.by-finance", `only a finance clerk ${step}`);
  return { kind: "staff", id: request.callerId, role: request.callerRole };
}

/** `daily:<day>` is the daily run's own request id: a clerk's run under it would take the night's place. */
export function clerksRequestId(requestId: string): string {
  if (requestId.trim().startsWith("daily:")) throw new ValidationError([{ field: "requestId", message: 'must not start with "daily:" (the daily run\'s own ids)' }]);
  return requestId;
}
