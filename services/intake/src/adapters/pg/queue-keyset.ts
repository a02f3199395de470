import type { QueuePosition } from "../../app/queue-pages.ts";

/**
 * The supervisors' queues' keyset in SQL (app/queue-pages.ts) over a time column `at` and a text
 * id: the select-list columns giving a row's position, the condition keeping the rows after
 * `$n` (micros) and `$n+1` (id) — both null on the first page, when every row passes (-infinity
 * and the empty text come first), so one statement serves every page and the
 * (store_id, requested_at) index bounds its scan — and the order. The time is rebuilt from the
 * micros as epoch plus an interval, exact below 2^53 micros (the year 2255).
 */
export const queueKeyset = {
  columns: (at: string, id: string) => `(extract(epoch FROM ${at}) * 1000000)::bigint::text AS position_micros, ${id} AS position_id`,
  after: (at: string, id: string, n: number) =>
    `(${at}, ${id} COLLATE "C") > (COALESCE(timestamptz 'epoch' + $${n}::bigint * interval '1 microsecond', '-infinity'), COALESCE($${n + 1}::text, '') COLLATE "C")`,
  orderBy: (at: string, id: string) => `ORDER BY ${at}, ${id} COLLATE "C"`,
  /** The parameters `after` reads: the position's, or nulls for the first page. */
  values: (after: QueuePosition | undefined) => [after?.requestedAtMicros ?? null, after?.id ?? null],
  positionOf: (row: { position_micros: string; position_id: string }): QueuePosition => ({ requestedAtMicros: row.position_micros, id: row.position_id }),
};
