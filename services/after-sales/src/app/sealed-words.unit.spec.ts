import { describe, expect, it } from "vitest";
import { sealedWordsFromEnv } from "./sealed-words.ts";

const keyOf = (fill: number) => Buffer.alloc(32, fill).toString("base64");
const words = "Wang Fang, 138 0013 8000, 12 Jinqiao Road: the kettle leaks at the base";

describe("the customer's words sealed under AFTERSALES_PERSONAL_DATA_KEYS", () => {
  it("open for the case they were sealed for, and for no other case nor as a survey comment", () => {
    const { words: sealing, development } = sealedWordsFromEnv({ AFTERSALES_PERSONAL_DATA_KEYS: `as1:${keyOf(3)}` });
    expect(development).toBe(false);
    const sealed = sealing.sealDescription("case-1", words);
    expect(sealed.toString("latin1")).not.toContain("138 0013");
    expect(sealing.descriptionOf("case-1", { sealed })).toBe(words);
    expect(() => sealing.descriptionOf("case-2", { sealed })).toThrow(/fails authentication/);
    expect(() => sealing.commentOf("case-1", { sealed })).toThrow(/fails authentication/);
    const comment = sealing.sealComment("order-1", "call me on 138 0013 8000");
    expect(sealing.commentOf("order-1", { sealed: comment })).toBe("call me on 138 0013 8000");
    expect(() => sealing.commentOf("order-2", { sealed: comment })).toThrow(/fails authentication/);
  });

  it("do not open under another deployment's keys, and open under a rotated ring that still holds the old key", () => {
    const { words: ours } = sealedWordsFromEnv({ AFTERSALES_PERSONAL_DATA_KEYS: `as1:${keyOf(3)}` });
    const sealed = ours.sealDescription("case-1", words);
    const { words: elsewhere } = sealedWordsFromEnv({ AFTERSALES_PERSONAL_DATA_KEYS: `as1:${keyOf(9)}` });
    expect(() => elsewhere.descriptionOf("case-1", { sealed })).toThrow(/fails authentication/);
    const { words: development } = sealedWordsFromEnv({});
    expect(() => development.descriptionOf("case-1", { sealed })).toThrow(/key as1/);
    const { words: rotated } = sealedWordsFromEnv({ AFTERSALES_PERSONAL_DATA_KEYS: `as2:${keyOf(5)},as1:${keyOf(3)}` });
    expect(rotated.keyId).toBe("as2");
    expect(rotated.descriptionOf("case-1", { sealed })).toBe(words);
  });

  it("fall back to a development key, said so, when none is configured; old words in the clear are read as they are", () => {
    const { words: development, development: isDevelopment } = sealedWordsFromEnv({});
    expect(isDevelopment).toBe(true);
    expect(development.descriptionOf("case-1", { clear: "stored before sealing" })).toBe("stored before sealing");
    expect(development.commentOf("order-1", { clear: "" })).toBe("");
  });

  it("refuse a malformed ring naming the variable, never a key", () => {
    expect(() => sealedWordsFromEnv({ AFTERSALES_PERSONAL_DATA_KEYS: "as1:short" })).toThrow(/AFTERSALES_PERSONAL_DATA_KEYS: key as1 must be 32 bytes/);
  });
});
