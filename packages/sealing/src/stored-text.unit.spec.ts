import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyRingFromEnv } from "./key-ring.ts";
import { Sealer } from "./sealer.ts";
import { openText, sealText, textToShow } from "./stored-text.ts";

const variable = "TEST_SEALING_KEYS";
const sealerWith = (keyId: string) => new Sealer(keyRingFromEnv({ [variable]: `${keyId}:${randomBytes(32).toString("base64")}` }, variable, "test"));

describe("a person's words as a record keeps them", () => {
  it("open to what was sealed for that record, and read as they are when stored in the clear", () => {
    const sealer = sealerWith("k1");
    const sealed = sealText(sealer, "Zhang Wei, 138 0013 8000: the kettle leaks", "case:c-1");
    expect(sealed.toString("latin1")).not.toContain("Zhang");
    expect(openText(sealer, { sealed }, "case:c-1")).toBe("Zhang Wei, 138 0013 8000: the kettle leaks");
    expect(openText(sealer, { clear: "stored before sealing" }, "case:c-1")).toBe("stored before sealing");
    expect(() => openText(sealer, { sealed }, "case:c-2")).toThrow(expect.objectContaining({ code: "sealing.tampered" }));
  });

  it("are shown empty when no key of the process opens them, but a changed or moved seal is not hidden", () => {
    const sealed = sealText(sealerWith("k1"), "words", "case:c-1");
    const elsewhere = sealerWith("k2");
    expect(() => openText(elsewhere, { sealed }, "case:c-1")).toThrow(expect.objectContaining({ code: "sealing.unknown-key" }));
    expect(textToShow(elsewhere, { sealed }, "case:c-1")).toBe("");
    const sealer = sealerWith("k3");
    const mine = sealText(sealer, "words", "case:c-1");
    expect(() => textToShow(sealer, { sealed: mine }, "case:c-9")).toThrow(expect.objectContaining({ code: "sealing.tampered" }));
  });
});
