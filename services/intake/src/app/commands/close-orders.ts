import { domainErrorOf, toProblemDetails, type ProblemDetails } from "@oms/errors";
import type { BillingSettlements } from "../../adapters/grpc-clients/billing.ts";
import { closureBlockedBy, openDisputesByOrder } from "../open-settlement-disputes.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

/** One order of a bulk closure: its status afterwards, or why it was refused (as closing it alone would have been). */
export type ClosureOutcomeView = { orderId: string; status: string } | { orderId: string; problem: ProblemDetails };

/**
 * Finance closes many settled orders at once (a day's settled orders), in one request
 * and one call to fulfillment, which closes them together. Each order is answered on
 * its own, in the order asked; one with a settlement dispute open is refused as closing it
 * alone would be (ADR 026) and not handed over. The request fails as a whole only when
 * billing or fulfillment cannot answer.
 */
export async function closeOrders(
  deps: OrderCommandDeps,
  context: PermittedContext<"close-order">,
  orderIds: readonly string[],
  money: { billing: Pick<BillingSettlements, "listSettlementDisputes"> },
): Promise<{ outcomes: ClosureOutcomeView[] }> {
  const disputed = await openDisputesByOrder(money.billing, orderIds, context.correlationId);
  const clear = orderIds.filter((orderId) => !disputed.has(orderId));
  const { outcomes } = clear.length > 0 ? await deps.fulfillment.closeOrders(clear, context.caller, context.correlationId) : { outcomes: [] };
  const answered = new Map(
    outcomes.map(({ orderId, status, refusal }): [string, ClosureOutcomeView] => [
      orderId,
      refusal ? { orderId, problem: toProblemDetails(domainErrorOf(refusal.kind, refusal.code, refusal.message)) } : { orderId, status },
    ]),
  );
  return {
    outcomes: orderIds.map((orderId) => {
      const open = disputed.get(orderId);
      return open ? { orderId, problem: toProblemDetails(closureBlockedBy(orderId, open)) } : answered.get(orderId)!;
    }),
  };
}
