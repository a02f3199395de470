import type { fulfillmentApi } from "@oms/contracts";
import type { ForceMajeureChoice, ForceMajeureDeclaration } from "../../adapters/grpc-clients/fulfillment.ts";
import { commandOnOrder } from "../fulfillment-handover.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/**
 * Force majeure (ADR 027), asked of fulfillment, which owns the orders it holds: the store
 * manager or a supervisor declares and lifts it; staff record each customer's choice.
 */
export async function declareForceMajeure(deps: OrderCommandDeps, context: PermittedContext<"declare-force-majeure">, declaration: ForceMajeureDeclaration): Promise<fulfillmentApi.ForceMajeureView> {
  const view = await deps.fulfillment.declareForceMajeure(declaration, context.caller, context.correlationId);
  context.logger.info({ eventId: view.eventId, storeId: view.storeId, ordersHeld: view.ordersHeld, correlationId: context.correlationId }, "force majeure declared");
  return view;
}

export async function liftForceMajeure(deps: OrderCommandDeps, context: PermittedContext<"lift-force-majeure">, eventId: string): Promise<fulfillmentApi.ForceMajeureView> {
  const view = await deps.fulfillment.liftForceMajeure(eventId, context.caller, context.correlationId);
  context.logger.info({ eventId, storeId: view.storeId, correlationId: context.correlationId }, "force majeure lifted");
  return view;
}

/** A page of the store's declarations; `nextPageToken` only while another page follows. */
export async function listForceMajeure(
  deps: OrderCommandDeps,
  context: PermittedContext<"view-force-majeure">,
  storeId: string,
  includeLifted: boolean,
  page: { pageSize: number; pageToken: string },
): Promise<{ events: fulfillmentApi.ForceMajeureView[]; nextPageToken?: string }> {
  const { events, nextPageToken } = await deps.fulfillment.listForceMajeure(storeId, includeLifted, page, context.correlationId);
  return nextPageToken ? { events, nextPageToken } : { events };
}

export function recordForceMajeureChoice(deps: OrderCommandDeps, context: PermittedContext<"record-force-majeure-choice">, orderId: string, choice: ForceMajeureChoice): Promise<OrderStatusView> {
  return commandOnOrder(deps.pool, context.caller, orderId, () => deps.fulfillment.recordForceMajeureChoice(orderId, context.caller, choice, context.correlationId));
}
