import { IllegalStateError, NotFoundError } from "@oms/errors";
import type { StoreCatalogue } from "../../adapters/pg/catalogue-repository.ts";
import { orderRepository } from "../../adapters/pg/order-repository.ts";
import type { FulfillmentMethod } from "../../domain/order-submission.ts";
import { pricingOf } from "../../domain/store-catalogue.ts";
import { substitute, type SubstitutionRequest } from "../../domain/substitution.ts";
import { commandOnOrder } from "../fulfillment-handover.ts";
import { assertCallerReachesOrder } from "../own-order.ts";
import type { OrderStatusView } from "../order-views.ts";
import type { PermittedContext } from "../request-context.ts";
import type { OrderCommandDeps } from "./confirm-order.ts";

export interface ShortageDeps extends OrderCommandDeps {
  catalogue: StoreCatalogue;
}

export type ShortageChoice =
  | { choice: "wait"; note: string }
  | { choice: "cancel"; note: string }
  | { choice: "substitute"; note: string; substitutions: SubstitutionRequest[] };

/**
 * Out of stock, the customer chooses (DOMAIN.md, Warehouse): wait for the stock, take a
 * substitute, or cancel with a refund. Intake prices a substitute from the chain's price
 * list by the store's rules; fulfillment, which owns the order, accepts the answer only
 * while the order is on hold for stock (it may have been released in the meantime).
 */
export async function answerShortage(deps: ShortageDeps, context: PermittedContext<"answer-shortage">, orderId: string, answer: ShortageChoice): Promise<OrderStatusView> {
  const { caller, correlationId } = context;
  // Another customer's order is answered as unknown, before anything is priced or asked (ADR 022, twenty-fifth-session addendum).
  await assertCallerReachesOrder(deps.pool, caller, orderId);
  switch (answer.choice) {
    case "cancel":
      return commandOnOrder(deps.pool, caller, orderId, () => deps.fulfillment.cancelOrder(orderId, caller, answer.note || "out of stock: the customer chose to cancel", correlationId, "out-of-stock"));
    case "wait":
      return commandOnOrder(deps.pool, caller, orderId, () =>
        deps.fulfillment.resolveShortage(orderId, caller, { choice: "wait", note: answer.note, substitutions: [], lines: [], totals: undefined, refundDueMinor: 0, absorbedMinor: 0 }, correlationId),
      );
    case "substitute": {
      const order = await orderRepository.findById(deps.pool, orderId);
      if (!order) throw new NotFoundError("order.not-found", `order ${orderId} not found`);
      if (order.status !== "received") throw new IllegalStateError("order.not-short", `order ${orderId} is ${order.status} in intake, not waiting for stock`);
      // Priced as the order was taken: a marketplace's at the chain's list, any other at its store's.
      const { store, priceList } = await deps.catalogue.offerOf(order.storeId, pricingOf(order.canonical.channel));
      if (!store) throw new Error(`store ${order.storeId} of an accepted order is not in the catalogue`);
      const { canonical } = order;
      if (!canonical.totals) throw new Error(`order ${orderId} has no totals`);
      const priced = substitute(
        { lines: canonical.lines, totals: canonical.totals, fulfillmentMethod: canonical.fulfillmentMethod as FulfillmentMethod, prepaid: canonical.prepaid },
        answer.substitutions,
        store,
        priceList,
      );
      context.logger.info({ orderId, substitutions: priced.substitutions.length, refundDueMinor: priced.refundDueMinor }, "substitution priced");
      return commandOnOrder(deps.pool, caller, orderId, () => deps.fulfillment.resolveShortage(orderId, caller, { choice: "substitute", note: answer.note, ...priced }, correlationId));
    }
    default: {
      const unknown: never = answer;
      throw new Error(`unknown shortage choice ${JSON.stringify(unknown)}`);
    }
  }
}
