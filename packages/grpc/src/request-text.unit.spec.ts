import { describe, expect, it } from "vitest";
import { fieldHoldingNul } from "./request-text.ts";

describe("a request's text fields", () => {
  it("names the first field holding a NUL character, however deep, and passes clean requests and bytes", () => {
    expect(fieldHoldingNul({ orderId: "o-1", caller: { kind: "staff", id: "s-1", role: "rider" }, lines: [{ sku: "a" }] })).toBeUndefined();
    expect(fieldHoldingNul({ orderId: "o-1", caller: { kind: "staff", id: "s\u00001", role: "rider" } })).toBe("caller.id");
    expect(fieldHoldingNul({ lines: [{ sku: "a" }, { sku: "b\u0000" }] })).toBe("lines[1].sku");
    expect(fieldHoldingNul("\u0000")).toBe("request");
    expect(fieldHoldingNul({ photo: new Uint8Array([0, 0, 0]), count: 0, missing: undefined })).toBeUndefined();
  });
});
