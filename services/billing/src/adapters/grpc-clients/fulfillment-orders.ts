import { fulfillmentApi } from "@oms/contracts";
import { createClient, type GrpcTarget } from "@oms/grpc";
import type { OrderFacts } from "../../domain/reconciliation.ts";

/** An order as fulfillment holds it, with the store it is at now. */
export interface OrderAtStore extends OrderFacts {
  storeId: string;
}

/** What billing asks fulfillment when it reconciles (ADR 023): the orders' figures, never anything else. */
export interface FulfillmentOrders {
  /** The store's orders that ended (closed or cancelled) in [from, until), every page. */
  endedOrders(storeId: string, from: Date, until: Date, correlationId: string): Promise<OrderAtStore[]>;
  /** These orders, those fulfillment knows, whatever their store. */
  ordersByIds(orderIds: readonly string[], correlationId: string): Promise<OrderAtStore[]>;
  close(): void;
}

const pageSize = 500;
const idsPerCall = 500;

const factsOf = (o: fulfillmentApi.OrderFigures): OrderAtStore => ({
  orderId: o.orderId,
  storeId: o.storeId,
  status: o.status,
  dueMinor: Number(o.totals?.grandTotalMinor ?? 0),
  currency: o.totals?.currency ?? "",
});

/** Fulfillment's OrderQuery/ListOrderFigures over gRPC (fulfillment lets billing call that binding alone). */
export function fulfillmentOrdersAt(peer: GrpcTarget, deadlineMs = 10_000): FulfillmentOrders {
  const query = createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", peer);
  return {
    async endedOrders(storeId, from, until, correlationId) {
      const orders: OrderAtStore[] = [];
      let pageToken = "";
      do {
        const page = await query.listOrderFigures(
          { storeId, endedFrom: from.toISOString(), endedUntil: until.toISOString(), pageSize, pageToken, orderIds: [] },
          { correlationId, deadlineMs },
        );
        orders.push(...page.orders.map(factsOf));
        pageToken = page.nextPageToken;
      } while (pageToken);
      return orders;
    },
    async ordersByIds(orderIds, correlationId) {
      const orders: OrderAtStore[] = [];
      for (let i = 0; i < orderIds.length; i += idsPerCall) {
        const page = await query.listOrderFigures(
          { storeId: "", endedFrom: "", endedUntil: "", pageSize: 0, pageToken: "", orderIds: orderIds.slice(i, i + idsPerCall) },
          { correlationId, deadlineMs },
        );
        orders.push(...page.orders.map(factsOf));
      }
      return orders;
    },
    close: () => query.close(),
  };
}
