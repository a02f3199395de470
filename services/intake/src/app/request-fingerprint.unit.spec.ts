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
    const parsed: unknown = JSON.parse('{"z":1,"__proto__":{"a":2}}');
    expect(fingerprintOf(parsed)).toBe(referenceFingerprint(parsed));
  });
});
