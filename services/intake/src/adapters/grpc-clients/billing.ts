import { billingApi, type Actor } from "@oms/contracts";
import { createClient, type GrpcTarget } from "@oms/grpc";

/** A payment as a finance clerk confirms it, in minor units. */
export interface ConfirmedPayment {
  amountMinor: number;
  currency: string;
  method: string;
  reference: string;
}

/** Money a finance clerk returns on an order, in minor units of the order's currency. */
export interface RefundGrant {
  amountMinor: number;
  reason: string;
  /** The clerk's own reference (ticket, voucher): the same reference twice is one refund. */
  reference: string;
}

/**
 * A finance clerk's assessment of a customer's credit, as the clerk gave it: billing checks
 * it field by field (good credit needs a limit and terms, poor credit has neither).
 */
export interface CreditAssessment {
  rating: string;
  /** Good credit: what the customer may owe on credit at once, in minor units (0 when not given). */
  limitMinor: number;
  currency: string;
  /** Good credit: the days the customer has to pay (0 when not given). */
  termsDays: number;
  reason: string;
}

/** A finance clerk's explanation of a reconciliation's difference, and how it was corrected (ADR 023). */
export interface DifferenceExplanation {
  /** The clerk's id of it (ADR 015): the same id again is one explanation. */
  explanationId: string;
  correction: string;
  note: string;
}

/** A settlement dispute as its opener states it (ADR 026); billing checks the amount against the order's money. */
export interface DisputeOpening {
  /** The opener's id of it (ADR 015): the same id again is the same dispute. */
  requestId: string;
  kind: string;
  amountMinor: number;
  statement: string;
}

/** Finance's resolution of a dispute: upheld with a refund or an invoice document, or rejected with the reason. */
export interface DisputeResolution {
  outcome: string;
  correction: string;
  refundMinor: number;
  documentNumber: string;
  reason: string;
  customerAnswer: string;
}

/** What intake asks billing, the owner of the money, on behalf of a caller. */
export interface BillingSettlements {
  getSettlement(orderId: string, correlationId: string): Promise<billingApi.SettlementView>;
  confirmPayment(orderId: string, caller: Actor, payment: ConfirmedPayment, correlationId: string): Promise<billingApi.SettlementView>;
  listRefunds(orderId: string, correlationId: string): Promise<billingApi.RefundsView>;
  issueRefund(orderId: string, caller: Actor, refund: RefundGrant, correlationId: string): Promise<billingApi.RefundsView>;
  listInvoices(orderId: string, correlationId: string): Promise<billingApi.InvoicesView>;
  /**
   * A page of a store's register: after a document number (0: the first), at most `limit`
   * documents (0: billing's default). Billing checks the period (RFC 3339, until after from,
   * at most a year) and names each wrong field.
   */
  listStoreInvoices(storeId: string, page: { from: string; until: string; after?: number; limit?: number }, correlationId: string): Promise<billingApi.InvoicesView>;
  getCustomerCredit(customerId: string, correlationId: string): Promise<billingApi.CustomerCreditView>;
  assessCredit(customerId: string, caller: Actor, assessment: CreditAssessment, correlationId: string): Promise<billingApi.CustomerCreditView>;
  /** Reconciles a store over [from, until) under the clerk's request id; billing checks the period and names each wrong field. */
  runReconciliation(storeId: string, caller: Actor, run: { from: string; until: string; requestId: string }, correlationId: string): Promise<billingApi.ReconciliationView>;
  /** One page of a store's reconciliations; `pageToken` "" is the first, `pageSize` 0 billing's default. */
  listReconciliations(
    storeId: string,
    query: Pick<billingApi.ListReconciliationsRequest, "from" | "until" | "pageSize" | "pageToken">,
    correlationId: string,
  ): Promise<billingApi.ReconciliationsView>;
  getReconciliation(reconciliationId: string, correlationId: string): Promise<billingApi.ReconciliationView>;
  explainDifference(reconciliationId: string, differenceId: string, caller: Actor, explanation: DifferenceExplanation, correlationId: string): Promise<billingApi.ReconciliationView>;
  openSettlementDispute(orderId: string, caller: Actor, opening: DisputeOpening, correlationId: string): Promise<billingApi.SettlementDisputeView>;
  addDisputeFinding(disputeId: string, caller: Actor, finding: { findingId: string; finding: string }, correlationId: string): Promise<billingApi.SettlementDisputeView>;
  resolveSettlementDispute(disputeId: string, caller: Actor, resolution: DisputeResolution, correlationId: string): Promise<billingApi.SettlementDisputeView>;
  /**
   * An order's, several orders' or a store's disputes; `status` "open" or "resolved" narrows them.
   * `shownTo` named, billing opens each statement for them and logs the showing (ADR 026, showings
   * addendum); absent (the check before closing), the statements stay sealed (empty). `page` pages
   * a store's list (its `nextPageToken` continues it); an order's is never paged.
   */
  listSettlementDisputes(
    by: { orderIds?: readonly string[]; storeId?: string; status?: string; shownTo?: Actor; page?: { pageSize: number; pageToken: string } },
    correlationId: string,
  ): Promise<billingApi.SettlementDisputesView>;
  /** One dispute with its statement left sealed (the gateway's store scope check); NOT_FOUND when unknown. */
  getSettlementDispute(disputeId: string, correlationId: string): Promise<billingApi.SettlementDisputeView>;
  /** Who was shown a dispute's statement, oldest first, a page at a time; NOT_FOUND for an unknown dispute. */
  listDisputeDisclosures(disputeId: string, page: Pick<billingApi.ListDisputeDisclosuresRequest, "pageSize" | "pageToken">, correlationId: string): Promise<billingApi.DisputeDisclosures>;
  /** Books a carrier's payment on a settled claim's recovery; billing checks the amount against what is owed and the reference (ADR 017, second carrier addendum). */
  recordCarrierReceipt(caseId: string, caller: Actor, receipt: { amountMinor: number; reference: string }, correlationId: string): Promise<billingApi.CarrierRecoveryView>;
  /** Reverses a receipt booked in error, once, with the clerk's reason; its reference stays spent (ADR 017, third carrier addendum). */
  reverseCarrierReceipt(caseId: string, caller: Actor, reversal: { reference: string; reason: string }, correlationId: string): Promise<billingApi.CarrierRecoveryView>;
  /** Books one carrier transfer paying several settled claims, all allocations or none (ADR 017, twenty-fifth session). */
  recordCarrierRemittance(
    caller: Actor,
    remittance: Pick<billingApi.RecordCarrierRemittanceRequest, "reference" | "carrier" | "currency" | "allocations">,
    correlationId: string,
  ): Promise<billingApi.CarrierRemittanceView>;
  /** One remittance by its reference, each allocation with its store and receipt's state; NOT_FOUND when unknown (ADR 017, twenty-sixth session). */
  getCarrierRemittance(reference: string, correlationId: string): Promise<billingApi.CarrierRemittanceView>;
  /** Reverses a whole remittance, every allocation's receipt or none, with the clerk's reason (ADR 017, twenty-sixth session). */
  reverseCarrierRemittance(caller: Actor, reversal: { reference: string; reason: string }, correlationId: string): Promise<billingApi.CarrierRemittanceView>;
  /** A page of what carriers owe a store, the earliest due-by first; `pageSize` (or its older name `limit`) 0: billing's default. */
  listCarrierRecoveries(
    storeId: string,
    query: Pick<billingApi.ListCarrierRecoveriesRequest, "outstandingOnly" | "overdueOnly" | "pageSize" | "limit" | "pageToken">,
    correlationId: string,
  ): Promise<billingApi.CarrierRecoveriesView>;
  close(): void;
}

/** Billing's SettlementQuery and BillingCommands over gRPC; the correlation id travels in the call's metadata. */
export function billingSettlementsAt(peer: GrpcTarget, deadlineMs = 3_000): BillingSettlements {
  const query = createClient(billingApi.SettlementQueryService, "oms.billing.v1.SettlementQuery", peer);
  const commands = createClient(billingApi.BillingCommandsService, "oms.billing.v1.BillingCommands", peer);
  return {
    getSettlement: (orderId, correlationId) => query.getSettlement({ orderId }, { correlationId, deadlineMs }),
    confirmPayment: (orderId, caller, payment, correlationId) =>
      commands.confirmPayment(
        {
          orderId,
          amount: { minor: payment.amountMinor, currency: payment.currency },
          method: payment.method,
          reference: payment.reference,
          callerKind: caller.kind,
          callerId: caller.id,
          callerRole: caller.role,
        },
        { correlationId, deadlineMs },
      ),
    listRefunds: (orderId, correlationId) => query.listRefunds({ orderId }, { correlationId, deadlineMs }),
    issueRefund: (orderId, caller, refund, correlationId) =>
      commands.issueRefund({ orderId, ...refund, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs }),
    listInvoices: (orderId, correlationId) => query.listInvoices({ orderId }, { correlationId, deadlineMs }),
    listStoreInvoices: (storeId, { from, until, after, limit }, correlationId) =>
      query.listStoreInvoices({ storeId, from, until, afterNumber: after ?? 0, limit: limit ?? 0 }, { correlationId, deadlineMs }),
    getCustomerCredit: (customerId, correlationId) => query.getCustomerCredit({ customerId }, { correlationId, deadlineMs }),
    assessCredit: (customerId, caller, { rating, limitMinor, currency, termsDays, reason }, correlationId) =>
      commands.assessCredit(
        {
          customerId,
          rating,
          limit: { minor: limitMinor, currency },
          termsDays,
          reason,
          callerKind: caller.kind,
          callerId: caller.id,
          callerRole: caller.role,
        },
        { correlationId, deadlineMs },
      ),
    // A run asks fulfillment for the period's orders page by page: it may take longer than a lookup.
    runReconciliation: (storeId, caller, run, correlationId) =>
      commands.runReconciliation({ storeId, ...run, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs: Math.max(deadlineMs, 30_000) }),
    listReconciliations: (storeId, page, correlationId) => query.listReconciliations({ storeId, ...page }, { correlationId, deadlineMs }),
    getReconciliation: (reconciliationId, correlationId) => query.getReconciliation({ reconciliationId }, { correlationId, deadlineMs }),
    explainDifference: (reconciliationId, differenceId, caller, explanation, correlationId) =>
      commands.explainDifference(
        { reconciliationId, differenceId, ...explanation, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role },
        { correlationId, deadlineMs },
      ),
    openSettlementDispute: (orderId, caller, opening, correlationId) =>
      commands.openSettlementDispute({ orderId, ...opening, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs }),
    addDisputeFinding: (disputeId, caller, finding, correlationId) =>
      commands.addDisputeFinding({ disputeId, ...finding, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs }),
    resolveSettlementDispute: (disputeId, caller, resolution, correlationId) =>
      commands.resolveSettlementDispute({ disputeId, ...resolution, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs }),
    listSettlementDisputes: ({ orderIds, storeId, status, shownTo, page }, correlationId) =>
      query.listSettlementDisputes(
        {
          orderId: "",
          pageSize: page?.pageSize ?? 0,
          pageToken: page?.pageToken ?? "",
          orderIds: [...(orderIds ?? [])],
          storeId: storeId ?? "",
          status: status ?? "",
          callerKind: shownTo?.kind ?? "",
          callerId: shownTo?.id ?? "",
          callerRole: shownTo?.role ?? "",
          correlationId,
        },
        { correlationId, deadlineMs },
      ),
    getSettlementDispute: (disputeId, correlationId) =>
      query.getSettlementDispute({ disputeId, callerKind: "", callerId: "", callerRole: "", correlationId }, { correlationId, deadlineMs }),
    listDisputeDisclosures: (disputeId, page, correlationId) => query.listDisputeDisclosures({ disputeId, ...page }, { correlationId, deadlineMs }),
    recordCarrierReceipt: (caseId, caller, receipt, correlationId) =>
      commands.recordCarrierReceipt({ caseId, ...receipt, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs }),
    reverseCarrierReceipt: (caseId, caller, reversal, correlationId) =>
      commands.reverseCarrierReceipt({ caseId, ...reversal, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs }),
    recordCarrierRemittance: (caller, remittance, correlationId) =>
      commands.recordCarrierRemittance({ ...remittance, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs }),
    getCarrierRemittance: (reference, correlationId) => query.getCarrierRemittance({ reference }, { correlationId, deadlineMs }),
    reverseCarrierRemittance: (caller, reversal, correlationId) =>
      commands.reverseCarrierRemittance({ ...reversal, callerKind: caller.kind, callerId: caller.id, callerRole: caller.role }, { correlationId, deadlineMs }),
    listCarrierRecoveries: (storeId, page, correlationId) => query.listCarrierRecoveries({ storeId, ...page }, { correlationId, deadlineMs }),
    close: () => {
      query.close();
      commands.close();
    },
  };
}
