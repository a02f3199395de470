/**
 * Paging an append-only log (the showings' logs of ADR 024) oldest first, the same way in every
 * service: keyset on the row's time and id, so a page read while showings are being logged
 * neither repeats a row nor skips one already written before it.
 */
import { ValidationError } from "@oms/errors";

/** A page when the caller names no size (a gRPC caller built before paging asks 0). */
export const defaultLogPageSize = 200;
/** The most one page holds: an audit answer stays bounded, the rest is a next page away. */
export const maxLogPageSize = 1_000;

/**
 * Where a page ended: the last row's time in microseconds since the epoch (a Date keeps only
 * milliseconds, and two showings a microsecond apart must not fall on the same cursor) and its id.
 * Both as decimal text, as Postgres gives bigints.
 */
export interface LogPosition {
  atMicros: string;
  id: string;
}

/**
 * The select-list columns giving a row's position, and the condition keeping the rows after one:
 * `$n` the micros, `$n+1` the id, both null for the first page (then the bound is -infinity, so
 * every row passes). One condition with no `IS NULL OR` branch, so the time bounds the index scan
 * on (…, at) on every page instead of filtering every earlier row. The time is rebuilt from the
 * micros as epoch plus an interval; Postgres multiplies the interval by a double, exact for any
 * microsecond count below 2^53 (the year 2255).
 */
export const logPositionSql = {
  columns: (at: string, id: string) => `(extract(epoch FROM ${at}) * 1000000)::bigint::text AS position_micros, ${id}::text AS position_id`,
  after: (at: string, id: string, n: number) =>
    `(${at}, ${id}) > (COALESCE(timestamptz 'epoch' + $${n}::bigint * interval '1 microsecond', '-infinity'), COALESCE($${n + 1}::bigint, 0))`,
};

/** The row a query with `logPositionSql.columns` answers, as far as paging goes. */
export interface PositionedRow {
  position_micros: string;
  position_id: string;
}

/** The page size asked, 0 (unset) as the default; outside 1…max refused naming `field`. */
export function logPageSizeOf(asked: number, field: string): number {
  if (asked === 0) return defaultLogPageSize;
  if (!Number.isInteger(asked) || asked < 1 || asked > maxLogPageSize) {
    throw new ValidationError([{ field, message: `must be between 1 and ${maxLogPageSize}` }]);
  }
  return asked;
}

/** The micros the cursor rebuilds a time from exactly (see `logPositionSql`): 1684 to 2255. */
const maxExactMicros = 2n ** 53n;
/** A bigint's largest value: the ids are identity columns. */
const maxBigint = 2n ** 63n - 1n;

/**
 * The position a page token names; empty is the first page; anything this code did not give is
 * refused naming `field` — a position out of the cursor's range too, which the query would
 * otherwise fail on (bigint or interval out of range) as an internal error.
 */
export function logPositionOfToken(token: string, field: string): LogPosition | undefined {
  if (token === "") return undefined;
  try {
    const [atMicros, id] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown[];
    if (typeof atMicros === "string" && /^-?\d{1,19}$/.test(atMicros) && typeof id === "string" && /^\d{1,19}$/.test(id)) {
      const micros = BigInt(atMicros);
      if (micros <= maxExactMicros && micros >= -maxExactMicros && BigInt(id) <= maxBigint) return { atMicros, id };
    }
  } catch {
    // Not JSON: refused below like any other token this code did not give.
  }
  throw new ValidationError([{ field, message: "is not a page token this log gave" }]);
}

/**
 * A page out of `size + 1` rows read: the first `size`, and the token after the last of them
 * when the extra row shows there is more ("" when there is not). Opaque to callers.
 */
export function logPageOf<Row extends PositionedRow>(rows: readonly Row[], size: number): { rows: Row[]; nextPageToken: string } {
  const page = rows.slice(0, size);
  const last = page.at(-1);
  const more = rows.length > size && last !== undefined;
  return { rows: page, nextPageToken: more ? Buffer.from(JSON.stringify([last.position_micros, last.position_id])).toString("base64url") : "" };
}
