/**
 * After-sales visits (ADR 025): a repair or maintenance case customer service accepted is
 * done on site, as a service task of its own that belongs to the case. What the task needs
 * is decided here from the case and from what dispatch knows of the order's own work. Pure.
 */
import { pendingTask, type Task, type TaskOrigin } from "./task.ts";

/** Kinds of case done on site. Returns and exchanges come back to the store (ADR 021); complaints are answered. */
export const visitedCaseKinds = ["repair", "maintenance"] as const;
export type VisitedCaseKind = (typeof visitedCaseKinds)[number];

export const isVisitedCaseKind = (kind: string): kind is VisitedCaseKind => (visitedCaseKinds as readonly string[]).includes(kind);

/**
 * Something broken comes before upkeep: a repair is served like an urgent order (fulfillment's
 * weight for "urgent"), maintenance at the ordinary priority.
 */
export const visitPriority: Record<VisitedCaseKind, number> = { repair: 50, maintenance: 0 };

/** The case as CaseAccepted tells it, at the order's store (the envelope's). */
export interface AcceptedCase {
  caseId: string;
  caseKind: VisitedCaseKind;
  orderId: string;
  storeId: string;
  goods: { sku: string; quantity: number }[];
  /** Who customer service named to handle the case; offered the visit first when eligible. */
  handlerStaffId: string;
  acceptedAt: Date;
}

/** Where and with which skills the order's own work was done, as dispatch recorded its tasks. */
export interface OrderWork {
  region: string;
  /** The skills the order's service needed (its `skill:` tags); empty for goods delivered or handed over. */
  serviceSkills: string[];
}

/**
 * The skills the visit needs: those the order's service needed (whoever installs an air
 * conditioner can service it), else the case's kind itself ("repair", "maintenance"), which
 * a store that takes such cases gives the technicians who do them.
 */
export function visitSkillsOf(caseKind: VisitedCaseKind, work: OrderWork | undefined): string[] {
  const fromService = (work?.serviceSkills ?? []).filter((skill) => skill.trim() !== "");
  return fromService.length > 0 ? [...new Set(fromService)].sort() : [caseKind];
}

/**
 * The pending service task of the case's visit, named after the case (`taskId`, from the
 * contract, so a redelivered acceptance creates it once). Due at once: the assignee agrees the
 * time with the customer (ConfirmAppointment), as for a service order without a booked window.
 */
export function visitTaskOf(accepted: AcceptedCase, taskId: string, work: OrderWork | undefined, origin: TaskOrigin): Task {
  return pendingTask({
    taskId,
    orderId: accepted.orderId,
    storeId: accepted.storeId,
    kind: "service",
    region: work?.region ?? "",
    routeGroup: "",
    skills: visitSkillsOf(accepted.caseKind, work),
    priority: visitPriority[accepted.caseKind],
    createdAt: accepted.acceptedAt,
    origin,
    ...(accepted.handlerStaffId.trim() ? { preferredStaffId: accepted.handlerStaffId.trim() } : {}),
    afterSalesCase: { caseId: accepted.caseId, caseKind: accepted.caseKind, goods: accepted.goods.map((g) => ({ sku: g.sku, quantity: g.quantity })) },
  });
}
