import pg from "pg";

/** One kind of step an order takes by itself: from one timeline entry to the next, written by a service. */
export interface PipelineHop {
  from: string;
  to: string;
  /** The service that wrote the later entry. */
  service: string;
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
}

/**
 * Where an order's own time goes, hop by hop, read from fulfillment's timeline after the
 * run: the gap between consecutive entries of each order, grouped by the pair of entries,
 * for the hops whose later entry a service wrote by itself (a person's step would include
 * their think and notice time). The hops that take longest are the bottleneck: the
 * benchmark's first use of this found assignment taking 13 s of a 20 s pipeline.
 */
export async function measurePipelineHops(databaseUrl: string, limit = 12): Promise<PipelineHop[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ from: string; to: string; service: string; count: number; mean: number; p50: number; p90: number; max: number }>(
      `WITH entries AS (
         SELECT what, service, actor, at, lag(what) OVER w AS previous, lag(at) OVER w AS previous_at
         FROM fulfillment.timeline WINDOW w AS (PARTITION BY order_id ORDER BY at, id)
       ), gaps AS (
         SELECT previous, what, service, extract(epoch FROM at - previous_at) * 1000 AS ms
         FROM entries WHERE previous IS NOT NULL AND actor LIKE 'system:%'
       )
       SELECT previous AS "from", what AS "to", service, count(*)::int AS count,
         round(avg(ms))::int AS mean,
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms))::int AS p50,
         round(percentile_cont(0.9) WITHIN GROUP (ORDER BY ms))::int AS p90,
         round(max(ms))::int AS max
       FROM gaps GROUP BY previous, what, service
       HAVING count(*) >= 10
       ORDER BY avg(ms) DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ from: r.from, to: r.to, service: r.service, count: r.count, meanMs: r.mean, p50Ms: r.p50, p90Ms: r.p90, maxMs: r.max }));
  } finally {
    await client.end();
  }
}
