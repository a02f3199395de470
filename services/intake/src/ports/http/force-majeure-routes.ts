import type { FastifyInstance } from "fastify";
import type { OrderCommandDeps } from "../../app/commands/confirm-order.ts";
import { declareForceMajeure, liftForceMajeure, listForceMajeure, recordForceMajeureChoice } from "../../app/commands/force-majeure.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { EventIdParamsSchema, ForceMajeureChoiceSchema, ForceMajeureDeclarationSchema, ForceMajeureListQuerySchema } from "./force-majeure-schemas.ts";
import { orderIdOf, storeIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

/** Force majeure (ADR 027): declared and lifted by the store manager or a supervisor, read by staff, renegotiated order by order. */
export function registerForceMajeureRoutes(app: FastifyInstance, deps: OrderCommandDeps): void {
  app.post("/v1/stores/:storeId/force-majeure", roleFirst("declare-force-majeure"), async (request, reply) => {
    const context = permittedContextOf(request, "declare-force-majeure");
    const storeId = storeIdOf(request);
    const { districts, expectedUntil, ...declaration } = parseOrRefuse(ForceMajeureDeclarationSchema, request.body);
    const view = await declareForceMajeure(deps, context, { ...declaration, storeId, districts: districts ?? [], expectedUntil: expectedUntil ?? "" });
    return reply.code(201).send(view);
  });

  app.get("/v1/stores/:storeId/force-majeure", roleFirst("view-force-majeure"), async (request) => {
    const context = permittedContextOf(request, "view-force-majeure");
    const storeId = storeIdOf(request);
    const { includeLifted, pageSize, pageToken } = parseOrRefuse(ForceMajeureListQuerySchema, request.query ?? {}, "query");
    return listForceMajeure(deps, context, storeId, includeLifted === "true", { pageSize: pageSize ?? 0, pageToken: pageToken ?? "" });
  });

  app.post("/v1/force-majeure/:eventId/lifting", roleFirst("lift-force-majeure"), async (request) => {
    const context = permittedContextOf(request, "lift-force-majeure");
    const { eventId } = parseOrRefuse(EventIdParamsSchema, request.params, "eventId");
    return liftForceMajeure(deps, context, eventId);
  });

  app.post("/v1/orders/:orderId/force-majeure-choice", roleFirst("record-force-majeure-choice"), async (request) => {
    const context = permittedContextOf(request, "record-force-majeure-choice");
    const orderId = orderIdOf(request);
    const answer = parseOrRefuse(ForceMajeureChoiceSchema, request.body);
    const choice =
      answer.choice === "continue"
        ? { choice: "continue", requestedFrom: answer.requestedFrom, requestedUntil: answer.requestedUntil, note: answer.note ?? "" }
        : { choice: "cancel", requestedFrom: "", requestedUntil: "", note: answer.note ?? "" };
    return recordForceMajeureChoice(deps, context, orderId, choice);
  });
}
