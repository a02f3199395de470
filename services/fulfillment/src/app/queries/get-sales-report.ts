import type pg from "pg";
import type { fulfillmentApi } from "@oms/contracts";
import { requestedPeriod, type FieldError } from "@oms/errors";
import { salesFiguresOf } from "../../adapters/pg/sales-report-repository.ts";
import { salesReportOptionsOf } from "../../domain/sales-report.ts";

/**
 * A store's sales over the orders created in [from, until) (DOMAIN.md, Supervision and KPIs:
 * order trends, product and service sales, customer regions): the trend by day, week or
 * month in the store's time zone, the best-selling items, and sales by region and channel.
 */
export async function getSalesReport(pool: pg.Pool, request: fulfillmentApi.GetSalesReportRequest): Promise<fulfillmentApi.SalesReport> {
  const storeId = request.storeId.trim();
  const fields: FieldError[] = storeId ? [] : [{ field: "storeId", message: "is required" }];
  const options = salesReportOptionsOf(request, fields);
  // Refused here, naming the options' wrong fields with the period's: past it, the options hold.
  const { from, until } = requestedPeriod(request, fields);
  const figures = await salesFiguresOf(pool, storeId, from, until, options);
  return {
    storeId,
    from: from.toISOString(),
    until: until.toISOString(),
    interval: options.interval,
    timeZone: options.timeZone,
    ...figures.totals,
    trend: figures.trend.map((p) => ({ ...p, startsAt: p.startsAt.toISOString() })),
    items: figures.items,
    regions: figures.regions,
    channels: figures.channels,
  };
}
