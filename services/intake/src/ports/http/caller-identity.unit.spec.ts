import { describe, expect, it } from "vitest";
import { UnauthenticatedError } from "@oms/errors";
import { anonymousCustomer, callerOf } from "./caller-identity.ts";

describe("caller identity", () => {
  it("reads staff, customers and platforms from X-Actor", () => {
    expect(callerOf("staff:s-7:order-taker")).toEqual({ kind: "staff", id: "s-7", role: "order-taker" });
    expect(callerOf("customer:c-42")).toEqual({ kind: "customer", id: "c-42", role: "customer" });
    expect(callerOf("platform:pos")).toEqual({ kind: "platform", id: "pos", role: "platform" });
  });

  it("is an anonymous customer without the header", () => {
    expect(callerOf(undefined)).toEqual(anonymousCustomer);
    expect(callerOf("")).toEqual(anonymousCustomer);
  });

  it("refuses anything else, including a claim to be the system", () => {
    for (const header of ["system:intake", "staff:s-7", "customer:c-42:vip", "staff::order-taker", "nobody", "customer:a b", ["customer:a", "customer:b"]]) {
      expect(() => callerOf(header)).toThrow(UnauthenticatedError);
    }
  });
});
