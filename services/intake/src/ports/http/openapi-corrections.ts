import { permissions } from "../../domain/permissions.ts";
import {
  CorrectionApprovalSchema,
  CorrectionListSchema,
  CorrectionRejectionSchema,
  CorrectionRequestSchema,
  CorrectionViewSchema,
  ListCorrectionsQuerySchema,
} from "./correction-schemas.ts";
import { ShortageChoiceSchema } from "./shortage-schemas.ts";
import { body, common, forbidden, json, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, ref, requestIdHeader } from "./openapi-parts.ts";

/** Request examples of the correction operations. */
export const correctionExamples = {
  request: {
    changes: { address: { line1: "1 Hengshan Road", city: "Shanghai", district: "Xuhui", country: "CN" }, phone: "+86 139 0000 1111" },
    reason: "The customer moved last week; told the phone desk",
  },
  approval: { note: "Called the customer back on the new number" },
  rejection: { reason: "The customer withdrew the change" },
};

const correctionIdParameter = { name: "correctionId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const notFound = problem("No such correction.");

export function correctionPaths() {
  return {
    "/v1/orders/{orderId}/corrections": {
      post: {
        operationId: "requestCorrection",
        summary: "Ask for a correction of an order (contact, address, requested time, notes)",
        description:
          "An order taker may not change an order's content; they file a correction, which a supervisor approves or rejects. " +
          "The changes are checked now as they would be applied (a plausible contact, an address the store serves). " +
          "Address and time can no longer be corrected once the goods are shipped. One open request per order. " +
          `OrderCorrectionRequested names the fields, not their values. Who: ${permissions["request-correction"].who}.`,
        parameters: orderParameters,
        requestBody: body("CorrectionRequest", correctionExamples.request),
        responses: {
          "201": {
            description: "Filed; waits for a supervisor.",
            headers: { ...requestIdHeader, Location: { description: "/v1/corrections/{correctionId}", schema: { type: "string" } } },
            content: json(ref("Correction")),
          },
          "400": problem("Wrong fields, named as in the body (e.g. changes.address.district)."),
          "403": forbidden(permissions["request-correction"].who),
          "404": problem("No such order."),
          "409": problem("Too late for these fields, the order is finished or still in review, or another correction is waiting."),
        },
      },
      get: {
        operationId: "listOrderCorrections",
        summary: "An order's corrections, oldest first, with their decisions and audit",
        description: `Who: ${permissions["list-corrections"].who}.`,
        parameters: orderParameters,
        responses: { "200": ok("The order's corrections.", "CorrectionList"), "403": forbidden(permissions["list-corrections"].who) },
      },
    },
    "/v1/corrections": {
      get: {
        operationId: "listPendingCorrections",
        summary: "Corrections waiting for a supervisor, oldest first",
        description: `A page at a time (pageSize, 50 when absent): nextPageToken, while present, continues the queue; no request is listed twice, one decided meanwhile leaves it, and one arriving meanwhile may wait for the next reading. Who: ${permissions["list-corrections"].who}.`,
        parameters: [...queryParametersOf(ListCorrectionsQuerySchema), ...common],
        responses: { "200": ok("Pending corrections.", "CorrectionList"), "400": problem("Wrong query: pageSize outside 1 to 200, a pageToken this queue did not give."), "403": forbidden(permissions["list-corrections"].who) },
      },
    },
    "/v1/corrections/{correctionId}/approval": {
      post: {
        operationId: "approveCorrection",
        summary: "Approve a correction: it is applied, audited, and the other services re-plan",
        description:
          "Applied to the order with the values it replaced kept on the correction (`previous`); OrderCorrected carries the order " +
          "as it now stands, and fulfillment has dispatch re-plan an open delivery or visit. Someone other than the requester must " +
          `approve. Approving again changes nothing. Who: ${permissions["decide-correction"].who}.`,
        parameters: [correctionIdParameter, ...common],
        requestBody: { required: false, content: json(ref("CorrectionApproval"), correctionExamples.approval) },
        responses: {
          "200": ok("Applied.", "Correction"),
          "403": forbidden(`${permissions["decide-correction"].who}, other than the requester`),
          "404": notFound,
          "409": problem("The correction was rejected, or the order has moved on too far for it."),
        },
      },
    },
    "/v1/corrections/{correctionId}/rejection": {
      post: {
        operationId: "rejectCorrection",
        summary: "Reject a correction, with the reason",
        description: `OrderCorrectionRejected; the order stays as it is. Who: ${permissions["decide-correction"].who}.`,
        parameters: [correctionIdParameter, ...common],
        requestBody: body("CorrectionRejection", correctionExamples.rejection),
        responses: {
          "200": ok("Rejected.", "Correction"),
          "400": problem("No reason given."),
          "403": forbidden(permissions["decide-correction"].who),
          "404": notFound,
          "409": problem("The correction was applied."),
        },
      },
    },
  };
}

export function correctionSchemas() {
  return {
    CorrectionRequest: jsonSchemaOf(CorrectionRequestSchema, "input"),
    CorrectionApproval: jsonSchemaOf(CorrectionApprovalSchema, "input"),
    CorrectionRejection: jsonSchemaOf(CorrectionRejectionSchema, "input"),
    Correction: jsonSchemaOf(CorrectionViewSchema, "output"),
    CorrectionList: jsonSchemaOf(CorrectionListSchema, "output"),
  };
}

/** The customer's answer to an out-of-stock order. */
export const shortageExamples = {
  substitute: { choice: "substitute", substitutions: [{ sku: "KETTLE-1L7", substituteSku: "RICE-COOKER-5L" }], note: "Customer takes the rice cooker instead" },
  wait: { choice: "wait", note: "Customer waits for the restock on the 28th" },
  cancel: { choice: "cancel", note: "Customer does not want to wait" },
};

export function shortagePaths() {
  return {
    "/v1/orders/{orderId}/shortage-choice": {
      post: {
        operationId: "answerShortage",
        summary: "Out of stock: the customer waits, takes a substitute, or cancels",
        description:
          "Only while the order is on hold for stock (its status names the expected restock date). wait: a backorder, released in " +
          "priority then arrival order. substitute: priced from the price list; a dearer substitute costs nothing more (a discount), " +
          "a cheaper one refunds the difference if paid; the warehouse is asked again for the new lines. cancel: cancelled with a " +
          `refund if paid. Who: ${permissions["answer-shortage"].who}; a customer their own order only (another's is answered 404 as unknown).`,
        parameters: orderParameters,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("ShortageChoice"),
              example: shortageExamples.substitute,
              examples: { substitute: { value: shortageExamples.substitute }, wait: { value: shortageExamples.wait }, cancel: { value: shortageExamples.cancel } },
            },
          },
        },
        responses: {
          "200": ok("The order after the choice.", "OrderStatusView"),
          "400": problem("Wrong fields (e.g. substitutions[0].substituteSku not on the price list)."),
          "403": forbidden(permissions["answer-shortage"].who),
          "404": problem("No such order."),
          "409": problem("The order is not waiting for stock (any more)."),
        },
      },
    },
  };
}

export function shortageSchemas() {
  return { ShortageChoice: jsonSchemaOf(ShortageChoiceSchema, "input") };
}
