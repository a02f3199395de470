import type { billingApi } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { StoreScope } from "@oms/identity";
import type { SettlementDeps } from "./commands/confirm-payment.ts";
import type { PermittedContext } from "./request-context.ts";
import { moneyOf, type MoneyView } from "./refund-views.ts";

/** Money a carrier owes on a settled claim, as billing keeps it (ADR 017, second carrier addendum). */
export interface CarrierRecoveryView {
  caseId: string;
  orderId: string;
  storeId: string;
  carrier: string;
  carrierReference: string;
  due: MoneyView;
  received: MoneyView;
  outstanding: MoneyView;
  status: string;
  settledAt: string;
  dueBy: string;
  overdue: boolean;
  receipts: {
    reference: string;
    amount: MoneyView;
    receivedBy: string;
    receivedAt: string;
    reversal?: { reason: string; reversedBy: string; reversedAt: string };
    remittanceReference?: string;
  }[];
}

export function carrierRecoveryViewOf(view: billingApi.CarrierRecoveryView): CarrierRecoveryView {
  return {
    caseId: view.caseId,
    orderId: view.orderId,
    storeId: view.storeId,
    carrier: view.carrier,
    carrierReference: view.carrierReference,
    due: moneyOf(view.due),
    received: moneyOf(view.received),
    outstanding: moneyOf(view.outstanding),
    status: view.status,
    settledAt: view.settledAt,
    dueBy: view.dueBy,
    overdue: view.overdue,
    receipts: view.receipts.map((r) => ({
      reference: r.reference,
      amount: moneyOf(r.amount),
      receivedBy: r.receivedBy,
      receivedAt: r.receivedAt,
      ...(r.reversal ? { reversal: { reason: r.reversal.reason, reversedBy: r.reversal.reversedBy, reversedAt: r.reversal.reversedAt } } : {}),
      ...(r.remittanceReference ? { remittanceReference: r.remittanceReference } : {}),
    })),
  };
}

/**
 * A finance clerk books money a carrier paid on a settled claim. Billing keeps the receipts
 * within what the carrier agreed and takes each reference once, so a retry after a timeout books
 * nothing more; the store scope was checked on the case before this runs.
 */
export async function recordCarrierReceipt(
  deps: Pick<SettlementDeps, "billing">,
  context: PermittedContext<"record-carrier-receipt">,
  caseId: string,
  receipt: { amountMinor: number; reference: string },
): Promise<CarrierRecoveryView> {
  return carrierRecoveryViewOf(await deps.billing.recordCarrierReceipt(caseId, context.caller, receipt, context.correlationId));
}

/**
 * A finance clerk reverses a receipt booked in error (ADR 017, third carrier addendum): billing
 * takes it off the recovery once and keeps its reference spent; the store scope was checked on
 * the case before this runs.
 */
export async function reverseCarrierReceipt(
  deps: Pick<SettlementDeps, "billing">,
  context: PermittedContext<"reverse-carrier-receipt">,
  caseId: string,
  reversal: { reference: string; reason: string },
): Promise<CarrierRecoveryView> {
  return carrierRecoveryViewOf(await deps.billing.reverseCarrierReceipt(caseId, context.caller, reversal, context.correlationId));
}

/**
 * What carriers owe a store, the earliest due-by first, a page at a time; `outstandingOnly`
 * leaves out those received in full, `overdueOnly` those too and those not yet past their
 * due-by time. Billing refuses a page token it did not give (400 naming pageToken).
 */
export async function listCarrierRecoveries(
  deps: Pick<SettlementDeps, "billing">,
  context: PermittedContext<"list-carrier-recoveries">,
  storeId: string,
  query: { outstandingOnly: boolean; overdueOnly: boolean; pageSize: number; limit: number; pageToken: string },
): Promise<{ recoveries: CarrierRecoveryView[]; nextPageToken?: string | undefined }> {
  const view = await deps.billing.listCarrierRecoveries(storeId, query, context.correlationId);
  // Absent on the last page, as on intake's other paged lists: gRPC's empty token is left out.
  return { recoveries: view.recoveries.map(carrierRecoveryViewOf), nextPageToken: view.nextPageToken || undefined };
}

/** A carrier transfer booked against several settled claims, as billing keeps it (ADR 017, twenty-fifth and twenty-sixth sessions). */
export interface CarrierRemittanceView {
  reference: string;
  carrier: string;
  total: MoneyView;
  bookedBy: string;
  bookedAt: string;
  allocations: { place: number; caseId: string; storeId: string; receiptReference: string; amount: MoneyView; reversal?: ReversalView }[];
  reversal?: ReversalView;
  recoveries: CarrierRecoveryView[];
}

interface ReversalView {
  reason: string;
  reversedBy: string;
  reversedAt: string;
}

const reversalViewOf = (reversal: billingApi.CarrierReceiptReversalView | undefined) =>
  reversal ? { reversal: { reason: reversal.reason, reversedBy: reversal.reversedBy, reversedAt: reversal.reversedAt } } : {};

function carrierRemittanceViewOf(view: billingApi.CarrierRemittanceView): CarrierRemittanceView {
  return {
    reference: view.reference,
    carrier: view.carrier,
    total: moneyOf(view.total),
    bookedBy: view.bookedBy,
    bookedAt: view.bookedAt,
    allocations: view.allocations.map((a) => ({
      place: a.place,
      caseId: a.caseId,
      storeId: a.storeId,
      receiptReference: a.receiptReference,
      amount: moneyOf(a.amount),
      ...reversalViewOf(a.reversal),
    })),
    ...reversalViewOf(view.reversal),
    recoveries: view.recoveries.map(carrierRecoveryViewOf),
  };
}

/**
 * A finance clerk books one carrier transfer paying several of that carrier's settled claims:
 * billing books every allocation as a receipt of its recovery, or none, and spends the reference
 * once; the store scope was checked on every allocation's case before this runs.
 */
export async function recordCarrierRemittance(
  deps: Pick<SettlementDeps, "billing">,
  context: PermittedContext<"record-carrier-remittance">,
  remittance: { reference: string; carrier: string; currency: string; allocations: { caseId: string; amountMinor: number }[] },
): Promise<CarrierRemittanceView> {
  return carrierRemittanceViewOf(await deps.billing.recordCarrierRemittance(context.caller, remittance, context.correlationId));
}

/**
 * One remittance read back by its reference (ADR 017, twenty-sixth session). A store-scoped
 * caller reads only a remittance every allocation of which is of their stores; any other is
 * answered word for word as one nobody booked, so a reference guessed learns nothing.
 */
export async function getCarrierRemittance(
  deps: Pick<SettlementDeps, "billing">,
  context: PermittedContext<"read-carrier-remittance" | "reverse-carrier-remittance">,
  scope: StoreScope,
  reference: string,
): Promise<CarrierRemittanceView> {
  const view = await deps.billing.getCarrierRemittance(reference, context.correlationId);
  if (scope.kind === "stores" && !view.allocations.every((a) => scope.stores.has(a.storeId))) {
    throw new NotFoundError("carrier-remittance.unknown", `no carrier remittance under reference ${reference}`);
  }
  return carrierRemittanceViewOf(view);
}

/**
 * A finance clerk reverses a whole remittance booked in error: billing reverses every
 * allocation's receipt or none. A store-scoped clerk reverses only a remittance they may read
 * (every allocation of their stores), asked first; any other is answered as unknown.
 */
export async function reverseCarrierRemittance(
  deps: Pick<SettlementDeps, "billing">,
  context: PermittedContext<"reverse-carrier-remittance">,
  scope: StoreScope,
  reversal: { reference: string; reason: string },
): Promise<CarrierRemittanceView> {
  if (scope.kind === "stores") await getCarrierRemittance(deps, context, scope, reversal.reference);
  return carrierRemittanceViewOf(await deps.billing.reverseCarrierRemittance(context.caller, reversal, context.correlationId));
}
