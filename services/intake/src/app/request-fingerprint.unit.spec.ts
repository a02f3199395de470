import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fingerprintOf } from "./request-fingerprint.ts";

/** The definition the stored fingerprints were made with: members sorted, undefined left out, then SHA-256. */
function referenceFingerprint(value: unknown): string {
  const json = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(json).join(",")}]`;
    if (v !== null && typeof v === "object") {
      const entries = Object.entries(v)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, member]) => `${JSON.stringify(k)}:${json(member)}`).join(",")}}`;
    }
    return JSON.stringify(v) ?? "null";
  };
  return createHash("sha256").update(json(value)).digest("base64url");
}

/**
 * fingerprintOf as it was until the twenty-sixth session (sorted copies through JSON.stringify's
 * replacer), kept verbatim: the copy-free writer must give its digest for every input.
 */
function fingerprintBySortedCopies(value: unknown): string {
  const indexKeysOutOfOrder = new Error("an object with index-like keys out of order");
  const isIndexLike = (key: string) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
  const inAscendingOrder = (keys: readonly string[]) => {
    for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
    return true;
  };
  function withSortedKeys(this: unknown, _key: string, v: unknown): unknown {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (inAscendingOrder(keys)) return v;
    if (keys.some(isIndexLike)) throw indexKeysOutOfOrder;
    const sorted: Record<string, unknown> = Object.create(null);
    for (const key of keys.sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  }
  const writtenByHand = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(writtenByHand).join(",")}]`;
    if (v !== null && typeof v === "object") {
      const entries = Object.entries(v)
        .filter(([, m]) => m !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, m]) => `${JSON.stringify(k)}:${writtenByHand(m)}`).join(",")}}`;
    }
    return JSON.stringify(v) ?? "null";
  };
  let json: string;
  try {
    json = JSON.stringify(value, withSortedKeys) ?? "null";
  } catch (error) {
    if (error !== indexKeysOutOfOrder) throw error;
    json = writtenByHand(value);
  }
  return createHash("sha256").update(json).digest("base64url");
}

/** Member names a channel or an attacker may send: unicode, index-like, and the names Object.prototype has. */
const memberName = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.constantFrom("10", "9", "0", "01", "4294967295", "__proto__", "constructor", "toString", "toJSON", "valueOf", "hasOwnProperty", "", "é", "e\u0301", "😀", "\ud800"),
);

/** Numbers JSON writes in its own ways: -0 as 0, 1e21 in exponent form, NaN and infinities as null. */
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, 0, 1e21, 1e-7, 123e-20, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity, 2 ** 53));

/** JSON-like content, with undefined members and array items, in any member order, some objects without a prototype. */
const content = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, true, false, undefined),
    number,
    fc.string({ unit: "grapheme" }),
    fc.string({ unit: "binary" }),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.tuple(fc.array(fc.tuple(memberName, tie("value")), { maxLength: 6 }), fc.boolean()).map(([entries, withoutPrototype]) =>
      withoutPrototype ? Object.assign(Object.create(null), Object.fromEntries(entries)) : Object.fromEntries(entries),
    ),
  ),
})).value;

/** The same content with its objects' members reordered, as a channel may send it. */
const shuffledCopy = (value: unknown, seed: number): unknown => {
  if (Array.isArray(value)) return value.map((v) => shuffledCopy(v, seed));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value);
  const rotated = entries.length === 0 ? entries : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse();
  return Object.fromEntries(rotated.map(([k, v]) => [k, shuffledCopy(v, seed + 1)]));
};

describe("request fingerprint", () => {
  it("does not depend on key order or on absent optional fields", () => {
    expect(fingerprintOf({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(fingerprintOf({ b: { d: "x", c: [1, 2] }, a: 1, e: undefined }));
  });

  it("tells different content apart", () => {
    expect(fingerprintOf({ lines: [1, 2] })).not.toBe(fingerprintOf({ lines: [2, 1] }));
    expect(fingerprintOf({ quantity: 1 })).not.toBe(fingerprintOf({ quantity: "1" }));
  });

  it("is the digest orders were stored with, so a repeat after an upgrade is still recognised", () => {
    const submission = {
      channel: "website",
      channelOrderId: "web-1001",
      storeId: "store-03",
      kind: "goods",
      fulfillmentMethod: "ship",
      customer: { name: "Wang Fang", phone: "+86 138 0013 8000", address: { line1: "88 Nanjing Road", city: "Shanghai", district: "Huangpu", country: "CN" } },
      lines: [
        { sku: "SKU-001", quantity: 2, unitPriceMinor: 12900 },
        { sku: "SKU-014", quantity: 1, unitPriceMinor: 4500, specialRequests: 'gift wrap, "red" 🎁' },
      ],
      totals: { discountMinor: 0, shippingFeeMinor: 1000, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 31300, currency: "CNY" },
      paymentMethod: "third-party",
      prepaid: true,
      notes: undefined,
    };
    expect(fingerprintOf(submission)).toBe("I2H3QK9mIz5ZH3ndZ0Vw_Ton6aM_J5u20JQoOWxhH-8");
    // Index-like keys out of order, and undefined in an array (written as null).
    expect(fingerprintOf({ "10": "a", "9": "b", x: [undefined, null] })).toBe("Q_QIBFZLSnJbDhv2lIgC_gIi53X5yz2sCZYd-0ef41M");
  });

  it("agrees with the stored definition for any JSON content, in any member order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        const expected = referenceFingerprint(value);
        expect(fingerprintOf(value)).toBe(expected);
        expect(fingerprintOf(shuffledCopy(value, seed))).toBe(expected);
      }),
      { numRuns: 500 },
    );
    // A member named __proto__, as JSON.parse makes it: a member like any other.
    const parsedWithProto: unknown = JSON.parse('{"a":{"__proto__":{"b":1}},"c":{"d":2}}');
    expect(fingerprintOf(parsedWithProto)).toBe(referenceFingerprint(parsedWithProto));
    const parsed: unknown = JSON.parse('{"z":1,"__proto__":{"a":2}}');
    expect(fingerprintOf(parsed)).toBe(referenceFingerprint(parsed));
  });

  it("gives the digest the sorted copies gave, for any content and member order", () => {
    fc.assert(
      fc.property(content, fc.nat(), (value, seed) => {
        const expected = fingerprintBySortedCopies(value);
        expect(fingerprintOf(value)).toBe(expected);
        expect(fingerprintOf(shuffledCopy(value, seed))).toBe(fingerprintBySortedCopies(shuffledCopy(value, seed)));
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives the sorted copies' digest for content that is not plain data, too", () => {
    class Line {
      readonly sku: string;
      constructor(sku: string) {
        this.sku = sku;
      }
    }
    const cases: unknown[] = [
      { at: new Date(Date.UTC(2026, 11, 7)), b: 1, a: 2 },
      { z: { toJSON: () => ({ y: 1, x: 2 }) } },
      { a: [new Line("S-1")], b: Object.assign([{ d: 1 }], { toJSON: () => [{ c: 3, b: 2 }] }) },
      { lines: Object.assign([1, 2], { toJSON: () => "two lines" }) },
      { n: Object(1), s: Object("text"), m: new Map([["k", 1]]) },
      JSON.parse('{"b":1,"__proto__":null,"a":[{"__proto__":{"c":1}}]}'),
    ];
    for (const value of cases) expect(fingerprintOf(value)).toBe(fingerprintBySortedCopies(value));
    let deep: unknown = { last: true };
    for (let i = 0; i < 500; i++) deep = { b: deep, a: i };
    expect(fingerprintOf(deep)).toBe(fingerprintBySortedCopies(deep));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => fingerprintOf(cyclic)).toThrow(TypeError);
  });
});
