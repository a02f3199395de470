/**
 * An after-sales case (ADR 017): a request judged against the store's policy as it is
 * opened, decided by customer service, answered in time if it is a complaint, resolved
 * with what was done and why. Its life: open → accepted → resolved, or open → declined.
 * The events here are the domain's; the app publishes each as its contract event. Pure.
 */
import type { CarrierClaim } from "./carrier-claim.ts";
import type { RefundShortfall } from "./case-refunds.ts";
import type { CaseReplacement } from "./case-replacement.ts";
import type { CustomerWords } from "./customer-words.ts";
import { requestedVisitOf, visitOnResolution, type CaseVisit } from "./case-visit.ts";
import type { CaseKind } from "./policy.ts";

export const caseChannels = ["phone", "email", "online", "store-counter"] as const;
export type CaseChannel = (typeof caseChannels)[number];
export const caseCauses = ["packaging", "carrier", "product", "service", "customer", "other"] as const;
export type CaseCause = (typeof caseCauses)[number];
export const caseStatuses = ["open", "accepted", "declined", "resolved"] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** Who a complaint overdue for an answer is escalated to. */
export const escalatedTo = ["store-manager"];
/** Who declines a request out of the policy: the policy itself, as the service applies it. */
export const policyDecider = "system:after-sales";

export interface CaseLine {
  sku: string;
  quantity: number;
}

export interface AfterSalesCase {
  caseId: string;
  orderId: string;
  storeId: string;
  kind: CaseKind;
  channel: CaseChannel;
  /** What the customer says is wrong, in their words: sealed once stored (customer-words.ts). */
  description: CustomerWords;
  lines: CaseLine[];
  status: CaseStatus;
  /** "<kind>:<id>" of who opened it. */
  openedBy: string;
  openedAt: Date;
  /** The chain the opening request started: later events of the case, the timer's too, continue it. */
  correlationId: string;
  withinPolicy: boolean;
  policyNote: string;
  assigneeStaffId?: string;
  decidedBy?: string;
  decidedAt?: Date;
  decisionNote?: string;
  /** Complaints taken in: the answer is due by then. */
  respondBy?: Date;
  answeredAt?: Date;
  answer?: string;
  /** "<kind>:<id>" of who answered the complaint. */
  answeredBy?: string;
  escalatedAt?: Date;
  resolution?: string;
  cause?: CaseCause;
  refundMinor: number;
  /** What billing refunded for the case so far, each refund counted once (case-refunds.ts). */
  refundedMinor: number;
  /** Billing's word that it refunded less than the case named, and why (the first heard). */
  refundShortfall?: RefundShortfall;
  resolvedBy?: string;
  resolvedAt?: Date;
  /** Returns and exchanges: what the warehouse received back so far (case-returned-goods.ts). */
  goodsRestocked: number;
  goodsWrittenOff: number;
  goodsReceivedAt?: Date;
  /**
   * When the after-sales desk called off what had not come back, and why (the warehouse's ReturnCalledOff):
   * the desk's words, kept sealed as the warehouse sealed them (or in the clear from an event or a row from before).
   */
  goodsCalledOff?: { at: Date; reason: CustomerWords };
  /** Repairs and maintenance: the on-site visit dispatch runs for the case (case-visit.ts, ADR 025). */
  visit?: CaseVisit;
  /** Exchanges: the replacement goods the store sends (case-replacement.ts, ADR 030). */
  replacement?: CaseReplacement;
  /** The highest level its replacement was ever late to ship at, kept once it shipped: the store's report counts it. */
  replacementLateLevelReached?: 1 | 2;
  /** Resolved with cause "carrier": the claim against the carrier for the damage (carrier-claim.ts). */
  carrierClaim?: CarrierClaim;
}

export type CaseOpening = Pick<
  AfterSalesCase,
  "caseId" | "orderId" | "storeId" | "kind" | "channel" | "description" | "lines" | "openedBy" | "openedAt" | "correlationId" | "withinPolicy" | "policyNote" | "respondBy"
>;

export type CaseEvent =
  | { type: "CaseOpened"; opening: CaseOpening }
  | { type: "CaseAccepted"; assigneeStaffId: string; note: string; by: string; at: Date }
  | { type: "CaseDeclined"; explanation: string; byPolicy: boolean; by: string; at: Date }
  | { type: "ComplaintAnswered"; answer: string; late: boolean; by: string; at: Date }
  | { type: "CaseOverdue"; respondBy: Date; escalatedTo: string[]; at: Date }
  | { type: "CaseResolved"; resolution: string; cause: CaseCause; refundMinor: number; by: string; at: Date };

export function evolveCase(state: AfterSalesCase | undefined, event: CaseEvent): AfterSalesCase {
  if (event.type === "CaseOpened") return { ...event.opening, status: "open", refundMinor: 0, refundedMinor: 0, goodsRestocked: 0, goodsWrittenOff: 0 };
  if (!state) throw new Error(`${event.type} before the case was opened`);
  switch (event.type) {
    case "CaseAccepted": {
      // A repair or maintenance is done on site: dispatch is asked for the visit by the acceptance itself.
      const visit = state.visit ?? requestedVisitOf(state);
      return { ...state, status: "accepted", assigneeStaffId: event.assigneeStaffId, decidedBy: event.by, decidedAt: event.at, decisionNote: event.note, ...(visit ? { visit } : {}) };
    }
    case "CaseDeclined":
      return { ...state, status: "declined", decidedBy: event.by, decidedAt: event.at, decisionNote: event.explanation };
    case "ComplaintAnswered":
      return { ...state, answer: event.answer, answeredAt: event.at, answeredBy: event.by };
    case "CaseOverdue":
      return { ...state, escalatedAt: event.at };
    case "CaseResolved": {
      const visit = visitOnResolution(state.visit);
      return { ...state, status: "resolved", resolution: event.resolution, cause: event.cause, refundMinor: event.refundMinor, resolvedBy: event.by, resolvedAt: event.at, ...(visit ? { visit } : {}) };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown case event ${JSON.stringify(unknown)}`);
    }
  }
}

export const evolveCaseBy = (state: AfterSalesCase | undefined, events: readonly CaseEvent[]): AfterSalesCase | undefined => events.reduce<AfterSalesCase | undefined>(evolveCase, state);
