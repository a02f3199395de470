import { domainErrorOf, toProblemDetails, type ProblemDetails } from "@oms/errors";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/** One order of a bulk closure: its status afterwards, or why it was refused (as closing it alone would have been). */
export type ClosureOutcomeView = { orderId: string; status: string } | { orderId: string; problem: ProblemDetails };

/**
 * Finance closes many settled orders at once (a day's settled orders), in one request
 * and one call to fulfillment, which closes them together. Each order is answered on
 * its own, in the order asked; the request fails as a whole only when fulfillment
 * cannot answer.
 */
export async function closeOrders(deps: OrderCommandDeps, context: PermittedContext<"close-order">, orderIds: readonly string[]): Promise<{ outcomes: ClosureOutcomeView[] }> {
  const { outcomes } = await deps.fulfillment.closeOrders(orderIds, context.caller, context.correlationId);
  return {
    outcomes: outcomes.map(({ orderId, status, refusal }) =>
      refusal
        ? { orderId, problem: toProblemDetails(domainErrorOf(refusal.kind, refusal.code, refusal.message)) }
        : { orderId, status },
    ),
  };
}
