import type { fulfillmentApi } from "@oms/contracts";
import type { RunOrderCommand } from "../run-order-command.ts";

/** Finance approves the credit of an on-credit order held for it: it goes on to reservation or assignment. */
export function approveCredit(run: RunOrderCommand, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return run(request, (actor) => ({ type: "DecideCredit", approved: true, reason: request.reason, actor }));
}

/** Finance refuses it: the order is cancelled with the reason. */
export function refuseCredit(run: RunOrderCommand, request: fulfillmentApi.OrderCommandRequest): Promise<fulfillmentApi.OrderView> {
  return run(request, (actor) => ({ type: "DecideCredit", approved: false, reason: request.reason, actor }));
}
