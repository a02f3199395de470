import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { customerFlagKeyOf, flagKeyKindOf } from "./customer-flag.ts";
import { customerKeysOf } from "./review.ts";

const address = { line1: "88 Nanjing West Road", city: "Shanghai", district: "Jing'an", country: "CN" };

describe("customer flags", () => {
  it("keys a customer as the orders' customers are keyed, so the flag meets their next order", () => {
    const orderKeys = customerKeysOf({ customerId: "c-42", name: "Zhou Lan", phone: "+86 138 0013 8000", email: " Zhou.Lan@Example.com", address });
    const flagKeys = [
      customerFlagKeyOf({ by: "customerId", customerId: " c-42 " }),
      customerFlagKeyOf({ by: "phone", phone: "+86 (138) 0013-8000" }),
      customerFlagKeyOf({ by: "email", email: "zhou.lan@example.COM" }),
    ];
    expect(flagKeys).toEqual(["id:c-42", "phone:8613800138000", "email:zhou.lan@example.com"]);
    for (const key of flagKeys) expect(orderKeys).toContain(key);
  });

  it("refuses a contact that cannot name a customer, naming the field without repeating it", () => {
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ValidationError) return error.fields;
        throw error;
      }
      throw new Error("expected a refusal");
    };
    expect(refusal(() => customerFlagKeyOf({ by: "phone", phone: "12-34" }))).toEqual([{ field: "phone", message: "is not a plausible phone number" }]);
    expect(refusal(() => customerFlagKeyOf({ by: "email", email: "zhou@" }))).toEqual([{ field: "email", message: "is not a plausible e-mail address" }]);
    expect(refusal(() => customerFlagKeyOf({ by: "customerId", customerId: "  " }))).toEqual([{ field: "customerId", message: "must not be empty" }]);
  });

  it("tells the kind of a key for logs", () => {
    expect(["id:c-1", "phone:123", "email:a@b.cn", "other"].map(flagKeyKindOf)).toEqual(["customerId", "phone", "email", "unknown"]);
  });
});
