import { afterSalesApi, type Actor } from "@oms/contracts";
import { createClient, type GrpcTarget } from "@oms/grpc";

/** A request as the customer, or customer service on their behalf, makes it (ADR 017). */
export interface CaseAsk {
  /** The caller's own id of the case: a retry under it answers the case already opened (ADR 015). */
  caseId: string;
  kind: string;
  channel: string;
  description: string;
  lines: afterSalesApi.CaseLine[];
}

/** What was done about a case and why it happened; money to go back is refunded by billing. */
export interface CaseResolution {
  resolution: string;
  cause: string;
  refundMinor: number;
}

/** A claim against the carrier for damage it caused (ADR 017, carrier-claim addendum). */
export interface CarrierClaimFiling {
  carrier: string;
  carrierReference: string;
  amountMinor: number;
}

/**
 * What intake asks after-sales on behalf of a caller: the stores' published policies, the
 * cases judged against them (opened, decided, answered, resolved) and what they add up to.
 */
export interface AfterSalesCases {
  getPolicy(storeId: string, correlationId: string): Promise<afterSalesApi.Policy>;
  setPolicy(policy: afterSalesApi.Policy, caller: Actor, correlationId: string): Promise<afterSalesApi.Policy>;
  orderFacts(orderId: string, correlationId: string): Promise<afterSalesApi.OrderFacts>;
  openCase(orderId: string, caller: Actor, ask: CaseAsk, correlationId: string): Promise<afterSalesApi.CaseView>;
  acceptCase(caseId: string, caller: Actor, accepted: { assigneeStaffId: string; note: string }, correlationId: string): Promise<afterSalesApi.CaseView>;
  declineCase(caseId: string, caller: Actor, explanation: string, correlationId: string): Promise<afterSalesApi.CaseView>;
  answerComplaint(caseId: string, caller: Actor, answer: string, correlationId: string): Promise<afterSalesApi.CaseView>;
  resolveCase(caseId: string, caller: Actor, resolved: CaseResolution, correlationId: string): Promise<afterSalesApi.CaseView>;
  settleRefundShortfall(caseId: string, caller: Actor, settlement: { reference: string; note: string }, correlationId: string): Promise<afterSalesApi.CaseView>;
  fileCarrierClaim(caseId: string, caller: Actor, claim: CarrierClaimFiling, correlationId: string): Promise<afterSalesApi.CaseView>;
  settleCarrierClaim(caseId: string, caller: Actor, recoveredMinor: number, correlationId: string): Promise<afterSalesApi.CaseView>;
  rejectCarrierClaim(caseId: string, caller: Actor, reason: string, correlationId: string): Promise<afterSalesApi.CaseView>;
  /** The customer's rejection of the visit's report (ADR 025, rework addendum): the visit goes back for rework. */
  /** `round`: the round whose report is rejected; undefined from callers that name none (ADR 025, twenty-sixth-session addendum). */
  rejectVisit(caseId: string, caller: Actor, rejection: { reason: string; round?: number | undefined }, correlationId: string): Promise<afterSalesApi.CaseView>;
  /** A case with its description left sealed (empty): what the gateway asks to learn its store or order. */
  getCase(caseId: string, correlationId: string): Promise<afterSalesApi.CaseView>;
  /** A case shown to the caller: after-sales opens its description and logs the showing (ADR 017, showings addendum). */
  showCase(caseId: string, caller: Actor, correlationId: string): Promise<afterSalesApi.CaseView>;
  /** Cases shown to `shownTo` (each description opened is logged as shown), or with their descriptions left sealed when no one is named. */
  listCases(filter: Omit<afterSalesApi.ListCasesRequest, "caller" | "correlationId">, shownTo: Actor | undefined, correlationId: string): Promise<afterSalesApi.ListCasesResponse>;
  /** Who was shown a case's description, oldest first, a page at a time; NOT_FOUND for an unknown case. */
  listCaseDisclosures(caseId: string, page: Pick<afterSalesApi.ListCaseDisclosuresRequest, "pageSize" | "pageToken">, correlationId: string): Promise<afterSalesApi.CaseDisclosures>;
  report(storeId: string, period: { from: string; until: string }, correlationId: string): Promise<afterSalesApi.CaseReport>;
  /** The store's claims against carriers, oldest filing first, each marked overdue past its follow-up date; never the customer's words. */
  listCarrierClaims(filter: afterSalesApi.ListCarrierClaimsRequest, correlationId: string): Promise<afterSalesApi.ListCarrierClaimsResponse>;
  recordSatisfaction(orderId: string, caller: Actor, answer: { score: number; comment: string; channel: string }, correlationId: string): Promise<afterSalesApi.Satisfaction>;
  close(): void;
}

const callerOf = (caller: Actor): afterSalesApi.Caller => ({ kind: caller.kind, id: caller.id, role: caller.role });

/** After-sales' AfterSalesQuery and AfterSalesCommands over gRPC (proto/oms/aftersales/v1/after_sales_service.proto). */
export function afterSalesCasesAt(peer: GrpcTarget, deadlineMs = 3_000): AfterSalesCases {
  const query = createClient(afterSalesApi.AfterSalesQueryService, "oms.aftersales.v1.AfterSalesQuery", peer);
  const commands = createClient(afterSalesApi.AfterSalesCommandsService, "oms.aftersales.v1.AfterSalesCommands", peer);
  // Most queries carry no correlation id field (they write nothing): the id travels in the metadata.
  const options = (correlationId: string) => ({ correlationId, deadlineMs });
  return {
    getPolicy: (storeId, correlationId) => query.getPolicy({ storeId }, options(correlationId)),
    setPolicy: (policy, caller, correlationId) => commands.setPolicy({ policy, caller: callerOf(caller), correlationId }, options(correlationId)),
    orderFacts: (orderId, correlationId) => query.getOrderFacts({ orderId }, options(correlationId)),
    openCase: (orderId, caller, ask, correlationId) => commands.openCase({ ...ask, orderId, caller: callerOf(caller), correlationId }, options(correlationId)),
    acceptCase: (caseId, caller, { assigneeStaffId, note }, correlationId) =>
      commands.acceptCase({ caseId, caller: callerOf(caller), correlationId, assigneeStaffId, note }, options(correlationId)),
    declineCase: (caseId, caller, explanation, correlationId) => commands.declineCase({ caseId, caller: callerOf(caller), correlationId, explanation }, options(correlationId)),
    answerComplaint: (caseId, caller, answer, correlationId) => commands.answerComplaint({ caseId, caller: callerOf(caller), correlationId, answer }, options(correlationId)),
    resolveCase: (caseId, caller, resolved, correlationId) => commands.resolveCase({ caseId, caller: callerOf(caller), correlationId, ...resolved }, options(correlationId)),
    settleRefundShortfall: (caseId, caller, { reference, note }, correlationId) =>
      commands.settleRefundShortfall({ caseId, caller: callerOf(caller), correlationId, reference, note }, options(correlationId)),
    fileCarrierClaim: (caseId, caller, claim, correlationId) => commands.fileCarrierClaim({ caseId, caller: callerOf(caller), correlationId, ...claim }, options(correlationId)),
    settleCarrierClaim: (caseId, caller, recoveredMinor, correlationId) =>
      commands.settleCarrierClaim({ caseId, caller: callerOf(caller), correlationId, recoveredMinor }, options(correlationId)),
    rejectCarrierClaim: (caseId, caller, reason, correlationId) => commands.rejectCarrierClaim({ caseId, caller: callerOf(caller), correlationId, reason }, options(correlationId)),
    rejectVisit: (caseId, caller, { reason, round }, correlationId) => commands.rejectVisit({ caseId, caller: callerOf(caller), correlationId, reason, round }, options(correlationId)),
    getCase: (caseId, correlationId) => query.getCase({ caseId, caller: undefined, correlationId }, options(correlationId)),
    showCase: (caseId, caller, correlationId) => query.getCase({ caseId, caller: callerOf(caller), correlationId }, options(correlationId)),
    listCases: (filter, shownTo, correlationId) => query.listCases({ ...filter, caller: shownTo && callerOf(shownTo), correlationId }, options(correlationId)),
    listCaseDisclosures: (caseId, page, correlationId) => query.listCaseDisclosures({ caseId, ...page }, options(correlationId)),
    report: (storeId, { from, until }, correlationId) => query.getCaseReport({ storeId, from, until }, options(correlationId)),
    listCarrierClaims: (filter, correlationId) => query.listCarrierClaims(filter, options(correlationId)),
    recordSatisfaction: (orderId, caller, answer, correlationId) =>
      commands.recordSatisfaction({ orderId, caller: callerOf(caller), correlationId, ...answer }, options(correlationId)),
    close: () => {
      query.close();
      commands.close();
    },
  };
}
