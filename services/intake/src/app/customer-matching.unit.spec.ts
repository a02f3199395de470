import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { customerFlagKeyOf } from "../domain/customer-flag.ts";
import { customerMatchingFromEnv, customerMatchingUnder, developmentMatchingWarning } from "./customer-matching.ts";

const phone = "+86 138 0013 8000";
const matchingA = customerMatchingUnder(Buffer.alloc(32, 1));
const matchingB = customerMatchingUnder(Buffer.alloc(32, 2));
const plainHash = (kind: string, normalised: string) => createHash("sha256").update(`${kind}:${normalised}`).digest("hex");

describe("matching flagged customers under a key", () => {
  it("gives other digests under another matching key, and never those of the plain hash", () => {
    const underA = customerFlagKeyOf({ by: "phone", phone }, matchingA.digestOf);
    const underB = customerFlagKeyOf({ by: "phone", phone }, matchingB.digestOf);
    expect(underA).not.toBe(underB);
    expect(underA).not.toBe(customerFlagKeyOf({ by: "phone", phone }, plainHash));
    expect(matchingA.keyCheck).not.toBe(matchingB.keyCheck);
    expect(customerMatchingUnder(Buffer.alloc(32, 1)).digestOf("phone", "8613800138000")).toBe(matchingA.digestOf("phone", "8613800138000"));
    // A phone and an e-mail of the same text are different contacts.
    expect(matchingA.digestOf("phone", "123")).not.toBe(matchingA.digestOf("email", "123"));
  });
});

describe("the matching key from the environment", () => {
  it("takes 32 bytes in base64, and otherwise a development key anyone can derive, said so", () => {
    const key = Buffer.alloc(32, 7).toString("base64");
    const configured = customerMatchingFromEnv({ INTAKE_CUSTOMER_MATCHING_KEY: key });
    expect(configured.source).toBe("configured");
    expect(configured.digestOf("phone", "1")).toBe(customerMatchingUnder(Buffer.alloc(32, 7)).digestOf("phone", "1"));
    const development = customerMatchingFromEnv({});
    expect(development.source).toBe("development");
    expect(development.digestOf("phone", "1")).toBe(customerMatchingFromEnv({ INTAKE_CUSTOMER_MATCHING_KEY: " " }).digestOf("phone", "1"));
    expect(development.keyCheck).not.toBe(configured.keyCheck);
  });

  it("under the development key, a phone's digest gives the phone back to whoever tries the numbers, and the start's warning says so", () => {
    const development = customerMatchingFromEnv({});
    const key = customerFlagKeyOf({ by: "phone", phone: "+86 138 0013 8042" }, development.digestOf);
    // Anyone can derive the key, so anyone can walk the numbers (here the last hundred of a block).
    const found = Array.from({ length: 100 }, (_, i) => `86138001380${String(i).padStart(2, "0")}`).find((digits) => `phone-digest:${development.digestOf("phone", digits)}` === key);
    expect(found).toBe("8613800138042");
    expect(developmentMatchingWarning).toMatch(/^INTAKE_CUSTOMER_MATCHING_KEY is not set/);
    expect(developmentMatchingWarning).toMatch(/can be reversed by trying every number/);
    expect(developmentMatchingWarning).toMatch(/page tokens/);
  });

  it("refuses a key that is not 32 bytes of base64, naming the variable and not the key", () => {
    for (const wrong of [Buffer.alloc(16, 1).toString("base64"), "not base64 at all!!", `${Buffer.alloc(32, 1).toString("base64")}x`]) {
      expect(() => customerMatchingFromEnv({ INTAKE_CUSTOMER_MATCHING_KEY: wrong })).toThrow(/^INTAKE_CUSTOMER_MATCHING_KEY must be 32 bytes in base64/);
      try {
        customerMatchingFromEnv({ INTAKE_CUSTOMER_MATCHING_KEY: wrong });
      } catch (error) {
        expect((error as Error).message).not.toContain(wrong);
      }
    }
  });
});
