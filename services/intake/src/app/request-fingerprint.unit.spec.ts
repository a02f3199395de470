import { describe, expect, it } from "vitest";
import { fingerprintOf } from "./request-fingerprint.ts";

describe("request fingerprint", () => {
  it("does not depend on key order or on absent optional fields", () => {
    expect(fingerprintOf({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(fingerprintOf({ b: { d: "x", c: [1, 2] }, a: 1, e: undefined }));
  });

  it("tells different content apart", () => {
    expect(fingerprintOf({ lines: [1, 2] })).not.toBe(fingerprintOf({ lines: [2, 1] }));
    expect(fingerprintOf({ quantity: 1 })).not.toBe(fingerprintOf({ quantity: "1" }));
  });
});
