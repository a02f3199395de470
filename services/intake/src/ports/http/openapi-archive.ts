import { permissions, type GatewayAction } from "../../domain/permissions.ts";
import {
  AccessRequestViewSchema,
  DossierAccessApprovalSchema,
  DossierAccessHistorySchema,
  DossierAccessRejectionSchema,
  DossierAccessRequestSchema,
  DossierQuerySchema,
  DossierViewSchema,
} from "./archive-schemas.ts";
import { body, common, forbidden, json, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, ref } from "./openapi-parts.ts";

/** Request examples of the dossier access operations. */
export const archiveExamples = {
  request: { requestId: "cs-wang-2026-12-06-001", reason: "The customer disputes the delivered quantity (complaint 4711)" },
  approval: { note: "Complaint 4711 is on file" },
  rejection: { note: "No complaint or audit on file for this order" },
};

const unavailable = problem("The archive cannot answer now (retry after Retry-After).");
const requestIdParameter = {
  name: "requestId",
  in: "path",
  required: true,
  description: "The id the asker gave the request; URL-encoded.",
  schema: { type: "string", maxLength: 200 },
  example: archiveExamples.request.requestId,
};
const who = (action: GatewayAction) => permissions[action].who;
const accessRule =
  "Viewing an archived order needs an access request with a reason, approved by a store manager or an auditor other than the asker; " +
  "the asker alone may then view the dossier while the approval lasts (24 hours unless the archive is set otherwise), and every viewing is logged.";

/** A decision on a pending request, asked of the archive's ArchiveAccess as the caller. */
const decision = (operationId: string, summary: string, detail: string, requestBody: object, badRequest: string) => ({
  post: {
    operationId,
    summary,
    description: `${detail} The archive's DecideAccess. Who: ${who("decide-dossier-access")}, never on their own request.`,
    parameters: [requestIdParameter, ...common],
    requestBody,
    responses: {
      "200": ok("The request after the decision.", "DossierAccessRequestView"),
      "400": problem(badRequest),
      "403": forbidden(`${who("decide-dossier-access")}, or is the asker`),
      "404": problem("No such access request."),
      "409": problem("The request was already decided (archive.access-already-decided), or, to approve, waited over seven days (archive.access-request-lapsed): ask again."),
      "503": unavailable,
    },
  },
});

/** Access to what an order's archived dossier holds. */
export function archivePaths() {
  return {
    "/v1/orders/{orderId}/dossier-access-requests": {
      post: {
        operationId: "requestDossierAccess",
        summary: "Ask to view an order's archived dossier, with a reason",
        description:
          `${accessRule} The request waits for a decision. It carries your own requestId: a retry with the same id (after a timeout, say) ` +
          `asks nothing more and answers the request as it now stands. The archive's RequestAccess. Who: ${who("request-dossier-access")}.`,
        parameters: orderParameters,
        requestBody: body("DossierAccessRequest", archiveExamples.request),
        responses: {
          "201": ok("Asked; waits for a store manager or an auditor.", "DossierAccessRequestView"),
          "400": problem("Wrong fields, one message each (no requestId, no reason, or one over 500 characters)."),
          "403": forbidden(who("request-dossier-access")),
          "404": problem("No dossier for this order (code dossier.not-found)."),
          "409": problem("The requestId already names a request for another order, asker or reason (code archive.access-request-id-taken)."),
          "503": unavailable,
        },
      },
    },
    "/v1/dossier-access-requests/{requestId}/approval": decision(
      "approveDossierAccess",
      "Approve a request to view a dossier",
      "The asker may view the dossier from now until validUntil (24 hours unless the archive is set otherwise).",
      { required: false, content: json(ref("DossierAccessApproval"), archiveExamples.approval) },
      "Wrong fields (a note over 500 characters).",
    ),
    "/v1/dossier-access-requests/{requestId}/rejection": decision(
      "rejectDossierAccess",
      "Refuse a request to view a dossier, saying why",
      "The asker may not view the dossier on this request; they may ask again.",
      body("DossierAccessRejection", archiveExamples.rejection),
      "No note given, or one over 500 characters.",
    ),
    "/v1/orders/{orderId}/dossier": {
      get: {
        operationId: "viewDossier",
        summary: "What an order's archived dossier holds, under an approved access request",
        description:
          `${accessRule} Every event filed for the order, in the order they happened, with its content; the viewing is logged in the ` +
          `same transaction that reads it (viewingId). The archive's ViewDossier. Who: ${who("view-dossier")}, and only the person whose request it is.`,
        parameters: [orderParameters[0], ...queryParametersOf(DossierQuerySchema), ...common],
        responses: {
          "200": ok("The dossier; this viewing is logged.", "Dossier"),
          "400": problem("No requestId, or a request for another order's dossier."),
          "403": forbidden(who("view-dossier")),
          "404": problem("No such access request — or someone else's, answered word for word the same (archive.access-request-not-found) — or no dossier for this order."),
          "409": problem("The request is pending or refused (archive.access-not-approved), or its approval lapsed (archive.access-lapsed): ask again."),
          "503": unavailable,
        },
      },
    },
    "/v1/orders/{orderId}/dossier-access": {
      get: {
        operationId: "listDossierAccess",
        summary: "Who asked to view an order's dossier, who decided, and every viewing",
        description: `The archive's access log of the order, oldest first. The archive's ListAccess. Who: ${who("list-dossier-access")}.`,
        parameters: orderParameters,
        responses: {
          "200": ok("The order's access requests and viewings.", "DossierAccessHistory"),
          "403": forbidden(who("list-dossier-access")),
          "404": problem("No dossier for this order."),
          "503": unavailable,
        },
      },
    },
  };
}

export const archiveSchemas = () => ({
  DossierAccessRequest: jsonSchemaOf(DossierAccessRequestSchema, "input"),
  DossierAccessApproval: jsonSchemaOf(DossierAccessApprovalSchema, "input"),
  DossierAccessRejection: jsonSchemaOf(DossierAccessRejectionSchema, "input"),
  DossierAccessRequestView: jsonSchemaOf(AccessRequestViewSchema, "output"),
  Dossier: jsonSchemaOf(DossierViewSchema, "output"),
  DossierAccessHistory: jsonSchemaOf(DossierAccessHistorySchema, "output"),
});
