/**
 * Lists paged by keyset, the same way in every service (finance's first: carrier recoveries,
 * reconciliations, settlement disputes):
 * a page ends at its last row's position in the list's own order, and the next starts after
 * it, so rows recorded while the list is read neither repeat nor skip one already listed.
 * The token is opaque to callers; one this code did not give is refused naming `pageToken`.
 */
import type { FieldError } from "@oms/errors";

/**
 * One part of a position: a time in microseconds since the epoch as decimal text (a Date
 * keeps only milliseconds; the stored times carry microseconds), a whole number that fits a
 * Postgres integer (a priority), or an id.
 */
export type KeyPart = "micros" | "int" | "id";

/** A list's position: its parts by name, each as text. */
export type Position<Name extends string> = Record<Name, string>;

export interface KeysetList<Name extends string> {
  /** The size of a page when the caller names none (0), and the most one holds. */
  defaultSize: number;
  maxSize: number;
  /** Checks a page size the caller asked under `field`; false (and the problem in `errors`) when out of range. */
  sizeIsValid(asked: number, field: string, errors: FieldError[]): boolean;
  /**
   * The page asked: its size and where it starts; problems go to `errors`, naming the field.
   * `limit`, on a list that had one before it was paged, is the size's older name, kept for the
   * callers built then: it sizes the page as `pageSize` would; both given is refused naming `limit`.
   */
  pageOf(request: { pageSize: number; pageToken: string; limit?: number }, errors: FieldError[]): { size: number; after: Position<Name> | undefined };
  positionOfToken(token: string, errors: FieldError[]): Position<Name> | undefined;
  /** The token continuing after `last`, when the extra row read shows there is more; "" when not. */
  tokenAfter(last: Position<Name> | undefined, more: boolean): string;
}

/** The micros Postgres rebuilds a time from exactly (epoch plus a double times an interval): 1685 to 2255. */
const maxExactMicros = 2n ** 53n;
/**
 * Ids are uuids or a caller's own (ADR 015: at most 200 characters, counted as the gateway counts
 * them, in code points: a force-majeure id of 128 emoji is 256 UTF-16 units); a token naming a
 * longer one is not one a list gave.
 */
const idMax = 200;

const validPart: Record<KeyPart, (value: unknown) => boolean> = {
  micros: (value) => typeof value === "string" && /^-?\d{1,19}$/.test(value) && BigInt(value) <= maxExactMicros && BigInt(value) >= -maxExactMicros,
  // A Postgres integer's whole range, which is not symmetric: -2147483648 is a priority a token may carry.
  int: (value) => typeof value === "string" && /^-?\d{1,10}$/.test(value) && Number(value) >= -(2 ** 31) && Number(value) <= 2 ** 31 - 1,
  // Postgres text holds no NUL: a token naming one would fail the query (a 500), not be refused.
  id: (value) => typeof value === "string" && value.length > 0 && (value.length <= idMax || [...value].length <= idMax) && !value.includes("\u0000"),
};

/** A list paged on `parts`, in the list's order (the last one an id breaking ties). */
export function keysetList<Name extends string>(parts: readonly (readonly [Name, KeyPart])[], sizes: { defaultSize: number; maxSize: number }): KeysetList<Name> {
  const { defaultSize, maxSize } = sizes;
  const sizeIsValid = (asked: number, field: string, errors: FieldError[]) => {
    if (Number.isInteger(asked) && asked >= 0 && asked <= maxSize) return true;
    errors.push({ field, message: `must be 1 to ${maxSize} (0: ${defaultSize})` });
    return false;
  };
  const positionOfToken = (token: string, errors: FieldError[]): Position<Name> | undefined => {
    if (token === "") return undefined;
    try {
      const values = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as unknown;
      // Exactly the list's parts: a longer token is another list's, whose first parts may fit this one's.
      if (Array.isArray(values) && values.length === parts.length && parts.every(([, kind], i) => validPart[kind](values[i]))) {
        return Object.fromEntries(parts.map(([name], i) => [name, values[i] as string])) as Position<Name>;
      }
    } catch {
      // Not base64url JSON: refused below like any other token this list did not give.
    }
    errors.push({ field: "pageToken", message: "is not a page token this list gave" });
    return undefined;
  };
  return {
    defaultSize,
    maxSize,
    sizeIsValid,
    pageOf: (request, errors) => {
      const sizeOk = sizeIsValid(request.pageSize, "pageSize", errors);
      const limit = request.limit ?? 0;
      const limitOk = sizeIsValid(limit, "limit", errors);
      if (sizeOk && limitOk && request.pageSize > 0 && limit > 0) errors.push({ field: "limit", message: "is pageSize's older name: give one of them" });
      return { size: (sizeOk ? request.pageSize : 0) || (limitOk ? limit : 0) || defaultSize, after: positionOfToken(request.pageToken, errors) };
    },
    positionOfToken,
    tokenAfter: (last, more) => (more && last ? Buffer.from(JSON.stringify(parts.map(([name]) => last[name]))).toString("base64url") : ""),
  };
}
