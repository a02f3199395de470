import { ConflictError, ForbiddenError, IllegalStateError, ValidationError, type FieldError } from "@oms/errors";

/**
 * Settlement disputes (DOMAIN.md, Settlement: "Settlement disputes are handled with the
 * departments involved"; ADR 026). Pure: no I/O, no clock, no ids — the time and the ids
 * come in with the commands. A dispute is opened on an order's money, routed to the
 * departments whose records matter, each adds its finding, and finance resolves it once.
 */

export const disputeKinds = ["amount", "payment-missing", "refund-missing", "invoice", "chargeback", "other"] as const;
export type DisputeKind = (typeof disputeKinds)[number];

export const departments = ["finance", "warehouse", "delivery", "store", "customer-service"] as const;
export type Department = (typeof departments)[number];

/**
 * Whose records answer each kind. Finance is in every one: it holds the money and
 * resolves. A refund not received may hinge on whether the return came back (the
 * warehouse); a chargeback on the proof of delivery (delivery) and how the store served.
 */
export const departmentsByKind: Record<DisputeKind, readonly Department[]> = {
  amount: ["finance", "store"],
  "payment-missing": ["finance"],
  "refund-missing": ["finance", "warehouse"],
  invoice: ["finance"],
  chargeback: ["finance", "delivery", "store"],
  other: ["finance", "store", "customer-service"],
};

/** The department a member of staff speaks for, by their role; undefined for roles that speak for none. */
export function departmentOfRole(role: string): Department | undefined {
  switch (role) {
    case "finance":
      return "finance";
    case "warehouse-clerk":
      return "warehouse";
    case "rider":
    case "dispatcher":
      return "delivery";
    case "store-manager":
    case "supervisor":
      return "store";
    case "customer-service":
      return "customer-service";
    default:
      return undefined;
  }
}

export const disputeOutcomes = ["upheld", "rejected"] as const;
export type DisputeOutcome = (typeof disputeOutcomes)[number];
export const disputeCorrections = ["refund", "invoice-correction"] as const;
export type DisputeCorrection = (typeof disputeCorrections)[number];

/** Who may open a dispute: the order's customer, customer service for them, finance, the store manager. */
export const disputeOpenerRoles: readonly string[] = ["customer-service", "finance", "store-manager"];

export interface DisputeCaller {
  kind: string;
  id: string;
  role: string;
}

/** The order's money as billing holds it: the bound of what can be disputed. */
export interface SettlementFigures {
  currency: string;
  /** The settlement's amount due, when fulfillment asked for one. */
  amountDueMinor: number;
  paidMinor: number;
}

/** At most what the order's money could be: what was due, or what was taken when that is more. */
export function disputableOf(figures: SettlementFigures): number {
  return Math.max(figures.amountDueMinor, figures.paidMinor);
}

export interface OpenDispute {
  requestId: string;
  kind: string;
  amountMinor: number;
  statement: string;
}

export interface OpenedDispute {
  kind: DisputeKind;
  amountMinor: number;
  statement: string;
  departments: readonly Department[];
}

const maxText = 2_000;

/** Checks an opening against the order's figures and routes it; names every wrong field. */
export function decideOpening(open: OpenDispute, figures: SettlementFigures): OpenedDispute {
  const fields: FieldError[] = [];
  if (!open.requestId.trim()) fields.push({ field: "requestId", message: "is required (your id of this dispute; makes a retry harmless)" });
  else if (open.requestId.trim().length > 100) fields.push({ field: "requestId", message: "must be at most 100 characters" });
  if (!(disputeKinds as readonly string[]).includes(open.kind)) fields.push({ field: "kind", message: `must be one of ${disputeKinds.join(", ")}` });
  const bound = disputableOf(figures);
  if (!Number.isSafeInteger(open.amountMinor) || open.amountMinor <= 0) fields.push({ field: "amountMinor", message: "must be a positive integer of minor units" });
  else if (open.amountMinor > bound) {
    fields.push({ field: "amountMinor", message: `must be at most ${bound} ${figures.currency} (the order's amount due or what was paid on it, whichever is more)` });
  }
  const statement = open.statement.trim();
  if (!statement) fields.push({ field: "statement", message: "is required (what is wrong with the money)" });
  else if (statement.length > maxText) fields.push({ field: "statement", message: `must be at most ${maxText} characters` });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "settlement-dispute.invalid");
  const kind = open.kind as DisputeKind;
  return { kind, amountMinor: open.amountMinor, statement, departments: departmentsByKind[kind] };
}

/** A dispute as stored, enough for its rules. */
export interface DisputeState {
  disputeId: string;
  orderId: string;
  kind: DisputeKind;
  amountMinor: number;
  openedBy: string;
  departments: readonly string[];
  resolved: boolean;
  escalated: boolean;
}

/**
 * ADR 015: the same request id with the same content is the same dispute (answered as it
 * is); with other content it is refused, naming what the id holds.
 */
export function assertSameOpening(existing: DisputeState & { statement: string }, requestId: string, opened: OpenedDispute, openedBy: string): void {
  if (existing.kind === opened.kind && existing.amountMinor === opened.amountMinor && existing.statement === opened.statement && existing.openedBy === openedBy) return;
  throw new ConflictError(
    "settlement-dispute.request-id-reused",
    `request id ${requestId} already opened dispute ${existing.disputeId} on order ${existing.orderId} (${existing.kind}, ${existing.amountMinor}, by ${existing.openedBy}); another dispute needs an id of its own`,
  );
}

/** The department a finding is recorded for: the caller's, and only one the dispute was routed to. */
export function decideFinding(dispute: DisputeState, caller: DisputeCaller, finding: { findingId: string; text: string }): Department {
  const fields: FieldError[] = [];
  if (!finding.findingId.trim()) fields.push({ field: "findingId", message: "is required (your id of this finding; makes a retry harmless)" });
  else if (finding.findingId.trim().length > 100) fields.push({ field: "findingId", message: "must be at most 100 characters" });
  if (!finding.text.trim()) fields.push({ field: "finding", message: "is required (what your department's records show)" });
  else if (finding.text.trim().length > maxText) fields.push({ field: "finding", message: `must be at most ${maxText} characters` });
  if (fields.length > 0) throw new ValidationError(fields, undefined, "settlement-dispute.invalid");
  const department = caller.kind === "staff" ? departmentOfRole(caller.role) : undefined;
  if (!department || !dispute.departments.includes(department)) {
    throw new ForbiddenError(
      "settlement-dispute.department-not-involved",
      `dispute ${dispute.disputeId} (${dispute.kind}) is handled with ${dispute.departments.join(", ")}; the caller (${caller.kind} ${caller.role}) speaks for none of them`,
    );
  }
  if (dispute.resolved) throw new IllegalStateError("settlement-dispute.resolved", `dispute ${dispute.disputeId} is resolved; findings are added while it is open`);
  return department;
}

export interface Resolve {
  outcome: string;
  correction: string;
  refundMinor: number;
  documentNumber: string;
  reason: string;
  customerAnswer: string;
}

export type Resolution =
  | { outcome: "upheld"; correction: "refund"; refundMinor: number; reason: string; customerAnswer: string }
  | { outcome: "upheld"; correction: "invoice-correction"; documentNumber: string; reason: string; customerAnswer: string }
  | { outcome: "rejected"; reason: string; customerAnswer: string };

/** Checks finance's resolution of an open dispute; a refund is bounded by the amount in dispute (billing's refund rules bound it by what was paid). */
export function decideResolution(dispute: DisputeState, resolve: Resolve): Resolution {
  const fields: FieldError[] = [];
  const reason = resolve.reason.trim();
  const customerAnswer = resolve.customerAnswer.trim();
  if (!customerAnswer) fields.push({ field: "customerAnswer", message: "is required (what the customer is told)" });
  else if (customerAnswer.length > maxText) fields.push({ field: "customerAnswer", message: `must be at most ${maxText} characters` });
  if (reason.length > maxText) fields.push({ field: "reason", message: `must be at most ${maxText} characters` });
  let resolution: Resolution | undefined;
  if (resolve.outcome === "rejected") {
    if (!reason) fields.push({ field: "reason", message: "is required when a dispute is rejected (why)" });
    resolution = { outcome: "rejected", reason, customerAnswer };
  } else if (resolve.outcome === "upheld") {
    if (resolve.correction === "refund") {
      if (!Number.isSafeInteger(resolve.refundMinor) || resolve.refundMinor <= 0) fields.push({ field: "refundMinor", message: "must be a positive integer of minor units" });
      else if (resolve.refundMinor > dispute.amountMinor) fields.push({ field: "refundMinor", message: `must be at most the ${dispute.amountMinor} in dispute` });
      resolution = { outcome: "upheld", correction: "refund", refundMinor: resolve.refundMinor, reason, customerAnswer };
    } else if (resolve.correction === "invoice-correction") {
      if (!resolve.documentNumber.trim()) fields.push({ field: "documentNumber", message: "is required (the order's invoice or credit note that corrects it)" });
      resolution = { outcome: "upheld", correction: "invoice-correction", documentNumber: resolve.documentNumber.trim(), reason, customerAnswer };
    } else {
      fields.push({ field: "correction", message: `must be one of ${disputeCorrections.join(", ")} when a dispute is upheld` });
    }
  } else {
    fields.push({ field: "outcome", message: `must be one of ${disputeOutcomes.join(", ")}` });
  }
  if (fields.length > 0 || !resolution) throw new ValidationError(fields, undefined, "settlement-dispute.invalid");
  return resolution;
}

/** A resolution asked again: the same answers as the first (a retry), else refused — a dispute is resolved once. */
export function isRepeatOfResolution(stored: Resolution, asked: Resolution): boolean {
  if (stored.outcome !== asked.outcome || stored.customerAnswer !== asked.customerAnswer || stored.reason !== asked.reason) return false;
  if (stored.outcome === "rejected" || asked.outcome === "rejected") return true;
  if (stored.correction === "refund" && asked.correction === "refund") return stored.refundMinor === asked.refundMinor;
  if (stored.correction === "invoice-correction" && asked.correction === "invoice-correction") return stored.documentNumber === asked.documentNumber;
  return false;
}

/** The respond-by time passed: an open dispute not escalated before goes to the store manager; anything else stays as it is. */
export function shouldEscalate(dispute: DisputeState): boolean {
  return !dispute.resolved && !dispute.escalated;
}

/** The respond-by time of a dispute opened at `openedAt`. */
export function respondByOf(openedAt: Date, responseHours: number): Date {
  return new Date(openedAt.getTime() + responseHours * 3_600_000);
}
