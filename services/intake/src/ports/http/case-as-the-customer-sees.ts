import type { afterSalesApi } from "@oms/contracts";

/**
 * A case as its customer reads it (ADR 017, twenty-sixth-session addendum: what a customer may
 * claim and see): without the claim against the carrier, the chain's business with the carrier
 * (ADR 017, carrier-claim addendum); a late replacement only as late, since when and by when it
 * was due — who was warned, whether the store manager was called in and which clerk's step is
 * late is the store's own escalation (ADR 030's sixth and twenty-eighth-session addenda); a short
 * refund's settlement with finance's reference but not its note (ADR 017, twenty-sixth-session addendum); an acceptance's note, which the desk writes to
 * itself, not at all — a decline's explanation is the customer's by contract ("the customer is told
 * why"), so a declined case keeps it (ADR 017, twenty-seventh-session addendum); and no member of staff by their id, whose ids are the
 * store's business (ADR 025, twenty-sixth-session addendum, for a rejected round's rejecter):
 *
 * - who did a step (opened, decided, resolved, reported a visit or a round, rejected a round,
 *   settled a short refund) is named in kind: "customer", "store" for any of its staff, "system"
 *   for after-sales applying the policy (a request out of it is declined by no one), "" for a
 *   step nobody took;
 * - why a visit waits in the queue (dispatch's reason, naming the store's skills, regions and shifts)
 *   only as "waiting for a technician to be free" (ADR 017, twenty-seventh-session addendum, second reading);
 * - who a case or a visit is given to (the assignee, the visit's holder, the staff member a
 *   visit's exception names) is not shown at all (""): the status says whether someone has it.
 *
 * Staff views keep them all.
 */
export function asTheCustomerSees(c: afterSalesApi.CaseView): afterSalesApi.CaseView {
  const late = c.replacementLate;
  const shortfall = c.refundShortfall;
  return {
    ...c,
    openedBy: byInKind(c.openedBy),
    assigneeStaffId: "",
    decidedBy: byInKind(c.decidedBy),
    // One field holds both words: told by the case's status, not by reading them.
    decisionNote: c.status === "declined" ? c.decisionNote : "",
    resolvedBy: byInKind(c.resolvedBy),
    // The reference is how the rest went back (a transfer's, a voucher's): the customer traces their money by it. The note
    // is finance's word to itself, held back as the carrier claim is.
    refundShortfall: shortfall && { ...shortfall, settledBy: byInKind(shortfall.settledBy), settledNote: "" },
    visitStaffId: "",
    // Why nobody can take the visit is dispatch's staffing (skills, regions, shifts): the customer is told it waits.
    visitQueuedReason: c.visitQueuedReason ? "waiting for a technician to be free" : "",
    visitDoneBy: reporterInKind(c.visitDoneBy),
    visitExceptions: c.visitExceptions.map((e) => ({ ...e, staffId: "" })),
    carrierClaim: undefined,
    // Which of the clerks' steps is late is the store's working, as who was warned is: the customer is told late and by when.
    replacementLate: late && { since: late.since, dueAt: late.dueAt, level: 0, responsibleRole: "", escalatedToRole: "", step: "" },
    visitRounds: c.visitRounds.map((round) => ({ ...round, reportedBy: reporterInKind(round.reportedBy), rejectedBy: byInKind(round.rejectedBy) })),
  };
}

/** "customer:<id>" → "customer", "system:<service>" → "system", "staff:<id>" (or any other caller) → "store", "" (nobody yet) stays "". */
export function byInKind(by: string): string {
  if (by === "") return "";
  if (by.startsWith("customer:")) return "customer";
  if (by.startsWith("system:")) return "system";
  return "store";
}

/** A visit's report is the technician's, named by their bare staff id: "store" once there is one. */
const reporterInKind = (staffId: string) => (staffId === "" ? "" : "store");
