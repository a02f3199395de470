import type pg from "pg";
import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import { executeSettlementCommand } from "../execute-settlement-command.ts";
import { recordPrepaymentOfSettlementRequest } from "./record-prepayment.ts";

/** Fulfillment asked for the order's settlement: record what is due and what was paid, and say so. */
export async function prepareSettlement(
  tx: pg.ClientBase,
  outbox: OutboxWriter,
  request: OrderEventOf<typeof EventTypes.SettlementRequested>,
): Promise<void> {
  const { payload } = request;
  await recordPrepaymentOfSettlementRequest(tx, request);
  await executeSettlementCommand(
    tx,
    outbox,
    request.orderId,
    {
      type: "PrepareSettlement",
      settlementId: payload.settlementId,
      orderId: request.orderId,
      storeId: request.storeId,
      currency: payload.totals?.currency ?? "CNY",
      grandTotalMinor: payload.totals?.grandTotalMinor ?? 0,
      paymentMethod: payload.paymentMethod,
      prepaid: payload.prepaid,
    },
    originFrom(request, "billing"),
  );
}
