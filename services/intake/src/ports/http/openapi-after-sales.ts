import { permissions, type GatewayAction } from "../../domain/permissions.ts";
import {
  AcceptCaseSchema,
  AfterSalesPolicySchema,
  AnswerComplaintSchema,
  CaseReportQuerySchema,
  CaseReportSchema,
  CaseViewQuerySchema,
  CaseViewSchema,
  DeclineCaseSchema,
  FileCarrierClaimSchema,
  OpenCaseSchema,
  PolicyViewSchema,
  RejectCarrierClaimSchema,
  RejectVisitSchema,
  ResolveCaseSchema,
  SatisfactionSchema,
  SatisfactionViewSchema,
  SettleCarrierClaimSchema,
  SettleRefundShortfallSchema,
} from "./after-sales-schemas.ts";
import { CaseDisclosureListSchema, ShowingsPageQuerySchema } from "./disclosure-schemas.ts";
import { body, common, forbidden, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";

/** Request examples of the after-sales operations. */
export const afterSalesExamples = {
  policy: {
    warrantyDays: 365,
    returnDays: 7,
    complaintResponseHours: 24,
    kinds: ["repair", "maintenance", "return", "exchange", "complaint"],
    process: "Call the store or write to us with your order number; we answer within a day.",
    liability: "Damage from misuse or wear is not covered; carrier damage is claimed by us.",
  },
  open: { caseId: "cs-wang-2026-12-06-017", kind: "return", channel: "phone", description: "The kettle leaks at the base.", lines: [{ sku: "KETTLE-1L7", quantity: 1 }] },
  acceptance: { assigneeStaffId: "staff-zhou-hui", note: "Collect the kettle on Tuesday" },
  decline: { explanation: "The seal was cut: damage from misuse is not covered (policy, liability)." },
  answer: { answer: "We are sorry; a replacement leaves tomorrow and the delivery fee is refunded." },
  resolution: { resolution: "Kettle taken back, price refunded", cause: "packaging", refundMinor: 12_900 },
  settlement: { reference: "FIN-2026-0042", note: "Rest paid by bank transfer on 9 December." },
  carrierClaim: { carrier: "SF Express", carrierReference: "SF1234567890", amountMinor: 12_900 },
  carrierSettlement: { recoveredMinor: 9_000 },
  carrierRejection: { reason: "Packed without padding: the carrier's terms exclude it." },
  visitRejection: { reason: "It heated for a day and stopped again.", round: 0 },
  satisfaction: { score: 4, comment: "Fast delivery; the box was dented.", channel: "online" },
};

const unavailable = problem("After-sales cannot answer now (retry after Retry-After).");
const caseIdParameter = {
  name: "caseId",
  in: "path",
  required: true,
  description: "The id the case was opened under; URL-encoded.",
  schema: { type: "string", maxLength: 200 },
  example: afterSalesExamples.open.caseId,
};
const who = (action: GatewayAction) => permissions[action].who;

/** A step of a case's claim against the carrier (ADR 017, carrier-claim addendum), asked of AfterSalesCommands as the caller. */
const carrierClaimStep = (operationId: string, action: GatewayAction, summary: string, description: string, requestBody: object, badRequest: string, conflict: string) => ({
  post: {
    operationId,
    summary,
    description: `${description} Who: ${who(action)}.`,
    parameters: [caseIdParameter, ...common],
    requestBody,
    responses: {
      "200": ok("The case with its claim as it now stands.", "AfterSalesCase"),
      "400": problem(badRequest),
      "403": forbidden(`${who(action)}, or a case of a store not yours`),
      "404": problem("No such case."),
      "409": problem(conflict),
      "503": unavailable,
    },
  },
});

/** A step on an open case by customer service, asked of AfterSalesCommands as the caller. */
const caseStep = (operationId: string, summary: string, description: string, requestBody: object, badRequest: string, conflict: string) => ({
  post: {
    operationId,
    summary,
    description: `${description} Who: ${who("decide-after-sales-case")}.`,
    parameters: [caseIdParameter, ...common],
    requestBody,
    responses: {
      "200": ok("The case after the step.", "AfterSalesCase"),
      "400": problem(badRequest),
      "403": forbidden(who("decide-after-sales-case")),
      "404": problem("No such case."),
      "409": problem(conflict),
      "503": unavailable,
    },
  },
});

/** The stores' after-sales policies and the cases judged against them (ADR 017). */
export function afterSalesPaths() {
  return {
    "/v1/stores/{storeId}/after-sales-policy": {
      get: {
        operationId: "getAfterSalesPolicy",
        summary: "A store's published after-sales policy",
        description: "Warranty and return periods, the kinds of request taken, the complaint response time, the process and liability. Anyone may read it.",
        parameters: storeParameters,
        responses: { "200": ok("The store's policy, or the chain's defaults (updatedAt empty).", "AfterSalesPolicyView"), "503": unavailable },
      },
      put: {
        operationId: "setAfterSalesPolicy",
        summary: "Publish a store's after-sales policy",
        description: `Requests opened from now on are judged against it. Who: ${who("set-after-sales-policy")}.`,
        parameters: storeParameters,
        requestBody: body("AfterSalesPolicy", afterSalesExamples.policy),
        responses: {
          "200": ok("The policy as published.", "AfterSalesPolicyView"),
          "400": problem("Wrong fields, one message each."),
          "403": forbidden(who("set-after-sales-policy")),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/after-sales-cases": {
      post: {
        operationId: "openAfterSalesCase",
        summary: "Ask for a repair, maintenance, a return, an exchange, or complain",
        description:
          "The request is checked against the store's policy as it is opened and recorded either way: outside it (a period ended, a kind the store " +
          "does not take) it is declined at once and policyNote says why. Goods not delivered yet cannot be returned, exchanged or repaired: " +
          "refused with 409 and nothing recorded (ask again once delivered). A complaint is due an answer within the policy's " +
          "response hours. It carries your own caseId: a retry with the same id opens nothing more and answers the case as it now stands. " +
          `Who: ${who("open-after-sales-case")}; a customer for their own order only, and online: a call, an e-mail or a counter visit ` +
          "(phone, email, store-counter) is customer service's to record for them (ADR 017, twenty-sixth-session addendum). The answer to a customer " +
          "names staff as GET /v1/after-sales-cases/{caseId} does.",
        parameters: orderParameters,
        requestBody: body("AfterSalesCaseRequest", afterSalesExamples.open),
        responses: {
          "201": ok("Opened (or declined by the policy, with the reason).", "AfterSalesCase"),
          "400": problem("Wrong fields, one message each; a line not on the order or more than was ordered; a customer's own case on a channel other than online (channel named)."),
          "403": forbidden(`${who("open-after-sales-case")}, or the order is another customer's, or the customer does not say who they are (after-sales.customer-unknown)`),
          "404": problem("After-sales knows no such order."),
          "409": problem("The caseId already names another case (after-sales.case-id-reused), or the goods are not delivered yet (after-sales.not-delivered-yet)."),
          "503": unavailable,
        },
      },
    },
    "/v1/after-sales-cases/{caseId}": {
      get: {
        operationId: "getAfterSalesCase",
        summary: "A case and what became of it",
        description:
          `The description, sealed at rest, is opened for the caller and the showing logged (GET …/disclosures). Who: ${who("view-after-sales-case")}; ` +
          "a customer for their own order's cases only, and for the case of an order placed without an account only naming that order (`orderId`, their receipt): " +
          "a case's id is chosen by whoever opened it, so it proves nothing. A customer is shown no member of staff by their id (ADR 017, " +
          "twenty-sixth-session addendum): openedBy, decidedBy, resolvedBy, visitDoneBy, each round's reportedBy and rejectedBy and a short refund's " +
          "settledBy read \"customer\", \"store\" or \"system\" (the policy declining it); assigneeStaffId, visitStaffId and a visit exception's " +
          "staffId are empty; a short refund's settledNote (finance's words to itself) is empty, its settledReference shown. Staff are shown them all.",
        parameters: [caseIdParameter, ...queryParametersOf(CaseViewQuerySchema), ...common],
        responses: {
          "200": ok("The case.", "AfterSalesCase"),
          "400": problem("A query parameter is malformed or unknown."),
          "403": forbidden(`${who("view-after-sales-case")}, or (to staff) a case of a store not yours`),
          "404": problem("No such case — or, to a customer, a case of another account's order, or a guest order's case asked for without its order's id (answered as unknown, so a guessed id learns nothing)."),
          "503": unavailable,
        },
      },
    },
    "/v1/after-sales-cases/{caseId}/disclosures": {
      get: {
        operationId: "listCaseDisclosures",
        summary: "Who was shown the case's description, and when",
        description:
          "The case's description is the customer's own words, sealed at rest (ADR 017); after-sales logs every view that opens it — the case, " +
          "the desk's lists, a decision's answer — naming who, their role, the field, when and the request, in an append-only log. This is that log, " +
          `oldest first, a page at a time (nextPageToken continues it, absent on the last page); never the words. Sent with Cache-Control: no-store. Who: ${who("list-case-disclosures")}.`,
        parameters: [caseIdParameter, ...queryParametersOf(ShowingsPageQuerySchema), ...common],
        responses: {
          "200": ok("A page of the showings.", "CaseDisclosureList"),
          "400": problem("A pageSize outside 1 to 1,000, or a pageToken this log did not give."),
          "403": forbidden(who("list-case-disclosures")),
          "404": problem("No such case (after-sales.case-not-found)."),
          "503": unavailable,
        },
      },
    },
    "/v1/after-sales-cases/{caseId}/acceptance": caseStep(
      "acceptAfterSalesCase",
      "Take an open case on, naming who handles it",
      "The case becomes accepted.",
      body("AfterSalesCaseAcceptance", afterSalesExamples.acceptance),
      "No assigneeStaffId, or a note over 2,000 characters.",
      "The case is not open (code after-sales.case-not-open).",
    ),
    "/v1/after-sales-cases/{caseId}/decline": caseStep(
      "declineAfterSalesCase",
      "Decline an open case, explaining why",
      "The customer is told the explanation.",
      body("AfterSalesCaseDecline", afterSalesExamples.decline),
      "No explanation.",
      "The case is not open.",
    ),
    "/v1/after-sales-cases/{caseId}/answer": caseStep(
      "answerComplaint",
      "Answer a complaint",
      "Due within the policy's response hours from its opening; an answer after them is recorded as late, and an unanswered complaint is escalated to the store manager.",
      body("ComplaintAnswer", afterSalesExamples.answer),
      "No answer.",
      "The case is not a complaint, was already answered, or was declined.",
    ),
    "/v1/after-sales-cases/{caseId}/resolution": caseStep(
      "resolveAfterSalesCase",
      "Resolve an accepted case: what was done, why it happened, money going back",
      "Money going back is refunded by billing once, under the case's id, the way it was paid and never beyond what the order paid.",
      body("AfterSalesCaseResolution", afterSalesExamples.resolution),
      "No resolution, an unknown cause, or a refund beyond the order's total less its other cases' refunds.",
      "The case is not accepted, or is a complaint not yet answered.",
    ),
    "/v1/after-sales-cases/{caseId}/refund-shortfall/settlement": {
      post: {
        operationId: "settleRefundShortfall",
        summary: "Finance settled the rest of a refund that fell short, by hand",
        description:
          "Finance paid what billing could not (a refund of its own, a bank transfer, a voucher) and names its reference: the case keeps it " +
          "with the note and leaves the worklist (refundShortfall=true), and RefundShortfallSettled is announced. The same reference again " +
          `(a retry) answers the case as it stands. Who: ${who("settle-refund-shortfall")}.`,
        parameters: [caseIdParameter, ...common],
        requestBody: body("RefundShortfallSettlement", afterSalesExamples.settlement),
        responses: {
          "200": ok("The case with its shortfall settled.", "AfterSalesCase"),
          "400": problem("No reference, a reference over 100 characters or a note over 500."),
          "403": forbidden(`${who("settle-refund-shortfall")}, or a case of a store not yours`),
          "404": problem("No such case."),
          "409": problem("The case has no refund shortfall (after-sales.no-refund-shortfall), or it was settled under another reference (after-sales.shortfall-already-settled)."),
          "503": unavailable,
        },
      },
    },
    "/v1/after-sales-cases/{caseId}/carrier-claim": carrierClaimStep(
      "fileCarrierClaim",
      "file-carrier-claim",
      "Claim back from the carrier the damage it caused",
      'A case resolved with cause "carrier" is claimed against the carrier, once: the carrier, its reference when known, and the amount ' +
        "(at most the order's total less what its other cases claimed). CarrierClaimFiled is announced; the same filing again by the same " +
        "caller (a retry) answers the case as it stands. A filed claim shows when it is to be chased (30 days on).",
      body("CarrierClaimFiling", afterSalesExamples.carrierClaim),
      "No carrier, a carrier or reference over 100 characters, or an amount of 0 or beyond the order's total less its other cases' claims.",
      'The case is not resolved (after-sales.case-not-resolved), was resolved with another cause than "carrier" (after-sales.cause-not-carrier), or has a claim already (after-sales.carrier-claim-already-filed).',
    ),
    "/v1/after-sales-cases/{caseId}/carrier-claim/settlement": carrierClaimStep(
      "settleCarrierClaim",
      "answer-carrier-claim",
      "The carrier paid the claim, in full or in part",
      "What the carrier paid (more than 0, at most what was claimed) is kept on the claim and counted in the report as recovered; " +
        "CarrierClaimSettled is announced. The same settlement again by the same caller answers the case as it stands. Finance is answered " +
        "without the customer's description. Billing books nothing of it: finance records the money received in its own books.",
      body("CarrierClaimSettlement", afterSalesExamples.carrierSettlement),
      "No recoveredMinor, 0, or more than was claimed.",
      "The case has no claim (after-sales.no-carrier-claim), or the carrier's answer was recorded already (after-sales.carrier-claim-closed).",
    ),
    "/v1/after-sales-cases/{caseId}/visit-rejection": {
      post: {
        operationId: "rejectAfterSalesVisit",
        summary: "The repair did not fix it: the visit goes back for rework",
        description:
          "After a repair or maintenance visit's report (the case's visitStatus done) and while the case is not resolved, the customer rejects it with " +
          "their reason within the acceptance period after the report (AFTERSALES_VISIT_ACCEPTANCE_HOURS, 72 by default): the visit goes back for a new " +
          "round (visitStatus rework, visitRound one more), dispatch reopens its task — the technician who did it offered it first — and a new " +
          "appointment and report follow. The reason is the customer's words: sealed at rest and in VisitRejected, opened for the case's viewers " +
          "(each showing logged). The body names the round whose report it rejects (`round`, the case's visitRound while visitStatus is done): the same " +
          "rejection of that round again by the same caller answers the case as it stands however far the next round went, so a retry never throws away a " +
          "later round's report. Without `round` (older callers) the report in now is rejected, except that the same reason by the same caller as the " +
          "rejection that opened the round under way is taken as that rejection again. Customers see who rejected a round only as \"customer\" or \"store\". A customer rejects on their own order's " +
          "cases only, a guest order's naming the order (`orderId`), as for reading the case. " +
          `Who: ${who("reject-after-sales-visit")}.`,
        parameters: [caseIdParameter, ...queryParametersOf(CaseViewQuerySchema), ...common],
        requestBody: body("VisitRejection", afterSalesExamples.visitRejection),
        responses: {
          "200": ok("The case with its visit in rework.", "AfterSalesCase"),
          "400": problem("No reason, or one over 2,000 characters; a round that is no whole number from 0 to 2,147,483,647 (the contract's int32)."),
          "403": forbidden(`${who("reject-after-sales-visit")}, or (to staff) a case of a store not yours`),
          "404": problem("No such case — or, to a customer, a case of another account's order (answered as unknown)."),
          "409": problem(
            "The case has no visit (after-sales.no-visit), is resolved (after-sales.case-resolved; a retry of a rejection recorded before it was answers as it stands), its visit has no report yet (after-sales.visit-not-reported), " +
              "the round named has no report (yet) (after-sales.visit-not-reported), the round's report was rejected already while the next round's is awaited (after-sales.visit-already-rejected), " +
              "the round's report was rejected and a later round's report superseded it (after-sales.visit-report-superseded), or the acceptance period after the report ended (after-sales.acceptance-period-over).",
          ),
          "503": unavailable,
        },
      },
    },
    "/v1/after-sales-cases/{caseId}/carrier-claim/rejection": carrierClaimStep(
      "rejectCarrierClaim",
      "answer-carrier-claim",
      "The carrier refused the claim",
      "The carrier's reason is kept on the claim; CarrierClaimRejected is announced. The same rejection again by the same caller answers the case as it stands.",
      body("CarrierClaimRejection", afterSalesExamples.carrierRejection),
      "No reason, or one over 2,000 characters.",
      "The case has no claim (after-sales.no-carrier-claim), or the carrier's answer was recorded already (after-sales.carrier-claim-closed).",
    ),
    "/v1/orders/{orderId}/satisfaction": {
      post: {
        operationId: "recordSatisfaction",
        summary: "How satisfied the customer is with an order that reached them",
        description:
          "Once per order, after delivery: the customer answers online, or customer service records what the customer said on a follow-up " +
          "call. The same answer again (a retry) answers it as recorded. Counted in the store's after-sales report. " +
          `Who: ${who("record-satisfaction")}; a customer for their own order only.`,
        parameters: orderParameters,
        requestBody: body("Satisfaction", afterSalesExamples.satisfaction),
        responses: {
          "201": ok("Recorded (or recorded already, as it was).", "SatisfactionView"),
          "400": problem("A score outside 1–5, a comment over 2,000 characters, or the channel not the caller's (a customer answers online)."),
          "403": forbidden(`${who("record-satisfaction")}, or the order is another customer's`),
          "404": problem("After-sales knows no such order."),
          "409": problem("The order was rated already (after-sales.satisfaction-recorded), or has not reached the customer yet (after-sales.not-delivered-yet)."),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/after-sales-report": {
      get: {
        operationId: "getAfterSalesReport",
        summary: "Common problems and complaint hot spots of a store over a period",
        description: `Cases opened in the period by kind, resolved ones by cause, the goods most asked about, complaints answered in time, late or not at all. Who: ${who("view-after-sales-report")}.`,
        parameters: [storeParameters[0], ...queryParametersOf(CaseReportQuerySchema), ...common],
        responses: {
          "200": ok("The report.", "AfterSalesReport"),
          "400": problem("No period, until not after from, or a period over 366 days."),
          "403": forbidden(who("view-after-sales-report")),
          "503": unavailable,
        },
      },
    },
  };
}

export const afterSalesSchemas = () => ({
  AfterSalesPolicy: jsonSchemaOf(AfterSalesPolicySchema, "input"),
  AfterSalesPolicyView: jsonSchemaOf(PolicyViewSchema, "output"),
  AfterSalesCaseRequest: jsonSchemaOf(OpenCaseSchema, "input"),
  AfterSalesCaseAcceptance: jsonSchemaOf(AcceptCaseSchema, "input"),
  AfterSalesCaseDecline: jsonSchemaOf(DeclineCaseSchema, "input"),
  ComplaintAnswer: jsonSchemaOf(AnswerComplaintSchema, "input"),
  AfterSalesCaseResolution: jsonSchemaOf(ResolveCaseSchema, "input"),
  AfterSalesCase: jsonSchemaOf(CaseViewSchema, "output"),
  AfterSalesReport: jsonSchemaOf(CaseReportSchema, "output"),
  CarrierClaimFiling: jsonSchemaOf(FileCarrierClaimSchema, "input"),
  CarrierClaimRejection: jsonSchemaOf(RejectCarrierClaimSchema, "input"),
  VisitRejection: jsonSchemaOf(RejectVisitSchema, "input"),
  CarrierClaimSettlement: jsonSchemaOf(SettleCarrierClaimSchema, "input"),
  CaseDisclosureList: jsonSchemaOf(CaseDisclosureListSchema, "output"),
  RefundShortfallSettlement: jsonSchemaOf(SettleRefundShortfallSchema, "input"),
  Satisfaction: jsonSchemaOf(SatisfactionSchema, "input"),
  SatisfactionView: jsonSchemaOf(SatisfactionViewSchema, "output"),
});
