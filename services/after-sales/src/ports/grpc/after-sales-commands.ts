import { afterSalesApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { acceptCase } from "../../app/commands/accept-case.ts";
import { answerComplaint } from "../../app/commands/answer-complaint.ts";
import { declineCase } from "../../app/commands/decline-case.ts";
import { fileCarrierClaim } from "../../app/commands/file-carrier-claim.ts";
import { openCase } from "../../app/commands/open-case.ts";
import { recordSatisfaction } from "../../app/commands/record-satisfaction.ts";
import { rejectCarrierClaim } from "../../app/commands/reject-carrier-claim.ts";
import { rejectVisit } from "../../app/commands/reject-visit.ts";
import { resolveCase } from "../../app/commands/resolve-case.ts";
import { setPolicy } from "../../app/commands/set-policy.ts";
import { settleCarrierClaim } from "../../app/commands/settle-carrier-claim.ts";
import { settleRefundShortfall } from "../../app/commands/settle-refund-shortfall.ts";
import type { CaseDeps } from "../../app/case-deps.ts";

/** The correlation id travels in the request or, failing that, in the call's metadata (a fresh one when neither has it). */
const correlated = <T extends { correlationId: string }>(request: T, correlationId: string): T => ({
  ...request,
  correlationId: request.correlationId || correlationId,
});

/** `oms.aftersales.v1.AfterSalesCommands`: policies and the steps of a case (ADR 017). */
export function afterSalesCommandsService(deps: CaseDeps) {
  return bindService("oms.aftersales.v1.AfterSalesCommands", afterSalesApi.AfterSalesCommandsService, {
    setPolicy: (request) => setPolicy(deps, request),
    openCase: (request, call) => openCase(deps, correlated(request, call.correlationId)),
    acceptCase: (request, call) => acceptCase(deps, correlated(request, call.correlationId)),
    declineCase: (request, call) => declineCase(deps, correlated(request, call.correlationId)),
    answerComplaint: (request, call) => answerComplaint(deps, correlated(request, call.correlationId)),
    resolveCase: (request, call) => resolveCase(deps, correlated(request, call.correlationId)),
    recordSatisfaction: (request, call) => recordSatisfaction(deps, correlated(request, call.correlationId)),
    settleRefundShortfall: (request, call) => settleRefundShortfall(deps, correlated(request, call.correlationId)),
    fileCarrierClaim: (request, call) => fileCarrierClaim(deps, correlated(request, call.correlationId)),
    settleCarrierClaim: (request, call) => settleCarrierClaim(deps, correlated(request, call.correlationId)),
    rejectCarrierClaim: (request, call) => rejectCarrierClaim(deps, correlated(request, call.correlationId)),
    rejectVisit: (request, call) => rejectVisit(deps, correlated(request, call.correlationId)),
  });
}
