import { fulfillmentApi, type Actor } from "@oms/contracts";
import { createClient, type GrpcTarget } from "@oms/grpc";

/** A delivery as the rider, courier or technician reports it; fulfillment fills in the time when none is given. */
export interface DeliveryReport {
  deliveredAt?: string | undefined;
  place: string;
  method: string;
  proofKind: string;
  proofRef: string;
  collectedMinor: number;
  /** A split order's part. */
  partId?: string | undefined;
}

export type OrderListFilter = fulfillmentApi.ListOrdersRequest;

/** The customer's answer to a shortage, as fulfillment takes it (substitutes already priced). */
export type ShortageAnswer = Omit<fulfillmentApi.ResolveShortageRequest, "orderId" | "caller" | "correlationId">;

/** Finance's answer to an on-credit order waiting for credit; a refusal's reason is what the customer is told. */
export interface CreditDecision {
  approved: boolean;
  reason: string;
}

/** A force majeure as its declarer states it (ADR 027). */
export type ForceMajeureDeclaration = Omit<fulfillmentApi.DeclareForceMajeureRequest, "caller" | "correlationId">;

/** The customer's choice after force majeure, as staff record it. */
export type ForceMajeureChoice = Omit<fulfillmentApi.ForceMajeureChoiceRequest, "orderId" | "caller" | "correlationId">;

/** What intake asks fulfillment, the owner of the order, on behalf of a caller. */
export interface FulfillmentOrders {
  getOrder(orderId: string, correlationId: string): Promise<fulfillmentApi.OrderView>;
  listOrders(filter: OrderListFilter, correlationId: string): Promise<fulfillmentApi.ListOrdersResponse>;
  orderKpis(storeId: string, period: { from: string; until: string }, correlationId: string): Promise<fulfillmentApi.OrderKpis>;
  salesReport(storeId: string, request: Omit<fulfillmentApi.GetSalesReportRequest, "storeId">, correlationId: string): Promise<fulfillmentApi.SalesReport>;
  confirmOrder(orderId: string, caller: Actor, note: string, correlationId: string): Promise<fulfillmentApi.OrderView>;
  /** reasonCode: what the customer is told (fulfillment's list); undefined is the caller's default there. */
  cancelOrder(orderId: string, caller: Actor, reason: string, correlationId: string, reasonCode?: string): Promise<fulfillmentApi.OrderView>;
  recordDelivery(orderId: string, caller: Actor, delivery: DeliveryReport, correlationId: string): Promise<fulfillmentApi.OrderView>;
  acceptDelivery(orderId: string, caller: Actor, correlationId: string): Promise<fulfillmentApi.OrderView>;
  rejectDelivery(orderId: string, caller: Actor, reason: string, correlationId: string): Promise<fulfillmentApi.OrderView>;
  closeOrder(orderId: string, caller: Actor, correlationId: string): Promise<fulfillmentApi.OrderView>;
  decideCredit(orderId: string, caller: Actor, decision: CreditDecision, correlationId: string): Promise<fulfillmentApi.OrderView>;
  closeOrders(orderIds: readonly string[], caller: Actor, correlationId: string): Promise<fulfillmentApi.CloseOrdersResponse>;
  resolveShortage(orderId: string, caller: Actor, choice: ShortageAnswer, correlationId: string): Promise<fulfillmentApi.OrderView>;
  declareForceMajeure(declaration: ForceMajeureDeclaration, caller: Actor, correlationId: string): Promise<fulfillmentApi.ForceMajeureView>;
  liftForceMajeure(eventId: string, caller: Actor, correlationId: string): Promise<fulfillmentApi.ForceMajeureView>;
  /** A page of a store's declarations, newest first; `nextPageToken` continues it ("" on the last page). */
  listForceMajeure(storeId: string, includeLifted: boolean, page: { pageSize: number; pageToken: string }, correlationId: string): Promise<fulfillmentApi.ListForceMajeureResponse>;
  /** The store a declaration is for (the gateway's store scope check); undefined when unknown. */
  forceMajeureStoreOf(eventId: string, correlationId: string): Promise<string | undefined>;
  recordForceMajeureChoice(orderId: string, caller: Actor, choice: ForceMajeureChoice, correlationId: string): Promise<fulfillmentApi.OrderView>;
  close(): void;
}

const callerIdentityOf = (caller: Actor): fulfillmentApi.CallerIdentity => ({ kind: caller.kind, id: caller.id, role: caller.role });

/** Fulfillment's OrderQuery and OrderCommands over gRPC; failures arrive as domain errors. */
export function fulfillmentOrdersAt(peer: GrpcTarget, deadlineMs = 3_000, bulkDeadlineMs = 10_000): FulfillmentOrders {
  const query = createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", peer);
  const commands = createClient(fulfillmentApi.OrderCommandsService, "oms.fulfillment.v1.OrderCommands", peer);
  const command = (orderId: string, caller: Actor, reason: string, correlationId: string): fulfillmentApi.OrderCommandRequest => ({
    orderId,
    caller: callerIdentityOf(caller),
    reason,
    correlationId,
  });
  return {
    getOrder: (orderId, correlationId) => query.getOrder({ orderId }, { correlationId, deadlineMs }),
    listOrders: (filter, correlationId) => query.listOrders(filter, { correlationId, deadlineMs }),
    orderKpis: (storeId, { from, until }, correlationId) => query.getOrderKpis({ storeId, from, until }, { correlationId, deadlineMs }),
    salesReport: (storeId, request, correlationId) => query.getSalesReport({ storeId, ...request }, { correlationId, deadlineMs }),
    confirmOrder: (orderId, caller, note, correlationId) =>
      commands.confirmOrder(command(orderId, caller, note, correlationId), { correlationId, deadlineMs }),
    cancelOrder: (orderId, caller, reason, correlationId, reasonCode) =>
      commands.cancelOrder({ ...command(orderId, caller, reason, correlationId), reasonCode }, { correlationId, deadlineMs }),
    recordDelivery: (orderId, caller, delivery, correlationId) =>
      commands.recordDelivery(
        {
          orderId,
          caller: callerIdentityOf(caller),
          deliveredAt: delivery.deliveredAt ?? "",
          place: delivery.place,
          method: delivery.method,
          proofKind: delivery.proofKind,
          proofRef: delivery.proofRef,
          collectedMinor: delivery.collectedMinor,
          partId: delivery.partId ?? "",
          correlationId,
        },
        { correlationId, deadlineMs },
      ),
    acceptDelivery: (orderId, caller, correlationId) => commands.acceptDelivery(command(orderId, caller, "", correlationId), { correlationId, deadlineMs }),
    rejectDelivery: (orderId, caller, reason, correlationId) =>
      commands.rejectDelivery(command(orderId, caller, reason, correlationId), { correlationId, deadlineMs }),
    closeOrder: (orderId, caller, correlationId) => commands.closeOrder(command(orderId, caller, "", correlationId), { correlationId, deadlineMs }),
    decideCredit: (orderId, caller, { approved, reason }, correlationId) =>
      (approved ? commands.approveCredit : commands.refuseCredit)(command(orderId, caller, reason, correlationId), { correlationId, deadlineMs }),
    // Up to 200 orders in a few transactions: more than one command's time.
    closeOrders: (orderIds, caller, correlationId) =>
      commands.closeOrders({ orderIds: [...orderIds], caller: callerIdentityOf(caller), reason: "", correlationId }, { correlationId, deadlineMs: bulkDeadlineMs }),
    declareForceMajeure: (declaration, caller, correlationId) =>
      commands.declareForceMajeure({ ...declaration, caller: callerIdentityOf(caller), correlationId }, { correlationId, deadlineMs: bulkDeadlineMs }),
    liftForceMajeure: (eventId, caller, correlationId) => commands.liftForceMajeure({ eventId, caller: callerIdentityOf(caller), correlationId }, { correlationId, deadlineMs: bulkDeadlineMs }),
    listForceMajeure: (storeId, includeLifted, page, correlationId) => commands.listForceMajeure({ storeId, includeLifted, eventId: "", ...page }, { correlationId, deadlineMs }),
    forceMajeureStoreOf: async (eventId, correlationId) =>
      (await commands.listForceMajeure({ storeId: "", includeLifted: true, eventId, pageSize: 0, pageToken: "" }, { correlationId, deadlineMs })).events[0]?.storeId,
    recordForceMajeureChoice: (orderId, caller, choice, correlationId) =>
      commands.recordForceMajeureChoice({ ...choice, orderId, caller: callerIdentityOf(caller), correlationId }, { correlationId, deadlineMs }),
    resolveShortage: (orderId, caller, answer, correlationId) =>
      commands.resolveShortage({ ...answer, orderId, caller: callerIdentityOf(caller), correlationId }, { correlationId, deadlineMs }),
    close: () => {
      query.close();
      commands.close();
    },
  };
}
