import { permissions } from "../../domain/permissions.ts";
import { forbidden, jsonSchemaOf, ok, orderParameters, problem, queryParametersOf, ref } from "./openapi-parts.ts";
import { ForceMajeureChoiceSchema, ForceMajeureDeclarationSchema, ForceMajeureListQuerySchema, ForceMajeureListSchema, ForceMajeureViewSchema } from "./force-majeure-schemas.ts";

const storeParameters = [{ name: "storeId", in: "path", required: true, schema: { type: "string" } }];
const eventParameters = [{ name: "eventId", in: "path", required: true, schema: { type: "string" } }];

export const forceMajeureExamples = {
  declaration: { eventId: "fm-2026-typhoon-haikui", kind: "typhoon", cause: "Typhoon Haikui: the store is closed by order of the district", from: "2026-07-01T06:00:00+08:00", expectedUntil: "2026-07-03T18:00:00+08:00" },
  continue: { choice: "continue", requestedFrom: "2026-07-05T09:00:00+08:00", requestedUntil: "2026-07-05T12:00:00+08:00", note: "Customer takes Saturday morning" },
  cancel: { choice: "cancel", note: "Customer no longer needs it" },
};

/** Force majeure (ADR 027): declare, read, lift, and each customer's choice. */
export function forceMajeurePaths() {
  return {
    "/v1/stores/{storeId}/force-majeure": {
      post: {
        operationId: "declareForceMajeure",
        summary: "Declare force majeure over the store (or some of its districts): its open orders go on hold",
        description:
          "Orders not yet on their way (awaiting confirmation to packed, on hold, rework) go on hold with hold reason force-majeure; each " +
          "customer is told the cause, that work is paused, and the expected time. Deadlines that would cancel, accept or escalate do not run " +
          "meanwhile. Orders arriving while declared are accepted and held at once. Idempotent by eventId (other content under it: 409). " +
          `Who: ${permissions["declare-force-majeure"].who}.`,
        parameters: storeParameters,
        requestBody: { required: true, content: { "application/json": { schema: ref("ForceMajeureDeclaration"), example: forceMajeureExamples.declaration } } },
        responses: {
          "201": ok("The declaration, with how many orders it holds.", "ForceMajeure"),
          "400": problem("Wrong fields (e.g. from in the future, expectedUntil before from, an unknown kind)."),
          "403": forbidden(permissions["declare-force-majeure"].who),
          "409": problem("The eventId names another declaration."),
        },
      },
      get: {
        operationId: "listForceMajeure",
        summary: "The store's force majeure declarations, newest first",
        description:
          "Only those still declared unless includeLifted=true. A page at a time (pageSize, 100 when absent): nextPageToken, while present, continues the " +
          `list; declarations made meanwhile neither repeat nor skip one. Who: ${permissions["view-force-majeure"].who}.`,
        parameters: [...storeParameters, ...queryParametersOf(ForceMajeureListQuerySchema)],
        responses: {
          "200": ok("A page of the declarations.", "ForceMajeureList"),
          "400": problem("Wrong query fields: includeLifted, pageSize outside 1 to 500, a pageToken this list did not give."),
          "403": forbidden(permissions["view-force-majeure"].who),
        },
      },
    },
    "/v1/force-majeure/{eventId}/lifting": {
      post: {
        operationId: "liftForceMajeure",
        summary: "Lift force majeure: the orders it still holds resume where they were held",
        description:
          "Orders whose customers have not answered resume with their window as it was, their deadlines counted from now; an order still " +
          `under another declaration stays held under it. Lifting again answers the declaration as it stands. Who: ${permissions["lift-force-majeure"].who}.`,
        parameters: eventParameters,
        responses: { "200": ok("The lifted declaration.", "ForceMajeure"), "403": forbidden(permissions["lift-force-majeure"].who), "404": problem("No such declaration.") },
      },
    },
    "/v1/orders/{orderId}/force-majeure-choice": {
      post: {
        operationId: "recordForceMajeureChoice",
        summary: "The customer's choice after force majeure: continue with a new window, or cancel without charge",
        description: `While held or after the lifting. Who: ${permissions["record-force-majeure-choice"].who}.`,
        parameters: orderParameters,
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref("ForceMajeureChoice"),
              example: forceMajeureExamples.continue,
              examples: { continue: { value: forceMajeureExamples.continue }, cancel: { value: forceMajeureExamples.cancel } },
            },
          },
        },
        responses: {
          "200": ok("The order after the choice.", "OrderStatusView"),
          "400": problem("Wrong fields (e.g. requestedUntil before requestedFrom or in the past)."),
          "403": forbidden(permissions["record-force-majeure-choice"].who),
          "404": problem("No such order."),
          "409": problem("The order was never held for force majeure, or is too far along (shipped) to renegotiate."),
        },
      },
    },
  };
}

export function forceMajeureSchemas() {
  return {
    ForceMajeureDeclaration: jsonSchemaOf(ForceMajeureDeclarationSchema, "input"),
    ForceMajeureChoice: jsonSchemaOf(ForceMajeureChoiceSchema, "input"),
    ForceMajeure: jsonSchemaOf(ForceMajeureViewSchema, "output"),
    ForceMajeureList: jsonSchemaOf(ForceMajeureListSchema, "output"),
  };
}
