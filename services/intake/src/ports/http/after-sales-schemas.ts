import { z } from "zod";
import { nextPageTokenSchema } from "./disclosure-schemas.ts";
import { dateTime, minor, optionalText, pageToken, queryInt, refuseRepeats, text } from "./schema-primitives.ts";

/** Paths, bodies and answers of after-sales: the stores' published policies and the cases judged against them (ADR 017). */

export const caseKinds = ["repair", "maintenance", "return", "exchange", "complaint"] as const;
export const caseChannels = ["phone", "email", "online", "store-counter"] as const;
export const caseStatuses = ["open", "accepted", "declined", "resolved"] as const;
export const caseCauses = ["packaging", "carrier", "product", "service", "customer", "other"] as const;

// After-sales' own bounds: an id of at most 200 characters, texts of at most 2,000.
const caseId = text(200);
const words = (description: string) => text(2_000).meta({ description });

export const CaseIdParamsSchema = z.strictObject({ caseId });

/** A customer reading a guest order's case proves it is theirs with the order's id, their receipt (ADR 017's guest addendum). */
export const CaseViewQuerySchema = z.strictObject({
  orderId: text(64).optional().meta({ description: "The case's order id: required of a customer reading the case of a guest order (one placed without an account)." }),
});

export const AfterSalesPolicySchema = z
  .strictObject({
    warrantyDays: z.int().min(0).max(3_650).meta({ description: "Days from delivery within which repairs and maintenance are covered." }),
    returnDays: z.int().min(0).max(3_650).meta({ description: "Days from delivery within which goods may be returned or exchanged." }),
    complaintResponseHours: z.int().min(1).max(720).meta({ description: "Hours within which a complaint is answered; then it is escalated to the store manager." }),
    kinds: z
      .array(z.enum(caseKinds))
      .min(1)
      .superRefine((kinds, context) => refuseRepeats(kinds, (i) => [i], "list", context))
      .meta({ description: "The kinds of request the store takes." }),
    process: words("How a request is handled: published to customers."),
    liability: words("Who is liable for what (misuse, wear, carrier damage): published to customers."),
  })
  .meta({ title: "AfterSalesPolicy" });

export const OpenCaseSchema = z
  .strictObject({
    caseId: caseId.meta({
      description:
        "Your own id of this case, unique in after-sales: a retry with the same id opens nothing more and answers the case as it now stands; " +
        "the same id for another order, kind or content is refused (409).",
    }),
    kind: z.enum(caseKinds),
    channel: z.enum(caseChannels).meta({ description: "How the request came: customer service records calls, e-mails and counter visits (phone, email, store-counter) and may record online; a customer's own case is online, any other channel is refused (400)." }),
    description: words("What the customer asks, in their words."),
    lines: z
      .array(z.strictObject({ sku: text(64), quantity: z.int().min(1).max(10_000) }))
      .max(100)
      .default([])
      .superRefine((lines, context) => refuseRepeats(lines.map((l) => l.sku), (i) => [i, "sku"], "case", context))
      .meta({ description: "The goods concerned (a return, an exchange, a repair): each must be on the order, at most as many as were ordered." }),
  })
  .meta({ title: "AfterSalesCaseRequest" });

export const AcceptCaseSchema = z
  .strictObject({
    assigneeStaffId: text(64).meta({ description: "Who handles it: a technician for a repair, an agent for a complaint." }),
    note: optionalText(2_000),
  })
  .meta({ title: "AfterSalesCaseAcceptance" });

export const DeclineCaseSchema = z
  .strictObject({ explanation: words("Why the case is declined (liability, misuse); the customer is told.") })
  .meta({ title: "AfterSalesCaseDecline" });

export const AnswerComplaintSchema = z.strictObject({ answer: words("The answer the customer is given.") }).meta({ title: "ComplaintAnswer" });

export const ResolveCaseSchema = z
  .strictObject({
    resolution: words("What was done."),
    cause: z.enum(caseCauses).meta({ description: "Why it happened: packaging to improve, a carrier to claim from, a product defect, the service, the customer." }),
    refundMinor: minor()
      .optional()
      .meta({ description: "Money going back to the customer, in minor units (0 when absent): at most the order's total less what its other cases gave back. Billing refunds it once." }),
  })
  .meta({ title: "AfterSalesCaseResolution" });

export const SettleRefundShortfallSchema = z
  .strictObject({
    reference: text(100).meta({ description: "Finance's reference for how the rest went back: its own refund, a bank transfer, a voucher." }),
    note: optionalText(500),
  })
  .meta({ title: "RefundShortfallSettlement" });

export const FileCarrierClaimSchema = z
  .strictObject({
    carrier: text(100).meta({ description: "Who carried the damaged goods (after-sales does not know the order's shipment, so it is named here)." }),
    carrierReference: optionalText(100).meta({ description: "The carrier's reference or tracking number, when known." }),
    amountMinor: z
      .int()
      .min(1)
      .max(100_000_000_000)
      .meta({ description: "What is claimed, in minor units of the order's currency: more than 0, at most the order's total less what its other cases claimed (claims the carrier rejected not counted)." }),
  })
  .meta({ title: "CarrierClaimFiling" });

export const SettleCarrierClaimSchema = z
  .strictObject({
    recoveredMinor: z.int().min(1).max(100_000_000_000).meta({ description: "What the carrier paid, in minor units: more than 0, at most what was claimed (a partial settlement is fine)." }),
  })
  .meta({ title: "CarrierClaimSettlement" });

export const RejectCarrierClaimSchema = z.strictObject({ reason: words("The carrier's reason for refusing the claim.") }).meta({ title: "CarrierClaimRejection" });

export const RejectVisitSchema = z
  .strictObject({
    reason: words("Why the repair did not fix it, in the customer's words; sealed at rest and on the topic."),
    round: z
      .int32()
      .min(0)
      .optional()
      .meta({
        description:
          "The round whose report is rejected, as read on the case (visitRound while visitStatus is done). A retry of a rejection already recorded for it answers the case as it stands, " +
          "however far the next round went; a round whose report a later round's report superseded is refused (409 after-sales.visit-report-superseded). " +
          "Absent: the report in now — except that the same reason by the same caller as the rejection that opened the round under way is taken as that rejection again.",
      }),
  })
  .meta({ title: "VisitRejection" });

export const SatisfactionSchema = z
  .strictObject({
    score: z.int().min(1).max(5).meta({ description: "1 (very dissatisfied) to 5 (very satisfied)." }),
    comment: optionalText(2_000),
    channel: z
      .enum(["online", "follow-up-call"])
      .meta({ description: "online: the customer answers; follow-up-call: customer service records what the customer said on a call." }),
  })
  .meta({ title: "Satisfaction" });

export const SatisfactionViewSchema = z
  .object({
    orderId: z.string(),
    storeId: z.string(),
    score: z.int(),
    comment: z.string(),
    channel: z.string(),
    recordedBy: z.string().meta({ description: '"kind:id" of who recorded it.' }),
    recordedAt: z.string(),
  })
  .meta({ title: "SatisfactionView", description: "How satisfied the customer is with the order; once per order." });

export const ListCasesQuerySchema = z
  .strictObject({
    storeId: text(64).optional(),
    orderId: text(64).optional(),
    status: z.enum(caseStatuses).optional(),
    kind: z.enum(caseKinds).optional(),
    pageSize: queryInt(1, 500).optional().meta({ description: "At most this many cases on the page, 1 to 500, 100 when absent." }),
    pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same filters)." }),
    limit: queryInt(1, 500)
      .optional()
      .meta({ description: "pageSize's name before the list was paged, kept for callers built then: give one of the two. The page it sizes ends with a nextPageToken as any." }),
    refundShortfall: z
      .enum(["true", "false"])
      .optional()
      .meta({ description: "true: only cases whose refund fell short (billing refunded less than they named), the worklist of customer service and finance; storeId may then be left out (every store's, for staff working chain-wide)." }),
    replacementLate: z
      .enum(["true", "false"])
      .optional()
      .meta({ description: "true: only exchanges whose replacement is late to ship now (replacementLate present), the longest overdue first: the desk's replacements to chase (ADR 030, sixth addendum). Needs storeId or orderId." }),
    inRework: z
      .enum(["true", "false"])
      .optional()
      .meta({ description: "true: only repairs and maintenance whose visit is in rework now — the customer rejected a report and the new round's is still to come (visitRound above 0, visitStatus neither done nor called-off): the desk's visits to follow (ADR 025, twenty-sixth-session addendum). Needs storeId or orderId." }),
  })
  .refine((query) => query.storeId !== undefined || query.orderId !== undefined || (query.refundShortfall === "true" && query.replacementLate !== "true" && query.inRework !== "true"), {
    path: ["storeId"],
    message: "is required unless orderId is given or refundShortfall is true (and neither replacementLate nor inRework is)",
  });

const carrierClaimStatuses = ["filed", "settled", "rejected"] as const;

// A claim against the carrier (ADR 017, carrier-claim addendum), on the case and in the store's list of claims.
const CarrierClaimViewSchema = z.object({
  status: z.enum(carrierClaimStatuses),
  carrier: z.string(),
  carrierReference: z.string(),
  claimedMinor: z.int(),
  currency: z.string(),
  filedAt: z.string(),
  filedBy: z.string().meta({ description: '"kind:id" of who filed it.' }),
  followUpBy: z.string().meta({ description: "While filed: when the claim is to be chased with the carrier (30 days after filing); empty once it is settled or rejected." }),
  recoveredMinor: z.int().meta({ description: "Settled: what the carrier paid; 0 otherwise." }),
  rejectionReason: z.string().meta({ description: "Rejected: the carrier's reason; empty otherwise." }),
  closedAt: z.string().meta({ description: "When the settlement or rejection was recorded; empty while filed." }),
  closedBy: z.string(),
});

export const CarrierClaimsQuerySchema = z
  .strictObject({
    status: z.enum(carrierClaimStatuses).optional().meta({ description: "Only claims in this status; all when absent." }),
    overdueOnly: z
      .enum(["true", "false"])
      .optional()
      .meta({ description: "true: only claims still filed whose follow-up date (30 days after filing) has come, the carrier to be chased." }),
    pageSize: queryInt(1, 500).optional().meta({ description: "At most this many claims on the page, 1 to 500, 100 when absent." }),
    pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same filters)." }),
    limit: queryInt(1, 500)
      .optional()
      .meta({ description: "pageSize's name before the list was paged, kept for callers built then: give one of the two. The page it sizes ends with a nextPageToken as any." }),
  })
  .refine((query) => query.overdueOnly !== "true" || query.status === undefined || query.status === "filed", {
    path: ["status"],
    message: "only a filed claim is overdue: leave status out, or filed, with overdueOnly=true",
  });

export const CarrierClaimListSchema = z
  .object({
    claims: z.array(
      z.object({
        caseId: z.string(),
        orderId: z.string(),
        storeId: z.string(),
        claim: CarrierClaimViewSchema,
        overdue: z.boolean().meta({ description: "Still filed and past its follow-up date: the carrier is to be chased." }),
      }),
    ),
    nextPageToken: nextPageTokenSchema,
  })
  .meta({ title: "CarrierClaimList" });

export const CaseReportQuerySchema = z.strictObject({
  from: dateTime.meta({ description: "Start of the period the cases were opened in (RFC 3339)." }),
  until: dateTime.meta({ description: "End of the period (RFC 3339), after from; at most 366 days after it." }),
});

const CaseLineView = z.object({ sku: z.string(), quantity: z.int() });

/** A "kind:id" field of the case view, as staff and as a customer read it (ADR 017, twenty-sixth-session addendum). */
const byMeta = (who: string) => `${who}: to staff "kind:id"; to a customer only in kind, "customer", "store" for any staff or "system" for the policy; empty for a step nobody took.`;

export const CaseViewSchema = z
  .object({
    caseId: z.string(),
    orderId: z.string(),
    storeId: z.string(),
    kind: z.enum(caseKinds),
    channel: z.string(),
    description: z.string().meta({ description: "The customer's words, kept sealed and opened for the after-sales desk and the customer; empty for finance (the worklist and a settlement's answer)." }),
    lines: z.array(CaseLineView),
    status: z.enum(caseStatuses),
    openedBy: z.string().meta({ description: byMeta('Who opened it') }),
    openedAt: z.string(),
    withinPolicy: z.boolean().meta({ description: "Whether the request was within the store's policy when it was opened; if not, policyNote says why and the case was declined." }),
    policyNote: z.string(),
    assigneeStaffId: z.string().meta({ description: "Who handles it (staff); empty to a customer, whom the status tells whether someone has it." }),
    decidedBy: z.string().meta({ description: byMeta('Who accepted or declined it ("system:after-sales" for the policy)') }),
    decidedAt: z.string(),
    decisionNote: z.string(),
    respondBy: z.string().meta({ description: "Complaints: the answer is due by then." }),
    answeredAt: z.string(),
    answer: z.string(),
    escalated: z.boolean(),
    resolution: z.string(),
    cause: z.string(),
    refundMinor: z.int().meta({ description: "The money the resolution named to go back (minor units)." }),
    refundedMinor: z.int().meta({ description: "What billing refunded for the case so far, each refund counted once (minor units)." }),
    refundShortfall: z
      .object({
        requestedMinor: z.int(),
        refundedMinor: z.int(),
        reason: z.string().meta({ description: 'Billing\'s: "nothing paid on the order yet", "already refunded: …", "paid less than the case names: …".' }),
        at: z.string(),
        settledAt: z.string().meta({ description: "When finance settled the rest by hand; empty while it has not (the case is on the worklist until then)." }),
        settledBy: z.string().meta({ description: byMeta('Who settled it; empty while not settled') }),
        settledReference: z.string().meta({ description: "Finance's reference for how the rest went back (its refund, a bank transfer, a voucher); empty while not settled." }),
        settledNote: z.string().meta({ description: "Finance's note on the settlement; empty to the customer." }),
      })
      .optional()
      .meta({ description: "Present only when billing said it refunded less than the case named: finance settles the rest by hand (POST /v1/after-sales-cases/{caseId}/refund-shortfall/settlement)." }),
    resolvedBy: z.string().meta({ description: byMeta('Who resolved it') }),
    resolvedAt: z.string(),
    goodsRestocked: z.int().meta({ description: "Returns and exchanges: units the warehouse received back fit to sell, over every receipt (ADR 021)." }),
    goodsWrittenOff: z.int().meta({ description: "Units received back damaged or unsellable, written off." }),
    goodsOutstanding: z.int().meta({ description: "Units of an accepted return or exchange not back yet: named less restocked and written off, called-off units included (goodsCalledOffAt says the store stopped expecting them); 0 for other cases." }),
    goodsReceivedAt: z.string().meta({ description: "When the last receipt of its goods came in; empty while none has." }),
    goodsCalledOffAt: z.string().meta({ description: "When the store stopped expecting the goods not yet back (POST /v1/returns/{caseId}/call-off); empty while it has not." }),
    goodsCalledOffReason: z.string().meta({ description: "Why they will not come (the customer kept them, the parcel was lost): the desk's words, kept sealed and opened, as the description, for the after-sales desk and the customer (each showing logged); empty for finance and while not called off." }),
    replacementStatus: z
      .enum(["", "reserved", "awaiting-stock", "shipped", "called-off"])
      .meta({ description: "Exchanges: the replacement the store sends (ADR 030), as the warehouse announced it; empty before it did, and for other cases." }),
    replacementCarrier: z.string().meta({ description: "The carrier that took the replacement; empty until it shipped." }),
    replacementTrackingNumber: z.string().meta({ description: "The replacement's tracking number; empty until it shipped." }),
    replacementAt: z.string().meta({ description: "When the replacement reached its status." }),
    replacementExpectedRestockDate: z.string().meta({
      description:
        'While the replacement is "awaiting-stock": the day it can be expected (YYYY-MM-DD), the latest of the restock dates the warehouse named for the SKUs it is short of, since it ships whole; empty when any of those dates is unknown, and once it is reserved, shipped or called off.',
    }),
    replacementStoreId: z.string().meta({
      description:
        "The store the replacement ships from: the order's, or the store the desk sent it from instead (ADR 030, third addendum); the goods coming back still go to the order's store. Empty while the case has no replacement.",
    }),
    replacementPickedAt: z.string().meta({ description: "When a clerk picked the replacement at the store it ships from (ADR 030, seventh addendum); empty before, and again once moved to another store." }),
    replacementPackedAt: z.string().meta({ description: "When a clerk packed it there; empty before. Both kept once it shipped or was called off." }),
    replacementLate: z
      .object({
        since: z.string().meta({ description: "When it was first flagged late for this deadline (RFC 3339)." }),
        dueAt: z.string().meta({ description: "The deadline it missed (RFC 3339): its pick's, pack's or shipment's, or the ship-by deadline of one from before the steps." }),
        level: z.int().meta({ description: "1: the store's warehouse clerks were warned; 2: escalated to its store manager. 0 for customers." }),
        responsibleRole: z.string().meta({ description: '"warehouse-clerk"; empty for customers.' }),
        escalatedToRole: z.string().meta({ description: 'Level 2: "store-manager"; empty at level 1 and for customers.' }),
        step: z.string().meta({ description: 'The clerks\' step that is late: "pick", "pack" or "ship" ("ship" for a lateness flagged before the steps); empty for customers.' }),
      })
      .optional()
      .meta({
        description:
          'A "reserved" replacement whose pick, pack or shipment missed its deadline, as the warehouse flagged it (ADR 030, fifth and sixth addenda); absent while it is not late. Shipping, calling off or moving it clears it. The customer sees that it is late, since when and by when it was due; the escalation is the staff\'s.',
      }),
    visitTaskId: z.string().meta({ description: "Repairs and maintenance accepted: the on-site visit's task (ADR 025), worked through /v1/tasks/{taskId}/…; empty for other cases." }),
    visitStatus: z
      .enum(["", "requested", "queued", "assigned", "acknowledged", "scheduled", "on-site", "done", "rework", "called-off"])
      .meta({ description: 'Where the visit stands; "done" once its report is in, "rework" once the customer rejected it until the new round\'s report, "called-off" when the case was resolved before it; empty without a visit.' }),
    visitStaffId: z.string().meta({ description: "Who holds the visit now, or did it (staff); empty to a customer." }),
    visitAppointmentFrom: z.string(),
    visitAppointmentUntil: z.string(),
    visitDoneAt: z.string().meta({ description: "When the visit's report was submitted." }),
    visitDoneBy: z.string().meta({ description: "The technician who reported the visit (staff id); to a customer \"store\" once reported." }),
    visitSummary: z.string().meta({ description: "What was done: the visit's service record." }),
    visitQueuedReason: z.string().meta({ description: "While nobody can take the visit: why (staff); a customer reads \"waiting for a technician to be free\"." }),
    visitExceptions: z
      .array(z.object({ exceptionId: z.string(), kind: z.string(), cause: z.string(), measure: z.string(), newTime: z.string(), reportedAt: z.string(), staffId: z.string().meta({ description: "The staff member it concerns; empty to a customer." }) }))
      .meta({ description: "What went wrong on the visit (late arrival, customer not there, work below standard), oldest first." }),
    visitRound: z.int().meta({ description: "The visit's round under way: 0 until the customer rejects a report, one more each time (visitStatus rework while its report is awaited)." }),
    visitRounds: z
      .array(
        z.object({
          round: z.int(),
          reportedAt: z.string(),
          reportedBy: z.string().meta({ description: 'The technician who reported the round (staff id); to a customer "store" once reported.' }),
          summary: z.string(),
          rejectedAt: z.string(),
          rejectedBy: z.string().meta({ description: 'Who rejected the report: to staff "customer:<id>" or "staff:<id>" of the desk recording it; to a customer only who in kind, "customer" or "store".' }),
          rejectionReason: z.string().meta({ description: "The customer's words, sealed at rest: opened for the case's viewers, each showing logged." }),
        }),
      )
      .meta({ description: "Every round of the visit, oldest first: its report and, when the customer rejected it, who, when and why." }),
    carrierClaim: CarrierClaimViewSchema
      .optional()
      .meta({ description: 'Cases resolved with cause "carrier": the claim against the carrier, absent until one is filed. Not shown to customers: it is the chain\'s business with the carrier.' }),
  })
  .meta({ title: "AfterSalesCase", description: "A request and what became of it; empty strings for what has not happened." });

export const PolicyViewSchema = AfterSalesPolicySchema.extend({
  storeId: z.string(),
  updatedAt: z.string().meta({ description: "Empty while the chain's defaults apply." }),
  updatedBy: z.string(),
}).meta({ title: "AfterSalesPolicyView" });

const Count = z.object({ key: z.string(), count: z.int() });

export const CaseReportSchema = z
  .object({
    storeId: z.string(),
    from: z.string(),
    until: z.string(),
    opened: z.int(),
    declined: z.int(),
    resolved: z.int(),
    byKind: z.array(Count),
    byCause: z.array(Count).meta({ description: "Resolved cases by cause." }),
    bySku: z.array(Count).meta({ description: "The goods most asked about, most first (at most ten): the hot spots." }),
    complaints: z.int(),
    complaintsAnsweredInTime: z.int(),
    complaintsAnsweredLate: z.int(),
    complaintsUnanswered: z.int(),
    meanResponseHours: z.number(),
    satisfactionResponses: z.int().meta({ description: "Satisfaction answers recorded in the period." }),
    meanSatisfaction: z.number().meta({ description: "Their mean score, 1–5 (0 when none)." }),
    carrierClaimsFiled: z.int().meta({ description: "Claims against carriers filed in the period (by when they were filed)." }),
    carrierClaimsSettled: z.int().meta({ description: "Of those, settled by the carrier so far." }),
    carrierClaimsRejected: z.int().meta({ description: "Of those, rejected by the carrier so far." }),
    carrierClaimedMinor: z.int().meta({ description: "What those claims asked for (minor units)." }),
    carrierRecoveredMinor: z.int().meta({ description: "What the carriers paid on them so far (minor units)." }),
    replacementsLate: z.int().meta({ description: "Exchanges opened in the period whose replacement was late to ship at least once (shipped since or not)." }),
    replacementsEscalated: z.int().meta({ description: "Of those, escalated to the store manager (level 2)." }),
    visitReworkRoundsOpened: z.int().meta({ description: "Repairs and maintenance opened in the period: the rework rounds their customers' rejections of visit reports opened (ADR 025)." }),
    visitReworkRoundsCompleted: z.int().meta({ description: "Of those rounds, the ones that ended in a new report (rejected again since or not)." }),
  })
  .meta({ title: "AfterSalesReport", description: "A store's cases over a period: common problems and complaint hot spots." });
