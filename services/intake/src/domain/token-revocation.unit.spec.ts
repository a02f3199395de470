import { describe, expect, it } from "vitest";
import type { Actor } from "@oms/contracts";
import { chainWide, parseTokenSubject, type StoreScope } from "@oms/identity";
import { grantToList, grantToRevoke } from "./token-revocation.ts";

const staff = (id: string, role: string): Actor => ({ kind: "staff", id, role });
const stores = (...ids: string[]): StoreScope => ({ kind: "stores", stores: new Set(ids) });
const subject = (text: string) => parseTokenSubject(text)!;
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe("who may withdraw whose tokens", () => {
  it("lets anyone of the staff withdraw their own, wherever they work", () => {
    expect(grantToRevoke(staff("s-1", "rider"), stores("store-a"), subject("staff:s-1"))).toEqual({ granted: true });
    expect(grantToRevoke(staff("s-1", "finance"), chainWide, subject("staff:s-1"))).toEqual({ granted: true });
  });

  it("lets the store manager withdraw their stores' staff's, and a chain-wide one anyone of the staff's", () => {
    expect(grantToRevoke(staff("m-1", "store-manager"), stores("store-a", "store-b"), subject("staff:s-2"))).toEqual({ granted: "if-staff-of", stores: new Set(["store-a", "store-b"]) });
    expect(grantToRevoke(staff("m-1", "store-manager"), chainWide, subject("staff:s-2"))).toEqual({ granted: true });
  });

  it("refuses other staff's to everyone but the store manager, auditors included", () => {
    for (const role of ["auditor", "supervisor", "dispatcher", "order-taker"]) {
      expect(refusal(() => grantToRevoke(staff("x-1", role), chainWide, subject("staff:s-2"))), role).toBe("caller.not-permitted");
    }
  });

  it("leaves customers' and platforms' to a store manager or an auditor working chain-wide", () => {
    for (const role of ["store-manager", "auditor"]) {
      expect(grantToRevoke(staff("x-1", role), chainWide, subject("customer:c-42"))).toEqual({ granted: true });
      expect(grantToRevoke(staff("x-1", role), chainWide, subject("platform:tmall"))).toEqual({ granted: true });
      expect(refusal(() => grantToRevoke(staff("x-1", role), stores("store-a"), subject("customer:c-42"))), role).toBe("caller.not-permitted");
    }
    expect(refusal(() => grantToRevoke(staff("x-1", "customer-service"), chainWide, subject("customer:c-42")))).toBe("caller.not-permitted");
  });

  it("refuses a customer or a platform anyone's, their own included (they are not staff)", () => {
    expect(refusal(() => grantToRevoke({ kind: "customer", id: "c-42", role: "customer" }, chainWide, subject("customer:c-43")))).toBe("caller.not-permitted");
    expect(refusal(() => grantToRevoke({ kind: "customer", id: "c-42", role: "customer" }, chainWide, subject("customer:c-42")))).toBe("caller.not-permitted");
    expect(refusal(() => grantToRevoke({ kind: "platform", id: "tmall", role: "platform" }, chainWide, subject("platform:tmall")))).toBe("caller.not-permitted");
  });
});

describe("whose revocations a caller may read", () => {
  it("shows every revocation to those working chain-wide", () => {
    expect(grantToList(staff("a-1", "auditor"), chainWide, undefined)).toEqual({ granted: true });
    expect(grantToList(staff("a-1", "auditor"), chainWide, subject("customer:c-42"))).toEqual({ granted: true });
  });

  it("has a scoped caller name one subject: themself, or staff of their stores", () => {
    const manager = staff("m-1", "store-manager");
    expect(refusal(() => grantToList(manager, stores("store-a"), undefined))).toBe("caller.store-scope-required");
    expect(grantToList(manager, stores("store-a"), subject("staff:m-1"))).toEqual({ granted: true });
    expect(grantToList(manager, stores("store-a"), subject("staff:s-2"))).toEqual({ granted: "if-staff-of", stores: new Set(["store-a"]) });
    expect(refusal(() => grantToList(manager, stores("store-a"), subject("customer:c-42")))).toBe("caller.out-of-store-scope");
  });
});
