import { describe, expect, it } from "vitest";
import { afterSalesApi } from "@oms/contracts";
import { asTheCustomerSees } from "./case-as-the-customer-sees.ts";

const round = (rejectedBy: string, n: number): afterSalesApi.VisitRoundView => ({
  round: n,
  reportedAt: "2026-12-07T08:00:00.000Z",
  reportedBy: "tech-1",
  summary: "replaced the thermostat",
  rejectedAt: rejectedBy ? "2026-12-07T09:00:00.000Z" : "",
  rejectedBy,
  rejectionReason: rejectedBy ? "still cold" : "",
});

/** A case as the desk reads it, with a member of staff's id in every field that holds one. */
const staffView = (more: Partial<afterSalesApi.CaseView> = {}): afterSalesApi.CaseView =>
  afterSalesApi.CaseView.fromPartial({
    caseId: "case-1",
    orderId: "o-1",
    storeId: "s-1",
    kind: "repair",
    channel: "phone",
    status: "resolved",
    openedBy: "staff:cs-open",
    assigneeStaffId: "tech-assignee",
    decidedBy: "staff:cs-decide",
    decisionNote: "technician visits",
    resolvedBy: "staff:cs-resolve",
    resolution: "repaired on site",
    refundShortfall: { requestedMinor: 100, refundedMinor: 50, reason: "paid less than the case names", at: "2026-12-07T10:00:00.000Z", settledAt: "2026-12-07T11:00:00.000Z", settledBy: "staff:fin-settle", settledReference: "BANK-1", settledNote: "" },
    visitTaskId: "after-sales-visit:case-1",
    visitStatus: "done",
    visitStaffId: "tech-holder",
    visitDoneAt: "2026-12-07T08:00:00.000Z",
    visitDoneBy: "tech-report",
    visitSummary: "replaced the thermostat",
    visitExceptions: [{ exceptionId: "ex-1", kind: "late-arrival", cause: "parking", measure: "none", newTime: "", reportedAt: "2026-12-07T07:00:00.000Z", staffId: "tech-late" }],
    visitRound: 2,
    visitRounds: [round("staff:cs-7", 0), round("customer:c-42", 1), round("", 2)],
    ...more,
  });

const staffIds = ["cs-open", "tech-assignee", "cs-decide", "cs-resolve", "fin-settle", "tech-holder", "tech-report", "tech-late", "tech-1", "cs-7"];

describe("a case as its customer reads it", () => {
  it("names who rejected each visit round only in kind: the customer, or the store for the desk agent who recorded it", () => {
    const seen = asTheCustomerSees(staffView());
    expect(seen.visitRounds.map((r) => r.rejectedBy)).toEqual(["store", "customer", ""]);
    // The rest of each round as the staff view has it, but its reporter (below).
    expect(seen.visitRounds[0]).toMatchObject({ summary: "replaced the thermostat", rejectionReason: "still cold" });
  });

  it("shows no member of staff's id: who opened, decided, resolved and settled in kind, who handles and holds it not at all", () => {
    const seen = asTheCustomerSees(staffView());
    expect(seen).toMatchObject({
      openedBy: "store",
      assigneeStaffId: "",
      decidedBy: "store",
      resolvedBy: "store",
      visitStaffId: "",
      visitDoneBy: "store",
      refundShortfall: { settledBy: "store", settledAt: "2026-12-07T11:00:00.000Z", settledReference: "BANK-1" },
    });
    expect(seen.visitExceptions).toEqual([{ exceptionId: "ex-1", kind: "late-arrival", cause: "parking", measure: "none", newTime: "", reportedAt: "2026-12-07T07:00:00.000Z", staffId: "" }]);
    expect(seen.visitRounds.map((r) => r.reportedBy)).toEqual(["store", "store", "store"]);
    const shown = JSON.stringify(seen);
    for (const id of staffIds) expect(shown, id).not.toContain(id);
    // What the store did and told the customer stays: the resolution, the visit's summary.
    expect(seen).toMatchObject({ resolution: "repaired on site", visitSummary: "replaced the thermostat", status: "resolved" });
  });

  it("keeps the desk's note on accepting a case to staff, and shows a decline's explanation, which is written for the customer", () => {
    const accepted = asTheCustomerSees(staffView({ status: "accepted", decisionNote: "customer is difficult, send Zhang not Li" }));
    expect(accepted.decisionNote).toBe("");
    expect(JSON.stringify(accepted)).not.toContain("difficult");
    expect(asTheCustomerSees(staffView()).decisionNote).toBe("");
    const declined = asTheCustomerSees(staffView({ status: "declined", decisionNote: "the warranty ended on 1 March" }));
    expect(declined.decisionNote).toBe("the warranty ended on 1 March");
  });

  it("keeps finance's reference for the rest of a short refund, which the customer traces the money by, and holds back finance's note to itself", () => {
    const settled = asTheCustomerSees(staffView({ refundShortfall: { ...staffView().refundShortfall!, settledReference: "BANK-1", settledNote: "paid from the petty cash, ask Li before the audit" } }));
    expect(settled.refundShortfall).toMatchObject({ settledReference: "BANK-1", settledNote: "", requestedMinor: 100, refundedMinor: 50 });
  });

  it("names the customer who opened their own case, and the policy that declined it, in kind; what nobody did stays empty", () => {
    const own = asTheCustomerSees(staffView({ openedBy: "customer:c-42", status: "declined", decidedBy: "system:after-sales", resolvedBy: "", assigneeStaffId: "", refundShortfall: undefined }));
    expect(own).toMatchObject({ openedBy: "customer", decidedBy: "system", resolvedBy: "", assigneeStaffId: "" });
    expect(own.refundShortfall).toBeUndefined();
    const awaited = asTheCustomerSees(staffView({ visitDoneBy: "", visitStaffId: "", visitRounds: [round("", 0)].map((r) => ({ ...r, reportedBy: "", reportedAt: "" })) }));
    expect(awaited).toMatchObject({ visitDoneBy: "", visitStaffId: "" });
    expect(awaited.visitRounds[0]?.reportedBy).toBe("");
  });

  it("leaves the staff view as it was", () => {
    const view = staffView();
    const before = JSON.stringify(view);
    asTheCustomerSees(view);
    expect(JSON.stringify(view)).toBe(before);
  });
});

describe("a queued visit as its customer reads it (ADR 017, twenty-seventh-session addendum, second reading)", () => {
  it("says the visit waits for a technician, never dispatch's reason, which names the store's skills, regions and shifts", () => {
    const queued = staffView({ status: "accepted", visitStatus: "queued", visitQueuedReason: "nobody with those skills serves region Jing'an" });
    const seen = asTheCustomerSees(queued);
    expect(seen.visitQueuedReason).toBe("waiting for a technician to be free");
    expect(JSON.stringify(seen)).not.toContain("Jing'an");
    expect(queued.visitQueuedReason).toBe("nobody with those skills serves region Jing'an");
  });

  it("says nothing of a queue when the visit is not queued", () => {
    expect(asTheCustomerSees(staffView()).visitQueuedReason).toBe("");
  });
});

describe("a late replacement as its customer reads it (ADR 030, twenty-eighth-session addendum)", () => {
  it("says late since when and by when, not which of the clerks' steps nor who was warned", () => {
    const late = { since: "2026-12-07T09:00:00.000Z", dueAt: "2026-12-07T08:00:00.000Z", level: 2, responsibleRole: "warehouse-clerk", escalatedToRole: "store-manager", step: "pack" };
    const desk = staffView({ kind: "exchange", status: "accepted", replacementStatus: "reserved", replacementLate: late });
    expect(asTheCustomerSees(desk).replacementLate).toEqual({ since: late.since, dueAt: late.dueAt, level: 0, responsibleRole: "", escalatedToRole: "", step: "" });
    expect(desk.replacementLate?.step).toBe("pack");
  });
});
