import type pg from "pg";
import { afterSalesApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { getOrderFacts } from "../../app/queries/get-order-facts.ts";

export function afterSalesQueryService(pool: pg.Pool) {
  return bindService("oms.aftersales.v1.AfterSalesQuery", afterSalesApi.AfterSalesQueryService, {
    getOrderFacts: (request) => getOrderFacts(pool, request.orderId),
  });
}
