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
 * The content as canonical JSON. JSON.stringify does the writing, in half the time the
 * hand-made writer took on every order; the replacer only hands it objects whose keys
 * are out of order as copies with the keys sorted.
 */
function canonicalJson(value: unknown): string {
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
