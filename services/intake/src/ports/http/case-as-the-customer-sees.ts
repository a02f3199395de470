import type { afterSalesApi } from "@oms/contracts";

/**
 * A case as its customer reads it: without the claim against the carrier, the chain's business
 * with the carrier (ADR 017, carrier-claim addendum); a late replacement only as late, since
 * when and by when it was due — who was warned and whether the store manager was called in is
 * the store's own escalation (ADR 030's sixth addendum); and a rejected visit round's rejecter
 * only in kind, "customer" or "store": the desk agent who recorded it for them is staff, whose
 * ids are the store's business (ADR 025, twenty-sixth-session addendum). Staff views keep them.
 */
export function asTheCustomerSees(c: afterSalesApi.CaseView): afterSalesApi.CaseView {
  const late = c.replacementLate;
  return {
    ...c,
    carrierClaim: undefined,
    replacementLate: late && { since: late.since, dueAt: late.dueAt, level: 0, responsibleRole: "", escalatedToRole: "" },
    visitRounds: c.visitRounds.map((round) => ({ ...round, rejectedBy: rejecterInKind(round.rejectedBy) })),
  };
}

/** "customer:<id>" → "customer", "staff:<id>" → "store", "" (not rejected) stays "". */
export function rejecterInKind(by: string): string {
  if (by === "") return "";
  return by.startsWith("customer:") ? "customer" : "store";
}
