import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import type { OrderFacts } from "./order-facts.ts";
import { caseKinds, defaultPolicyOf, judgeAgainstPolicy, publishedPolicy, type PolicyInput } from "./policy.ts";

const day = 24 * 3600_000;
const deliveredAt = new Date("2026-11-24T09:30:00Z");
const goods: OrderFacts = { orderId: "o-1", storeId: "s-1", kind: "goods", status: "delivered", deliveredAt, customerId: "c-1", lines: [], grandTotalMinor: 0, currency: "CNY" };
const policy = defaultPolicyOf("s-1", { warrantyDays: 365, returnDays: 7, complaintResponseHours: 24, kinds: [...caseKinds], process: "", liability: "" });
const after = (days: number) => new Date(deliveredAt.getTime() + days * day);

describe("judging a request against the store's policy", () => {
  it("takes a return or an exchange of delivered goods within the return period, and names the day it ended after it", () => {
    expect(judgeAgainstPolicy("return", goods, policy, after(7))).toEqual({ withinPolicy: true });
    expect(judgeAgainstPolicy("exchange", goods, policy, after(2))).toEqual({ withinPolicy: true });
    expect(judgeAgainstPolicy("return", goods, policy, new Date(after(7).getTime() + 1))).toEqual({
      withinPolicy: false,
      note: "the return period of 7 days ended on 2026-12-01 (delivered on 2026-11-24)",
    });
  });

  it("takes a repair or maintenance of a delivered order within the warranty", () => {
    expect(judgeAgainstPolicy("repair", goods, policy, after(300))).toEqual({ withinPolicy: true });
    expect(judgeAgainstPolicy("maintenance", { ...goods, kind: "service" }, policy, after(365))).toEqual({ withinPolicy: true });
    expect(judgeAgainstPolicy("repair", goods, policy, after(366))).toMatchObject({ withinPolicy: false, note: "the warranty of 365 days ended on 2027-11-24 (delivered on 2026-11-24)" });
  });

  it("does not judge what is not delivered yet (refused, to be asked again), and declines returns of anything but goods", () => {
    const undelivered = { ...goods, deliveredAt: undefined, status: "assigned" };
    for (const kind of ["return", "exchange", "repair", "maintenance"] as const) {
      expect(() => judgeAgainstPolicy(kind, undelivered, policy, after(1))).toThrow(
        expect.objectContaining({ code: "after-sales.not-delivered-yet", message: `order o-1 is assigned as far as after-sales knows, not delivered yet; the ${kind} may be asked again once it is delivered` }),
      );
    }
    expect(judgeAgainstPolicy("repair", undelivered, { ...policy, kinds: ["return"] }, after(1))).toEqual({ withinPolicy: false, note: "the store does not take repair requests" });
    expect(judgeAgainstPolicy("return", { ...goods, kind: "service" }, policy, after(1))).toMatchObject({ withinPolicy: false, note: expect.stringMatching(/not an order of goods/) });
  });

  it("takes a complaint at any time, delivered or not, unless the store takes no complaints", () => {
    expect(judgeAgainstPolicy("complaint", { ...goods, deliveredAt: undefined }, policy, after(5000))).toEqual({ withinPolicy: true });
    const noComplaints = { ...policy, kinds: ["return" as const] };
    expect(judgeAgainstPolicy("complaint", goods, noComplaints, after(1))).toEqual({ withinPolicy: false, note: "the store does not take complaint requests" });
    expect(judgeAgainstPolicy("repair", goods, noComplaints, after(1))).toMatchObject({ withinPolicy: false, note: "the store does not take repair requests" });
  });
});

describe("publishing a policy", () => {
  const input: PolicyInput = { storeId: "s-1", warrantyDays: 730, returnDays: 14, complaintResponseHours: 48, kinds: ["complaint", "return"], process: " Call us. ", liability: "" };
  const now = new Date("2026-12-06T10:00:00Z");
  const fieldsOf = (more: Partial<PolicyInput>) => {
    try {
      publishedPolicy({ ...input, ...more }, "staff:m-1", now);
    } catch (error) {
      if (error instanceof ValidationError) return error.fields.map((f) => f.field);
      throw error;
    }
    return [];
  };

  it("records the policy with who published it and when, its kinds in their usual order and texts trimmed", () => {
    expect(publishedPolicy(input, "staff:m-1", now)).toEqual({ ...input, kinds: ["return", "complaint"], process: "Call us.", updatedAt: now, updatedBy: "staff:m-1" });
  });

  it("refuses each wrong field by name", () => {
    expect(fieldsOf({ storeId: " " })).toEqual(["policy.storeId"]);
    expect(fieldsOf({ storeId: "s".repeat(201) })).toEqual(["policy.storeId"]);
    expect(fieldsOf({ warrantyDays: -1, returnDays: 3651 })).toEqual(["policy.warrantyDays", "policy.returnDays"]);
    expect(fieldsOf({ warrantyDays: 1.5 })).toEqual(["policy.warrantyDays"]);
    expect(fieldsOf({ complaintResponseHours: 0 })).toEqual(["policy.complaintResponseHours"]);
    expect(fieldsOf({ complaintResponseHours: 721 })).toEqual(["policy.complaintResponseHours"]);
    expect(fieldsOf({ complaintResponseHours: 0.5 })).toEqual(["policy.complaintResponseHours"]);
    expect(fieldsOf({ kinds: [] })).toEqual(["policy.kinds"]);
    expect(fieldsOf({ kinds: ["return", "refund", "return"] })).toEqual(["policy.kinds[1]", "policy.kinds[2]"]);
    expect(fieldsOf({ process: "x".repeat(2001), liability: "y".repeat(2001) })).toEqual(["policy.process", "policy.liability"]);
    expect(fieldsOf({ warrantyDays: 0, returnDays: 0, complaintResponseHours: 720, process: "x".repeat(2000) })).toEqual([]);
  });
});
