import type pg from "pg";
import { ValidationError } from "@oms/errors";
import { isPgError, withTransaction } from "@oms/postgres";
import { unsoldStatuses, type SalesReportOptions } from "../../domain/sales-report.ts";

export interface SalesTotals {
  orders: number;
  cancelled: number;
  salesMinor: number;
  currency: string;
}

export interface SalesTrendPoint {
  startsAt: Date;
  orders: number;
  cancelled: number;
  salesMinor: number;
}

export interface ItemSales {
  sku: string;
  description: string;
  kind: string;
  quantity: number;
  salesMinor: number;
  orders: number;
}

export interface SalesShare {
  key: string;
  orders: number;
  salesMinor: number;
}

export interface SalesFigures {
  totals: SalesTotals;
  trend: SalesTrendPoint[];
  items: ItemSales[];
  regions: SalesShare[];
  channels: SalesShare[];
}

// The store's orders created in [from, until): $1 store, $2 from, $3 until, $4 the statuses that are no sale.
// A row whose body has no totals or a line no total (written by hand, or before they were kept)
// adds nothing: every sum is coalesced, or its NULL would sort first among the best-selling.
const inPeriod = "store_id = $1 AND created_at >= $2 AND created_at < $3";
const sold = "status <> ALL($4::text[])";
const amountDue = "(body->'totals'->>'grandTotalMinor')::bigint";

/**
 * Counts a store's sales over the orders created in a period, in one read-only snapshot so
 * the trend, the items and the shares add up to the same totals. Sales are the amounts due
 * as they stand (after substitutions and corrections) of the orders not cancelled or
 * rejected; an order is counted at the store it belongs to (a split order once, whole).
 * Buckets are cut at local midnights of `timeZone`, Monday-first weeks, calendar months.
 */
export async function salesFiguresOf(pool: pg.Pool, storeId: string, from: Date, until: Date, options: SalesReportOptions): Promise<SalesFigures> {
  try {
    return await withTransaction(pool, (client) => countedIn(client, storeId, from, until, options));
  } catch (error) {
    // The runtime's zone names and Postgres's differ at the edges: a name only one knows is still the caller's to fix.
    if (isPgError(error) && error.code === "22023" && /time zone/i.test(error.message)) {
      throw new ValidationError([{ field: "timeZone", message: `is not a time zone the database knows: ${options.timeZone}` }]);
    }
    throw error;
  }
}

async function countedIn(client: pg.ClientBase, storeId: string, from: Date, until: Date, options: SalesReportOptions): Promise<SalesFigures> {
  await client.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
  const period = [storeId, from, until, unsoldStatuses];
  const totals = await client.query<{ orders: number; cancelled: number; sales_minor: string; currency: string | null }>(
    `SELECT count(*)::int AS orders, count(*) FILTER (WHERE NOT ${sold})::int AS cancelled,
            coalesce(sum(${amountDue}) FILTER (WHERE ${sold}), 0)::bigint AS sales_minor,
            max(body->'totals'->>'currency') FILTER (WHERE ${sold}) AS currency
     FROM orders WHERE ${inPeriod}`,
    period,
  );
  const trend = await client.query<{ starts_at: Date; orders: number; cancelled: number; sales_minor: string }>(
    `WITH buckets AS (
       SELECT generate_series(date_trunc($6, $2::timestamptz AT TIME ZONE $5), ($3::timestamptz - interval '1 microsecond') AT TIME ZONE $5, ('1 ' || $6)::interval) AS local_start
     ), counted AS (
       SELECT date_trunc($6, created_at AT TIME ZONE $5) AS local_start, count(*)::int AS orders,
              count(*) FILTER (WHERE NOT ${sold})::int AS cancelled, coalesce(sum(${amountDue}) FILTER (WHERE ${sold}), 0)::bigint AS sales_minor
       FROM orders WHERE ${inPeriod} GROUP BY 1
     )
     SELECT b.local_start AT TIME ZONE $5 AS starts_at, coalesce(c.orders, 0) AS orders, coalesce(c.cancelled, 0) AS cancelled, coalesce(c.sales_minor, 0) AS sales_minor
     FROM buckets b LEFT JOIN counted c USING (local_start) ORDER BY b.local_start`,
    [...period, options.timeZone, options.interval],
  );
  const items = await client.query<{ sku: string; description: string; kind: string; quantity: string; sales_minor: string; orders: number }>(
    `SELECT l->>'sku' AS sku, (array_agg(l->>'description' ORDER BY o.created_at DESC))[1] AS description, o.kind,
            coalesce(sum((l->>'quantity')::bigint), 0) AS quantity, coalesce(sum((l->>'lineTotalMinor')::bigint), 0) AS sales_minor, count(DISTINCT o.order_id)::int AS orders
     FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.body->'lines') AS l
     WHERE ${inPeriod} AND ${sold}
     GROUP BY l->>'sku', o.kind ORDER BY sales_minor DESC, quantity DESC, sku LIMIT $5`,
    [...period, options.top],
  );
  const shareBy = async (key: string) =>
    (
      await client.query<{ key: string; orders: number; sales_minor: string }>(
        `SELECT ${key} AS key, count(*)::int AS orders, coalesce(sum(${amountDue}), 0)::bigint AS sales_minor
         FROM orders WHERE ${inPeriod} AND ${sold} GROUP BY 1 ORDER BY sales_minor DESC, key`,
        period,
      )
    ).rows.map((r) => ({ key: r.key, orders: r.orders, salesMinor: Number(r.sales_minor) }));
  const regions = await shareBy("coalesce(body->>'region', '')");
  const channels = await shareBy("channel");
  const t = totals.rows[0]!;
  return {
    totals: { orders: t.orders, cancelled: t.cancelled, salesMinor: Number(t.sales_minor), currency: t.currency ?? "" },
    trend: trend.rows.map((r) => ({ startsAt: r.starts_at, orders: r.orders, cancelled: r.cancelled, salesMinor: Number(r.sales_minor) })),
    items: items.rows.map((r) => ({ sku: r.sku, description: r.description, kind: r.kind, quantity: Number(r.quantity), salesMinor: Number(r.sales_minor), orders: r.orders })),
    regions,
    channels,
  };
}
