import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import type { ChooseAfterForceMajeure } from "../../domain/commands.ts";
import type { Actor } from "../../domain/order.ts";
import type { RunOrderCommand } from "../run-order-command.ts";

/** The customer's choice after force majeure, recorded by staff: continue with a new window, or cancel without charge (ADR 027). */
export function recordForceMajeureChoice(run: RunOrderCommand, request: fulfillmentApi.ForceMajeureChoiceRequest): Promise<fulfillmentApi.OrderView> {
  return run(request, (actor) => commandOf(request, actor));
}

function commandOf(request: fulfillmentApi.ForceMajeureChoiceRequest, actor: Actor): ChooseAfterForceMajeure {
  const at = new Date().toISOString();
  if (request.choice === "cancel") return { type: "ChooseAfterForceMajeure", choice: "cancel", note: request.note, at, actor };
  if (request.choice !== "continue") throw new ValidationError([{ field: "choice", message: "must be continue or cancel" }]);
  return { type: "ChooseAfterForceMajeure", choice: "continue", requestedFrom: request.requestedFrom, requestedUntil: request.requestedUntil, note: request.note, at, actor };
}
