import type pg from "pg";
import { fulfillmentApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import type { OutboxWriter } from "@oms/messaging";
import type { Logger } from "@oms/observability";
import { acceptDelivery, closeOrder, rejectDelivery } from "../../app/commands/answer-delivery.ts";
import { cancelOrder } from "../../app/commands/cancel-order.ts";
import { closeOrders } from "../../app/commands/close-orders.ts";
import { confirmOrder } from "../../app/commands/confirm-order.ts";
import { approveCredit, refuseCredit } from "../../app/commands/decide-credit.ts";
import { recordDelivery } from "../../app/commands/record-delivery.ts";
import { resolveShortage } from "../../app/commands/resolve-shortage.ts";
import { getOrder } from "../../app/queries/get-order.ts";
import { getOrderKpis } from "../../app/queries/get-order-kpis.ts";
import { getSalesReport } from "../../app/queries/get-sales-report.ts";
import type { OrderCommandDesk } from "../../app/run-order-command.ts";
import { listOrderFigures } from "../../app/queries/list-order-figures.ts";
import { listOrders } from "../../app/queries/list-orders.ts";
import { declareForceMajeure } from "../../app/force-majeure/declare-force-majeure.ts";
import { liftForceMajeure } from "../../app/force-majeure/lift-force-majeure.ts";
import { listForceMajeure } from "../../app/force-majeure/list-force-majeure.ts";
import { recordForceMajeureChoice } from "../../app/force-majeure/record-force-majeure-choice.ts";

/** Order reads: for the gateway, and for billing, which reconciles its money against them (ADR 023) and may call nothing else here. */
export function orderQueryService(pool: pg.Pool) {
  return bindService(
    "oms.fulfillment.v1.OrderQuery",
    fulfillmentApi.OrderQueryService,
    {
      getOrder: (request) => getOrder(pool, request.orderId),
      listOrders: (request) => listOrders(pool, request),
      getOrderKpis: (request) => getOrderKpis(pool, request),
      getSalesReport: (request) => getSalesReport(pool, request),
      listOrderFigures: (request) => listOrderFigures(pool, request),
    },
    { alsoCallableBy: ["billing"] },
  );
}

/** The correlation id travels in the request or, failing that, in the call's metadata. */
const correlated = <T extends { correlationId: string }>(request: T, correlationId: string): T => ({
  ...request,
  correlationId: request.correlationId || correlationId,
});

/** What force majeure's declaration and lifting need: they hold and resume a store's orders in one transaction of their own. */
export interface ForceMajeureDeps {
  pool: pg.Pool;
  outbox: OutboxWriter;
  logger: Logger;
}

export function orderCommandsService(desk: OrderCommandDesk, settings: { acceptancePeriodHours: number }, forceMajeure: ForceMajeureDeps) {
  const { run } = desk;
  return bindService("oms.fulfillment.v1.OrderCommands", fulfillmentApi.OrderCommandsService, {
    confirmOrder: (request, call) => confirmOrder(run, correlated(request, call.correlationId)),
    cancelOrder: (request, call) => cancelOrder(run, correlated(request, call.correlationId)),
    recordDelivery: (request, call) => recordDelivery(run, correlated(request, call.correlationId), settings.acceptancePeriodHours),
    acceptDelivery: (request, call) => acceptDelivery(run, correlated(request, call.correlationId)),
    rejectDelivery: (request, call) => rejectDelivery(run, correlated(request, call.correlationId)),
    closeOrder: (request, call) => closeOrder(run, correlated(request, call.correlationId)),
    closeOrders: (request, call) => closeOrders(desk.runMany, correlated(request, call.correlationId)),
    resolveShortage: (request, call) => resolveShortage(run, correlated(request, call.correlationId)),
    approveCredit: (request, call) => approveCredit(run, correlated(request, call.correlationId)),
    refuseCredit: (request, call) => refuseCredit(run, correlated(request, call.correlationId)),
    declareForceMajeure: (request, call) => declareForceMajeure(forceMajeure.pool, forceMajeure.outbox, forceMajeure.logger, correlated(request, call.correlationId)),
    liftForceMajeure: (request, call) => liftForceMajeure(forceMajeure.pool, forceMajeure.outbox, forceMajeure.logger, correlated(request, call.correlationId)),
    recordForceMajeureChoice: (request, call) => recordForceMajeureChoice(run, correlated(request, call.correlationId)),
    listForceMajeure: (request) => listForceMajeure(forceMajeure.pool, request),
  });
}
