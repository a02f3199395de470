import type pg from "pg";
import { billingApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import type { OutboxWriter } from "@oms/messaging";
import { confirmPayment } from "../../app/commands/record-payment.ts";
import { getSettlement } from "../../app/queries/get-settlement.ts";

export function settlementQueryService(pool: pg.Pool) {
  return bindService("oms.billing.v1.SettlementQuery", billingApi.SettlementQueryService, {
    getSettlement: (request) => getSettlement(pool, request.orderId),
  });
}

export function billingCommandsService(pool: pg.Pool, outbox: OutboxWriter) {
  return bindService("oms.billing.v1.BillingCommands", billingApi.BillingCommandsService, {
    confirmPayment: (request, call) => confirmPayment(pool, outbox, request, call.correlationId),
  });
}
