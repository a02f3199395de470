import { permissions, type GatewayAction } from "../../domain/permissions.ts";
import { CarrierClaimListSchema, CarrierClaimsQuerySchema, ListCasesQuerySchema } from "./after-sales-schemas.ts";
import { nextPageTokenSchema } from "./disclosure-schemas.ts";
import { common, forbidden, jsonSchemaOf, ok, problem, queryParametersOf, storeParameters } from "./openapi-parts.ts";

// The after-sales lists read a page at a time (ADR 017, twenty-ninth session's addendum); the rest of after-sales is in openapi-after-sales.ts.
const unavailable = problem("After-sales cannot answer now (retry after Retry-After).");
const who = (action: GatewayAction) => permissions[action].who;
const paging = (what: string, order: string) =>
  `A page at a time (pageSize, 100 when absent; limit is its older name, kept — give one of the two): nextPageToken, while present, continues the list ` +
  `with the same filters, and ${what} recorded meanwhile neither repeat nor skip one (keyset on ${order}, the case id breaking a tie).`;
const pageRefusals = "pageSize or limit outside 1–500 or both given, a pageToken this list did not give";

export function afterSalesListPaths() {
  return {
    "/v1/after-sales-cases": {
      get: {
        operationId: "listAfterSalesCases",
        summary: "A store's or an order's cases, newest first; or the worklists of refunds that fell short and of late replacements",
        description:
          `Who: ${who("list-after-sales-cases")}. With refundShortfall=true, only the resolved cases billing refunded less than they named ` +
          "(nothing paid yet, already refunded): each shows refundedMinor and refundShortfall with billing's reason, for the desk that promised " +
          `the money and finance who settles the rest by hand; who: ${who("list-refund-shortfall-cases")}; storeId may then be left out ` +
          "by staff working chain-wide (every store's). With replacementLate=true (storeId or orderId named), only the exchanges whose replacement is " +
          "late to ship now, the longest overdue first (replacementLate: since, dueAt, level, who was warned; ADR 030, sixth addendum). " +
          "With inRework=true (storeId or orderId named), only the repairs and maintenance whose visit awaits a rework round's report (ADR 025, twenty-sixth-session addendum). " +
          "Staff held to stores name one of theirs either way. The desk is shown each case's " +
          "description, each showing logged (GET /v1/after-sales-cases/{caseId}/disclosures); finance gets them empty and nothing is logged. " +
          paging("cases", "the opening, or the replacement's due time with replacementLate=true — a token of one order is refused in the other"),
        parameters: [...queryParametersOf(ListCasesQuerySchema), ...common],
        responses: {
          "200": ok("A page of the cases.", "AfterSalesCaseList"),
          "400": problem(`Neither storeId nor orderId (nor refundShortfall=true without replacementLate=true or inRework=true), a wrong filter, ${pageRefusals}; the field named.`),
          "403": forbidden(`${who("list-after-sales-cases")}; for refundShortfall=true, ${who("list-refund-shortfall-cases")}; or a store not yours`),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/carrier-claims": {
      get: {
        operationId: "listCarrierClaims",
        summary: "The store's claims against carriers, the oldest filing first: the ones to chase",
        description:
          "Each claim with its case and order: carrier, reference, claimed, recovered, status, filed at and by, followUpBy, and overdue — still " +
          "filed and its follow-up date (30 days after filing) come, on after-sales' clock. overdueOnly=true keeps only those; status narrows " +
          "to one status. Never the customer's description: nothing is shown, nothing logged. " +
          `${paging("claims", "the filing")} Who: ${who("list-carrier-claims")}; a store-scoped caller only for their stores.`,
        parameters: [storeParameters[0], ...queryParametersOf(CarrierClaimsQuerySchema), ...common],
        responses: {
          "200": ok("A page of the claims.", "CarrierClaimList"),
          "400": problem(`A status other than filed, settled or rejected, a status other than filed with overdueOnly=true, overdueOnly not true or false, ${pageRefusals}; the field named.`),
          "403": forbidden(`${who("list-carrier-claims")} (another store's is refused: caller.out-of-store-scope)`),
          "503": unavailable,
        },
      },
    },
  };
}

export const afterSalesListSchemas = () => ({
  AfterSalesCaseList: {
    type: "object",
    properties: { cases: { type: "array", items: { $ref: "#/components/schemas/AfterSalesCase" } }, nextPageToken: jsonSchemaOf(nextPageTokenSchema, "output") },
    required: ["cases"],
  },
  CarrierClaimList: jsonSchemaOf(CarrierClaimListSchema, "output"),
});
