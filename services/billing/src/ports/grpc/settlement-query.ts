import type pg from "pg";
import { billingApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import type { OutboxWriter } from "@oms/messaging";
import { assessCredit } from "../../app/commands/assess-credit.ts";
import { explainDifference } from "../../app/commands/explain-difference.ts";
import { runReconciliation, type ReconciliationDeps } from "../../app/commands/run-reconciliation.ts";
import { issueRefund } from "../../app/commands/issue-refund.ts";
import { confirmPayment } from "../../app/commands/record-payment.ts";
import { getCustomerCredit } from "../../app/queries/get-customer-credit.ts";
import { getSettlement } from "../../app/queries/get-settlement.ts";
import { getReconciliation, listReconciliations } from "../../app/queries/get-reconciliation.ts";
import { listInvoices, listStoreInvoices } from "../../app/queries/list-invoices.ts";
import { listRefunds } from "../../app/queries/list-refunds.ts";
import { clerksRequestId, financeClerk } from "./reconciliation.ts";
import type { DisputeDeps, DisputeReadDeps } from "../../app/disputes/dispute-deps.ts";
import { getSettlementDispute } from "../../app/disputes/get-settlement-dispute.ts";
import { listDisputeDisclosures } from "../../app/disputes/list-dispute-disclosures.ts";
import { listSettlementDisputes } from "../../app/disputes/list-settlement-disputes.ts";
import { disputeCommands } from "./settlement-disputes.ts";
import { listCarrierRecoveries } from "../../app/carrier-recoveries/list-carrier-recoveries.ts";
import { recordCarrierReceipt } from "../../app/carrier-recoveries/record-carrier-receipt.ts";
import { reverseCarrierReceipt } from "../../app/carrier-recoveries/reverse-carrier-receipt.ts";
import { recordCarrierRemittance } from "../../app/carrier-recoveries/record-carrier-remittance.ts";
import { reverseCarrierRemittance } from "../../app/carrier-recoveries/reverse-carrier-remittance.ts";
import { readCarrierRemittance } from "../../app/carrier-recoveries/carrier-remittance-views.ts";

export function settlementQueryService(pool: pg.Pool, disputes: DisputeReadDeps) {
  return bindService("oms.billing.v1.SettlementQuery", billingApi.SettlementQueryService, {
    getSettlement: (request) => getSettlement(pool, request.orderId),
    listRefunds: (request) => listRefunds(pool, request.orderId),
    listInvoices: (request) => listInvoices(pool, request.orderId),
    listStoreInvoices: (request) => listStoreInvoices(pool, request),
    getCustomerCredit: (request) => getCustomerCredit(pool, request.customerId),
    listReconciliations: (request) => listReconciliations(pool, request),
    getReconciliation: (request) => getReconciliation(pool, request.reconciliationId),
    // A showing's correlation id: the request's, else the call's metadata.
    listSettlementDisputes: (request, call) => listSettlementDisputes(disputes, { ...request, correlationId: request.correlationId || call.correlationId }),
    getSettlementDispute: (request, call) => getSettlementDispute(disputes, { ...request, correlationId: request.correlationId || call.correlationId }),
    listDisputeDisclosures: (request) => listDisputeDisclosures(pool, request),
    listCarrierRecoveries: (request) => listCarrierRecoveries(pool, request),
    getCarrierRemittance: (request) => readCarrierRemittance(pool, request),
  });
}

export function billingCommandsService(pool: pg.Pool, outbox: OutboxWriter, reconciliation: ReconciliationDeps, disputes: DisputeDeps) {
  return bindService("oms.billing.v1.BillingCommands", billingApi.BillingCommandsService, {
    confirmPayment: (request, call) => confirmPayment(pool, outbox, request, call.correlationId),
    issueRefund: (request, call) => issueRefund(pool, outbox, request, call.correlationId),
    assessCredit: (request, call) => assessCredit(pool, outbox, request, call.correlationId),
    runReconciliation: (request, call) =>
      runReconciliation(reconciliation, {
        ...request,
        actor: financeClerk(request, "runs a reconciliation"),
        requestId: clerksRequestId(request.requestId),
        correlationId: call.correlationId,
      }),
    explainDifference: (request, call) =>
      explainDifference(pool, outbox, { ...request, actor: financeClerk(request, "explains a reconciliation's difference"), correlationId: call.correlationId }),
    ...disputeCommands(disputes),
    recordCarrierReceipt: (request, call) => recordCarrierReceipt(pool, outbox, request, call.correlationId),
    reverseCarrierReceipt: (request, call) => reverseCarrierReceipt(pool, outbox, request, call.correlationId),
    recordCarrierRemittance: (request, call) => recordCarrierRemittance(pool, outbox, request, call.correlationId),
    reverseCarrierRemittance: (request, call) => reverseCarrierRemittance(pool, outbox, request, call.correlationId),
  });
}
