import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { requestedPeriod } from "@oms/errors";
import { orderKpiFiguresOf } from "../../adapters/pg/order-kpi-repository.ts";

/**
 * A store's order-handling KPIs (DOMAIN.md, Supervision and KPIs) over the orders created in
 * [from, until): intake timeliness (receipt to confirmation), information accuracy (orders
 * corrected after intake), processing (receipt to shipment) and on-time delivery (by the
 * requested time). The people's own figures (acknowledgement time, first-time acceptance)
 * are dispatch's; complaints and satisfaction are after-sales'.
 */
export async function getOrderKpis(pool: pg.Pool, request: fulfillmentApi.GetOrderKpisRequest): Promise<fulfillmentApi.OrderKpis> {
  const storeId = request.storeId.trim();
  const { from, until } = requestedPeriod(request, storeId ? [] : [{ field: "storeId", message: "is required" }]);
  return { storeId, from: from.toISOString(), until: until.toISOString(), ...(await orderKpiFiguresOf(pool, storeId, from, until)) };
}
