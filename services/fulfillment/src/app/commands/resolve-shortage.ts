import type { fulfillmentApi } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import type { ResolveShortage } from "../../domain/commands.ts";
import type { Actor } from "../../domain/order.ts";
import type { RunOrderCommand } from "../run-order-command.ts";

/** The customer's answer to a shortage (wait, or substitutes priced by intake); cancelling is CancelOrder. */
export function resolveShortage(run: RunOrderCommand, request: fulfillmentApi.ResolveShortageRequest): Promise<fulfillmentApi.OrderView> {
  return run(request, (actor) => commandOf(request, actor));
}

function commandOf(request: fulfillmentApi.ResolveShortageRequest, actor: Actor): ResolveShortage {
  if (request.choice === "wait") return { type: "ResolveShortage", choice: "wait", note: request.note, actor };
  if (request.choice !== "substitute") throw new ValidationError([{ field: "choice", message: "must be wait or substitute" }]);
  if (!request.totals) throw new ValidationError([{ field: "totals", message: "a substitution comes with the order's new totals" }]);
  return {
    type: "ResolveShortage",
    choice: "substitute",
    note: request.note,
    actor,
    substitutions: request.substitutions,
    lines: request.lines.map(({ lineId, sku, description, quantity, unitPriceMinor, lineTotalMinor }) => ({ lineId, sku, description, quantity, unitPriceMinor, lineTotalMinor })),
    totals: request.totals,
    refundDueMinor: Number(request.refundDueMinor),
    absorbedMinor: Number(request.absorbedMinor),
  };
}
