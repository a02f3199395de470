import type { FastifyInstance } from "fastify";
import { answerShortage, type ShortageDeps } from "../../app/commands/answer-shortage.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { ShortageChoiceSchema } from "./shortage-schemas.ts";
import { roleFirst } from "./store-scope.ts";

/** Out of stock: the customer (or an order taker for them) answers wait, substitute or cancel. */
export function registerShortageRoutes(app: FastifyInstance, deps: ShortageDeps): void {
  app.post("/v1/orders/:orderId/shortage-choice", roleFirst("answer-shortage"), async (request) => {
    const context = permittedContextOf(request, "answer-shortage");
    const orderId = orderIdOf(request);
    const answer = parseOrRefuse(ShortageChoiceSchema, request.body);
    return answerShortage(deps, context, orderId, answer.choice === "substitute" ? { ...answer, note: answer.note ?? "" } : { choice: answer.choice, note: answer.note ?? "" });
  });
}
