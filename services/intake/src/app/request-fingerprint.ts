import { hash } from "node:crypto";

/**
 * A digest of a request's content that does not depend on key order, to tell a repeated
 * request (same order, answered with the same result) from a different one reusing its keys.
 * Fingerprints are stored with the orders, so the digest of a given content never changes:
 * the SHA-256 of the content as JSON with every object's keys in ascending order and
 * undefined members left out.
 */
export function fingerprintOf(value: unknown): string {
  return hash("sha256", canonicalJson(value), "base64url");
}

/**
 * The content as canonical JSON, written by JSON.stringify in one pass with no copy of the
 * content. Given a list of member names, JSON.stringify writes every object's members in
 * the list's order and only those: the list of every name the content uses, sorted, puts
 * each object's members in ascending order. Names an object lacks are skipped, since
 * reading them gives undefined (or one of Object.prototype's functions, also skipped).
 * The sorted copies this replaced were a tenth of what intake allocated per order.
 * Content that is not plain data takes the copying path, which is right for anything.
 */
function canonicalJson(value: unknown): string {
  const names = memberNamesOfPlainData(value);
  if (names === undefined) return canonicalJsonByCopying(value);
  return JSON.stringify(value, names) ?? "null";
}

/** Deeper than any request; a cycle ends here too, on the copying path, which refuses it as it always did. */
const deepestWalked = 200;

/**
 * Every member name of the content's objects, sorted; undefined when the content is not plain
 * data (objects other than plain ones and arrays, a toJSON to call, a name that reads as
 * something on an object without it), which the list cannot be trusted to write as before.
 */
function memberNamesOfPlainData(value: unknown): string[] | undefined {
  const names = new Set<string>();
  if (!collectMemberNames(value, names, 0)) return undefined;
  const sorted = [...names];
  for (const name of sorted) {
    const inherited = (emptyObject as Record<string, unknown>)[name];
    // "__proto__" reads as Object.prototype on an object without such a member.
    if (inherited !== undefined && typeof inherited !== "function") return undefined;
  }
  // The default sort compares UTF-16 code units, as the `<` of the stored definition does.
  return sorted.sort();
}

const emptyObject = {};

function collectMemberNames(value: unknown, names: Set<string>, depth: number): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (depth > deepestWalked) return false;
  // JSON.stringify writes what toJSON returns, which this walk has not seen.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) if (!collectMemberNames(array[i], names, depth + 1)) return false;
    return true;
  }
  if (prototype !== Object.prototype && prototype !== null) return false;
  const object = value as Record<string, unknown>;
  for (const name in object) {
    if (!Object.hasOwn(object, name)) continue;
    names.add(name);
    if (!collectMemberNames(object[name], names, depth + 1)) return false;
  }
  return true;
}

/**
 * The same JSON for any content (the path every order took until the twenty-sixth session):
 * JSON.stringify does the writing; the replacer hands it objects whose keys are out of
 * order as copies with the keys sorted.
 */
function canonicalJsonByCopying(value: unknown): string {
  try {
    return JSON.stringify(value, withSortedKeys) ?? "null";
  } catch (error) {
    if (error !== indexKeysOutOfOrder) throw error;
    return writtenByHand(value);
  }
}

function withSortedKeys(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (inAscendingOrder(keys)) return value;
  // A copy lists index-like keys ("0", "7") first, in numeric order, whatever the order
  // they were set in; such objects (no request has them) are written by hand instead.
  if (keys.some(isIndexLike)) throw indexKeysOutOfOrder;
  // Without a prototype, a member named "__proto__" stays a member.
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of keys.sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

const indexKeysOutOfOrder = new Error("an object with index-like keys out of order");

function inAscendingOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

const isIndexLike = (key: string) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

/** The same JSON, written member by member: slower, and right for any keys. */
function writtenByHand(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(writtenByHand).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${writtenByHand(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
