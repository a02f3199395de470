import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fieldsRefused } from "@oms/testing/refusals";
import { customerFlagKeyOf, flaggedContactOf, flagKeyKindOf, matchableOf, storedFlagKeyOf, type ContactDigestOf } from "./customer-flag.ts";
import { customerKeysOf } from "./review.ts";

const address = { line1: "88 Nanjing West Road", city: "Shanghai", district: "Jing'an", country: "CN" };
const phone = "+86 138 0013 8000";

// A stand-in for the matching port where the test is about the derivation, not the HMAC: it shows what is digested.
const labelled: ContactDigestOf = (kind, normalised) => createHash("sha256").update(`${kind}:${normalised}`).digest("hex");

describe("customer flags", () => {
  it("keys a customer as the orders' customers are keyed, so the flag meets their next order", () => {
    const digestOf = labelled;
    const orderKeys = customerKeysOf({ customerId: "c-42", name: "Zhou Lan", phone, email: " Zhou.Lan@Example.com", address }, digestOf);
    const flagKeys = [
      customerFlagKeyOf({ by: "customerId", customerId: " c-42 " }, digestOf),
      customerFlagKeyOf({ by: "phone", phone: "+86 (138) 0013-8000" }, digestOf),
      customerFlagKeyOf({ by: "email", email: "zhou.lan@example.COM" }, digestOf),
    ];
    expect(flagKeys).toEqual(orderKeys);
    expect(flagKeys[0]).toBe("id:c-42");
    expect(flagKeys[1]).toMatch(/^phone-digest:[0-9a-f]{64}$/);
    expect(flagKeys[2]).toMatch(/^email-digest:[0-9a-f]{64}$/);
  });

  it("digests the normalised contact with its kind: the same digest however the phone is spelled, never the digits in the key", () => {
    const spellings = ["+86 138-0013-8000", "+86 (138) 0013 8000", "8613800138000", " +86.138.0013.8000 "];
    const keys = spellings.map((spelled) => customerFlagKeyOf({ by: "phone", phone: spelled }, labelled));
    expect(new Set(keys)).toEqual(new Set([`phone-digest:${labelled("phone", "8613800138000")}`]));
    for (const key of keys) expect(key).not.toContain("13800138000");
    expect(customerFlagKeyOf({ by: "email", email: " Zhou.Lan@Example.COM " }, labelled)).toBe(`email-digest:${labelled("email", "zhou.lan@example.com")}`);
  });

  it("leaves a customer id as it is: it is not personal data", () => {
    const digestOf: ContactDigestOf = () => {
      throw new Error("a customer id is not digested");
    };
    expect(customerFlagKeyOf({ by: "customerId", customerId: "c-42" }, digestOf)).toBe("id:c-42");
    expect(customerKeysOf({ customerId: "c-42", name: "n", address }, digestOf)).toEqual(["id:c-42"]);
    expect(flaggedContactOf({ by: "customerId", customerId: "c-42" })).toBeUndefined();
  });

  it("refuses a contact that cannot name a customer, naming the field without repeating it", () => {
    const refusal = fieldsRefused;
    expect(refusal(() => customerFlagKeyOf({ by: "phone", phone: "12-34" }, labelled))).toEqual([{ field: "phone", message: "is not a plausible phone number" }]);
    expect(refusal(() => customerFlagKeyOf({ by: "email", email: "zhou@" }, labelled))).toEqual([{ field: "email", message: "is not a plausible e-mail address" }]);
    expect(refusal(() => customerFlagKeyOf({ by: "customerId", customerId: "  " }, labelled))).toEqual([{ field: "customerId", message: "must not be empty" }]);
  });

  it("tells what a stored key is: the clear keys of before migration 014 give their contact back, to be digested", () => {
    const digest = `phone-digest:${"a".repeat(64)}`;
    expect(["id:c-1", "phone:123", "email:a@b.cn", digest, `email-digest:${"0".repeat(64)}`, "other"].map(flagKeyKindOf)).toEqual([
      "customerId",
      "phone",
      "email",
      "phone",
      "email",
      "unknown",
    ]);
    expect(storedFlagKeyOf("phone:8613800138000")).toEqual({ form: "clear", contact: { phone: "8613800138000" } });
    expect(storedFlagKeyOf("email:a@b.cn")).toEqual({ form: "clear", contact: { email: "a@b.cn" } });
    expect(storedFlagKeyOf(digest)).toEqual({ form: "digest", kind: "phone" });
    expect(storedFlagKeyOf("phone-digest:short")).toEqual({ form: "unknown" });
    expect(matchableOf({ phone: "+86 138-0013-8000" })).toEqual({ kind: "phone", normalised: "8613800138000" });
    expect(matchableOf({ email: " A@B.cn" })).toEqual({ kind: "email", normalised: "a@b.cn" });
  });
});
