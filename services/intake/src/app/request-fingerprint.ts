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
 * the list's order and only those: a sorted list holding every name the content uses puts
 * each object's members in ascending order. Names an object lacks are skipped, since
 * reading them gives undefined (or one of Object.prototype's functions, also skipped), so
 * the list may hold more: it is kept from one request to the next (below).
 * The sorted copies this replaced were a tenth of what intake allocated per order.
 * Content that is not plain data takes the copying path, which is right for anything.
 */
function canonicalJson(value: unknown): string {
  const names = memberNamesCovering(value);
  if (names === undefined) return canonicalJsonByCopying(value);
  return JSON.stringify(value, names) ?? "null";
}

/**
 * Names met in earlier contents, each one that reads as nothing on an object without it, and
 * the same sorted. Submissions are zod's output, holding only the schema's few dozen names, so
 * a request seldom adds one and the list is not rebuilt (building it per request was 2 KB an
 * order). Past mostNamesKept (content with names of its own choosing), it starts again
 * from the content's names: JSON.stringify reads every listed name on every object.
 */
const knownNames = new Set<string>();
let knownNamesSorted: string[] = [];
const mostNamesKept = 128;

/** Deeper than any request; a cycle ends here too, on the copying path, which refuses it as it always did. */
const deepestWalked = 200;

/**
 * A sorted list holding every member name of the content's objects; undefined when the
 * content is not plain data (objects other than plain ones and arrays, a toJSON to call, a
 * name that reads as something on an object without it), which such a list cannot be
 * trusted to write as before.
 */
function memberNamesCovering(value: unknown): readonly string[] | undefined {
  const before = knownNames.size;
  if (!learnMemberNames(value, 0)) return undefined;
  if (knownNames.size === before) return knownNamesSorted;
  if (knownNames.size > mostNamesKept) {
    knownNames.clear();
    learnMemberNames(value, 0);
  }
  // The default sort compares UTF-16 code units, as the `<` of the stored definition does.
  knownNamesSorted = [...knownNames].sort();
  return knownNamesSorted;
}

const emptyObject = {};

/** Adds the content's member names to knownNames; false when it is not plain data. */
function learnMemberNames(value: unknown, depth: number): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (depth > deepestWalked) return false;
  // JSON.stringify writes what toJSON returns, which this walk has not seen.
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) if (!learnMemberNames(array[i], depth + 1)) return false;
    return true;
  }
  if (prototype !== Object.prototype && prototype !== null) return false;
  const object = value as Record<string, unknown>;
  for (const name in object) {
    if (!Object.hasOwn(object, name)) continue;
    if (!knownNames.has(name)) {
      const inherited = (emptyObject as Record<string, unknown>)[name];
      // "__proto__" reads as Object.prototype on an object without such a member: never listed.
      if (inherited !== undefined && typeof inherited !== "function") return false;
      knownNames.add(name);
    }
    if (!learnMemberNames(object[name], depth + 1)) return false;
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
