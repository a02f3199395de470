import { originFrom, type EventTypes, type OrderEventOf } from "@oms/contracts";
import type { SettlementUnitOfWork } from "../settlement-unit-of-work.ts";

/** Fulfillment asked for the order's settlement: record what is due and what was paid, and say so. */
export function prepareSettlement(unit: SettlementUnitOfWork, request: OrderEventOf<typeof EventTypes.SettlementRequested>): void {
  const { payload } = request;
  unit.execute(
    request.orderId,
    {
      type: "PrepareSettlement",
      settlementId: payload.settlementId,
      orderId: request.orderId,
      storeId: request.storeId,
      currency: payload.totals?.currency ?? "CNY",
      grandTotalMinor: payload.totals?.grandTotalMinor ?? 0,
      taxMinor: payload.totals?.taxMinor ?? 0,
      paymentMethod: payload.paymentMethod,
      prepaid: payload.prepaid,
    },
    originFrom(request, "billing"),
  );
}
