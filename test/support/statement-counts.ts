import type { RunningStack } from "@oms/infra";

/**
 * Statements each service has sent to Postgres so far (its oms_db_statements_total), read
 * from its /metrics. Two readings around a run give the round trips the run cost; per
 * order, that is the figure batching brings down. A service that does not answer is left
 * out rather than counted as zero.
 */
export async function readStatementCounts(stack: RunningStack): Promise<Record<string, number>> {
  const readings = await Promise.all(
    Object.values(stack.services).map(async (service) => {
      try {
        const response = await fetch(`http://127.0.0.1:${service.httpPort}/metrics`, { signal: AbortSignal.timeout(5_000) });
        const match = /^oms_db_statements_total\{[^}]*\} (\d+)/m.exec(await response.text());
        return match ? ([service.name, Number(match[1])] as const) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return Object.fromEntries(readings.filter((r) => r !== undefined));
}

/** Statements per order by service between two readings, and their sum; null without orders. */
export function statementsPerOrder(before: Record<string, number>, after: Record<string, number>, orders: number): Record<string, number> | null {
  const grown = Object.entries(after)
    .filter(([name]) => before[name] !== undefined)
    .map(([name, count]) => [name, count - before[name]!] as const);
  return countsPerOrder(Object.fromEntries(grown), orders);
}

/** Each count divided by the orders (one decimal), biggest first, with their sum as `total`; null without orders. */
export function countsPerOrder(counts: Record<string, number>, orders: number): Record<string, number> | null {
  if (orders <= 0) return null;
  const perOrder = Object.entries(counts)
    .map(([name, count]) => [name, Math.round((count / orders) * 10) / 10] as const)
    .sort((a, b) => b[1] - a[1]);
  const total = Math.round(perOrder.reduce((sum, [, n]) => sum + n, 0) * 10) / 10;
  return { ...Object.fromEntries(perOrder), total };
}
