import type { FastifyInstance, FastifyRequest } from "fastify";
import { NotFoundError } from "@oms/errors";
import type { Actor } from "@oms/contracts";
import type { AfterSalesCases } from "../../adapters/grpc-clients/after-sales.ts";
import { caseListActionFor, permissions } from "../../domain/permissions.ts";
import {
  AcceptCaseSchema,
  AfterSalesPolicySchema,
  AnswerComplaintSchema,
  CarrierClaimsQuerySchema,
  CaseIdParamsSchema,
  CaseViewQuerySchema,
  CaseReportQuerySchema,
  DeclineCaseSchema,
  FileCarrierClaimSchema,
  ListCasesQuerySchema,
  OpenCaseSchema,
  RejectCarrierClaimSchema,
  RejectVisitSchema,
  ResolveCaseSchema,
  SatisfactionSchema,
  SettleCarrierClaimSchema,
  SettleRefundShortfallSchema,
} from "./after-sales-schemas.ts";
import { ShowingsPageQuerySchema, showingsPageOf } from "./disclosure-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { noHeadOfShowings } from "./showing-routes.ts";
import { asTheCustomerSees } from "./case-as-the-customer-sees.ts";
import { orderIdOf, storeIdOf } from "./path-params.ts";
import { permittedContextOf, requestContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

export interface AfterSalesRouteDeps {
  afterSales: AfterSalesCases;
}

// The caller chose the id (ADR 015), so it is any text, sent URL-encoded; the router decodes %2F inside it.
const caseIdOf = (request: FastifyRequest) => parseOrRefuse(CaseIdParamsSchema, request.params, "caseId").caseId;

/**
 * After-sales (DOMAIN.md; ADR 017): a store's published policy, requests judged against it,
 * decided, answered and resolved by customer service, and the report of what they add up
 * to. The gateway lets through the roles of domain/permissions.ts; after-sales keeps its
 * own rules on top (whose order it is, the policy's periods and scope, each step in turn).
 */
// Only short refunds is finance's worklist too (ADR 017, addendum): asked for before the query is checked, so the permission goes first.
const refundShortfallAsked = (request: FastifyRequest) => (request.query as { refundShortfall?: unknown } | undefined)?.refundShortfall === "true";
const caseListActionOf = (request: FastifyRequest) => caseListActionFor(refundShortfallAsked(request));

export function registerAfterSalesRoutes(app: FastifyInstance, { afterSales }: AfterSalesRouteDeps): void {
  // A published policy is for anyone to read, customers first.
  app.get("/v1/stores/:storeId/after-sales-policy", async (request) => afterSales.getPolicy(storeIdOf(request), requestContextOf(request).correlationId));

  app.put("/v1/stores/:storeId/after-sales-policy", roleFirst("set-after-sales-policy"), async (request) => {
    const context = permittedContextOf(request, "set-after-sales-policy");
    const storeId = storeIdOf(request);
    const policy = parseOrRefuse(AfterSalesPolicySchema, request.body);
    return afterSales.setPolicy({ ...policy, storeId, updatedAt: "", updatedBy: "" }, context.caller, context.correlationId);
  });

  app.post("/v1/orders/:orderId/after-sales-cases", roleFirst("open-after-sales-case"), async (request, reply) => {
    const context = permittedContextOf(request, "open-after-sales-case");
    const orderId = orderIdOf(request);
    const ask = parseOrRefuse(OpenCaseSchema, request.body);
    const opened = await afterSales.openCase(orderId, context.caller, ask, context.correlationId);
    // A retry answers the case as it now stands, perhaps claimed against the carrier since: the chain's business, not the customer's.
    return reply.code(201).send(context.caller.kind === "customer" ? asTheCustomerSees(opened) : opened);
  });

  app.get("/v1/after-sales-cases", { ...noHeadOfShowings, config: { permittedFirst: caseListActionOf } }, async (request) => {
    const context = permittedContextOf(request, caseListActionOf(request));
    const refundShortfall = refundShortfallAsked(request);
    const query = parseOrRefuse(ListCasesQuerySchema, request.query, "query");
    const replacementLate = query.replacementLate === "true";
    const inRework = query.inRework === "true";
    // Unset as gRPC's empty: after-sales' default page, the first; pageSize and limit both given, after-sales refuses naming limit.
    const page = { pageSize: query.pageSize ?? 0, limit: query.limit ?? 0, pageToken: query.pageToken ?? "" };
    const filter = { storeId: query.storeId ?? "", orderId: query.orderId ?? "", status: query.status ?? "", kind: query.kind ?? "", ...page, refundShortfall, replacementLate, inRework };
    // Finance reads the worklist to settle money, not the customer's words (ADR 017, sealing addendum): only the desk is shown
    // them, each showing logged by after-sales; for anyone else they stay sealed and nothing is logged.
    const shownTo = permissions["list-after-sales-cases"].allows(context.caller) ? context.caller : undefined;
    const listed = await afterSales.listCases(filter, shownTo, context.correlationId);
    const cases = shownTo ? listed.cases : listed.cases.map((c) => ({ ...c, description: "" }));
    return { cases, ...nextPageOf(listed) };
  });

  app.get("/v1/after-sales-cases/:caseId", { ...noHeadOfShowings, ...roleFirst("view-after-sales-case") }, async (request) => {
    const context = permittedContextOf(request, "view-after-sales-case");
    const caseId = caseIdOf(request);
    // A customer's case is looked up sealed first: someone else's is refused before its words are opened and logged as shown.
    if (context.caller.kind !== "customer") return afterSales.showCase(caseId, context.caller, context.correlationId);
    const { orderId: presentedOrderId } = parseOrRefuse(CaseViewQuerySchema, request.query ?? {}, "query");
    const { orderId } = await afterSales.getCase(caseId, context.correlationId);
    await assertOwnOrder(afterSales, context.caller, { caseId, orderId, presentedOrderId }, context.correlationId);
    return asTheCustomerSees(await afterSales.showCase(caseId, context.caller, context.correlationId));
  });

  // Who was shown the case's description (ADR 017, showings addendum): a customer's "who read my complaint?". Never cached.
  app.get("/v1/after-sales-cases/:caseId/disclosures", roleFirst("list-case-disclosures"), async (request, reply) => {
    const context = permittedContextOf(request, "list-case-disclosures");
    const caseId = caseIdOf(request);
    const page = showingsPageOf(parseOrRefuse(ShowingsPageQuerySchema, request.query ?? {}, "query"));
    const logged = await afterSales.listCaseDisclosures(caseId, page, context.correlationId);
    return reply.header("cache-control", "no-store").send({ caseId: logged.caseId, disclosures: logged.disclosures, nextPageToken: logged.nextPageToken || undefined });
  });

  app.post("/v1/after-sales-cases/:caseId/acceptance", roleFirst("decide-after-sales-case"), async (request) => {
    const context = permittedContextOf(request, "decide-after-sales-case");
    const caseId = caseIdOf(request);
    const { assigneeStaffId, note } = parseOrRefuse(AcceptCaseSchema, request.body);
    return afterSales.acceptCase(caseId, context.caller, { assigneeStaffId, note: note ?? "" }, context.correlationId);
  });

  app.post("/v1/after-sales-cases/:caseId/decline", roleFirst("decide-after-sales-case"), async (request) => {
    const context = permittedContextOf(request, "decide-after-sales-case");
    const caseId = caseIdOf(request);
    const { explanation } = parseOrRefuse(DeclineCaseSchema, request.body);
    return afterSales.declineCase(caseId, context.caller, explanation, context.correlationId);
  });

  app.post("/v1/after-sales-cases/:caseId/answer", roleFirst("decide-after-sales-case"), async (request) => {
    const context = permittedContextOf(request, "decide-after-sales-case");
    const caseId = caseIdOf(request);
    const { answer } = parseOrRefuse(AnswerComplaintSchema, request.body);
    return afterSales.answerComplaint(caseId, context.caller, answer, context.correlationId);
  });

  app.post("/v1/after-sales-cases/:caseId/resolution", roleFirst("decide-after-sales-case"), async (request) => {
    const context = permittedContextOf(request, "decide-after-sales-case");
    const caseId = caseIdOf(request);
    const { resolution, cause, refundMinor } = parseOrRefuse(ResolveCaseSchema, request.body);
    return afterSales.resolveCase(caseId, context.caller, { resolution, cause, refundMinor: refundMinor ?? 0 }, context.correlationId);
  });

  // The customer says the repair did not fix it (ADR 025, rework addendum): their own case only, checked as for reading it
  // (another account's case is answered unknown before anything is written); the desk records it for them.
  app.post("/v1/after-sales-cases/:caseId/visit-rejection", roleFirst("reject-after-sales-visit"), async (request) => {
    const context = permittedContextOf(request, "reject-after-sales-visit");
    const caseId = caseIdOf(request);
    const rejection = parseOrRefuse(RejectVisitSchema, request.body);
    if (context.caller.kind !== "customer") return afterSales.rejectVisit(caseId, context.caller, rejection, context.correlationId);
    const { orderId: presentedOrderId } = parseOrRefuse(CaseViewQuerySchema, request.query ?? {}, "query");
    const { orderId } = await afterSales.getCase(caseId, context.correlationId);
    await assertOwnOrder(afterSales, context.caller, { caseId, orderId, presentedOrderId }, context.correlationId);
    return asTheCustomerSees(await afterSales.rejectVisit(caseId, context.caller, rejection, context.correlationId));
  });

  // Finance paid the rest of a short refund by hand (ADR 017, addendum): the case leaves the worklist.
  app.post("/v1/after-sales-cases/:caseId/refund-shortfall/settlement", roleFirst("settle-refund-shortfall"), async (request) => {
    const context = permittedContextOf(request, "settle-refund-shortfall");
    const caseId = caseIdOf(request);
    const { reference, note } = parseOrRefuse(SettleRefundShortfallSchema, request.body);
    return afterSales.settleRefundShortfall(caseId, context.caller, { reference, note: note ?? "" }, context.correlationId);
  });

  // Damage the carrier caused, claimed back from it (ADR 017, carrier-claim addendum); the case id is store-scoped like the others.
  app.post("/v1/after-sales-cases/:caseId/carrier-claim", roleFirst("file-carrier-claim"), async (request) => {
    const context = permittedContextOf(request, "file-carrier-claim");
    const caseId = caseIdOf(request);
    const { carrier, carrierReference, amountMinor } = parseOrRefuse(FileCarrierClaimSchema, request.body);
    return afterSales.fileCarrierClaim(caseId, context.caller, { carrier, carrierReference: carrierReference ?? "", amountMinor }, context.correlationId);
  });

  app.post("/v1/after-sales-cases/:caseId/carrier-claim/settlement", roleFirst("answer-carrier-claim"), async (request) => {
    const context = permittedContextOf(request, "answer-carrier-claim");
    const caseId = caseIdOf(request);
    const { recoveredMinor } = parseOrRefuse(SettleCarrierClaimSchema, request.body);
    return afterSales.settleCarrierClaim(caseId, context.caller, recoveredMinor, context.correlationId);
  });

  app.post("/v1/after-sales-cases/:caseId/carrier-claim/rejection", roleFirst("answer-carrier-claim"), async (request) => {
    const context = permittedContextOf(request, "answer-carrier-claim");
    const caseId = caseIdOf(request);
    const { reason } = parseOrRefuse(RejectCarrierClaimSchema, request.body);
    return afterSales.rejectCarrierClaim(caseId, context.caller, reason, context.correlationId);
  });

  // The claims to chase (ADR 017, carrier-claim addendum): the path's store holds a store-scoped caller to their stores.
  app.get("/v1/stores/:storeId/carrier-claims", roleFirst("list-carrier-claims"), async (request) => {
    const context = permittedContextOf(request, "list-carrier-claims");
    const storeId = storeIdOf(request);
    const { status, overdueOnly, limit, pageSize, pageToken } = parseOrRefuse(CarrierClaimsQuerySchema, request.query, "query");
    const page = { pageSize: pageSize ?? 0, limit: limit ?? 0, pageToken: pageToken ?? "" };
    const listed = await afterSales.listCarrierClaims({ storeId, status: status ?? "", overdueOnly: overdueOnly === "true", ...page }, context.correlationId);
    return { claims: listed.claims, ...nextPageOf(listed) };
  });

  app.post("/v1/orders/:orderId/satisfaction", roleFirst("record-satisfaction"), async (request, reply) => {
    const context = permittedContextOf(request, "record-satisfaction");
    const orderId = orderIdOf(request);
    const { score, comment, channel } = parseOrRefuse(SatisfactionSchema, request.body);
    return reply.code(201).send(await afterSales.recordSatisfaction(orderId, context.caller, { score, comment: comment ?? "", channel }, context.correlationId));
  });

  app.get("/v1/stores/:storeId/after-sales-report", roleFirst("view-after-sales-report"), async (request) => {
    const context = permittedContextOf(request, "view-after-sales-report");
    const storeId = storeIdOf(request);
    const period = parseOrRefuse(CaseReportQuerySchema, request.query, "query");
    return afterSales.report(storeId, period, context.correlationId);
  });
}

/** A list's token for its next page (ADR 017, twenty-ninth session's addendum), left out on the last page as every paged list of intake's does. */
const nextPageOf = ({ nextPageToken }: { nextPageToken: string }) => (nextPageToken ? { nextPageToken } : {});

/**
 * A customer reads only the cases of their own orders. A guest order names no one, so its
 * customer proves it with the order's id, their receipt (as `customerOwnsOrder` takes a caller
 * holding it for them): the case's own id is no proof, since whoever opens a case chooses it
 * (ADR 015) and a desk's ids may be guessed. Without it the case is answered unknown, and so is
 * another account's case: a refusal would tell a customer guessing ids which ones were opened
 * (ADR 017, twenty-fourth-session addendum). Staff keep their 403s: they know cases exist.
 */
async function assertOwnOrder(
  afterSales: AfterSalesCases,
  caller: Actor,
  { caseId, orderId, presentedOrderId }: { caseId: string; orderId: string; presentedOrderId: string | undefined },
  correlationId: string,
): Promise<void> {
  const facts = await afterSales.orderFacts(orderId, correlationId);
  const own = facts.customerId === "" ? presentedOrderId === orderId : facts.customerId === caller.id;
  // Not theirs (or a guest order's without the receipt): not there, word for word as an unknown case, so a guessed id learns nothing.
  if (!own) throw new NotFoundError("after-sales.case-not-found", `no case ${caseId}`);
}
