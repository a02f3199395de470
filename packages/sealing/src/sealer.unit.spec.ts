import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyRingFromEnv } from "./key-ring.ts";
import { Sealer } from "./sealer.ts";

const keyText = () => randomBytes(32).toString("base64");
const variable = "TEST_SEALING_KEYS";

describe("sealed data", () => {
  it("opens to what was sealed, only for the record it was sealed for", () => {
    const sealer = new Sealer(keyRingFromEnv({ [variable]: `k1:${keyText()}` }, variable, "test"));
    const sealed = sealer.seal(Buffer.from("Li Wei, +86 138 0000 0000"), "order-1");
    expect(sealed.toString("utf8")).not.toContain("Li Wei");
    expect(sealer.open(sealed, "order-1").toString("utf8")).toBe("Li Wei, +86 138 0000 0000");
    expect(() => sealer.open(sealed, "order-2")).toThrow(expect.objectContaining({ code: "sealing.tampered" }));
  });

  it("is refused once a byte changed", () => {
    const sealer = new Sealer(keyRingFromEnv({ [variable]: `k1:${keyText()}` }, variable, "test"));
    const sealed = sealer.seal(Buffer.from("secret"), "order-1");
    sealed[sealed.length - 1]! ^= 1;
    expect(() => sealer.open(sealed, "order-1")).toThrow(expect.objectContaining({ code: "sealing.tampered" }));
    expect(() => sealer.open(Buffer.from([7, 1, 2]), "order-1")).toThrow(expect.objectContaining({ code: "sealing.unknown-format" }));
  });

  it("seals under the newest key after a rotation and still opens what the older one sealed", () => {
    const [k1, k2] = [keyText(), keyText()];
    const before = new Sealer(keyRingFromEnv({ [variable]: `k1:${k1}` }, variable, "test"));
    const after = new Sealer(keyRingFromEnv({ [variable]: `k2:${k2},k1:${k1}` }, variable, "test"));
    const old = before.seal(Buffer.from("kept"), "order-1");
    expect(after.open(old, "order-1").toString()).toBe("kept");
    expect(after.keyIdOf(after.seal(Buffer.from("new"), "order-1"))).toBe("k2");
    const retired = new Sealer(keyRingFromEnv({ [variable]: `k2:${k2}` }, variable, "test"));
    expect(() => retired.open(old, "order-1")).toThrow(expect.objectContaining({ code: "sealing.unknown-key" }));
  });

  it("refuses a ring it cannot use, naming the variable and never a key", () => {
    const key = keyText();
    for (const [raw, message] of [
      [`K1:${key}`, /entry 1 must be <keyId>:<base64 key>/],
      [`k1:${key.slice(4)}`, /key k1 must be 32 bytes/],
      [`k1:${key},k1:${keyText()}`, /key k1 is named twice/],
      [`k1:${key}:x`, /entry 1 must be/],
    ] as const) {
      expect(() => keyRingFromEnv({ [variable]: raw }, variable, "test")).toThrow(message);
      try {
        keyRingFromEnv({ [variable]: raw }, variable, "test");
      } catch (error) {
        expect((error as Error).message).toContain(variable);
        expect((error as Error).message).not.toContain(key.slice(4, 20));
      }
    }
    expect(keyRingFromEnv({}, variable, "test")).toMatchObject({ current: "dev", source: "development" });
  });
});
