import { describe, expect, it } from "vitest";
import { awaitsAnotherAssignee, cancelsBeforeShipping, clerkLateFor, staysSilent } from "./step-settings.ts";

describe("who of the simulated people behaves otherwise", () => {
  // Digits 20–23 of the id (its last group) draw the first assignee who never acknowledges.
  const drawn = "5b1d2c3e-0000-4000-8000-0a0000000000"; // 0x0a00 / 0x10000 ≈ 0.04
  const notDrawn = "5b1d2c3e-0000-4000-8000-f00000000000"; // ≈ 0.94
  const order = (orderId: string, more: Partial<Parameters<typeof awaitsAnotherAssignee>[0]> = {}) => ({
    orderId,
    kind: "goods",
    fulfillmentMethod: "ship",
    taskId: `${orderId}/task/1`,
    staffId: "rider-1",
    tasksRequested: new Set([`${orderId}/task/1`]),
    firstAssignees: new Map([[`${orderId}/task/1`, "rider-1"]]),
    ...more,
  });

  it("leaves a drawn order's task with its first assignee until it is handed on, then the next one works", () => {
    expect(awaitsAnotherAssignee(order(drawn), 0.1)).toBe(true);
    expect(awaitsAnotherAssignee(order(drawn, { staffId: "rider-2" }), 0.1)).toBe(false);
    expect(awaitsAnotherAssignee(order(notDrawn), 0.1)).toBe(false);
    expect(awaitsAnotherAssignee(order(drawn), 0)).toBe(false);
  });

  it("never draws a pick-up order's counter clerk or a split order's riders, whom nobody could replace", () => {
    expect(awaitsAnotherAssignee(order(drawn, { fulfillmentMethod: "pickup" }), 1)).toBe(false);
    expect(awaitsAnotherAssignee(order(drawn, { tasksRequested: new Set(["a", "b"]) }), 1)).toBe(false);
    expect(awaitsAnotherAssignee(order(drawn, { kind: "service", fulfillmentMethod: "on-site" }), 0.1)).toBe(true);
  });

  it("draws from digits of the id that are random in a v4 UUID, independently of the other draws", () => {
    const ids = Array.from({ length: 2_000 }, () => crypto.randomUUID());
    const share = (pick: (id: string) => boolean) => ids.filter(pick).length / ids.length;
    expect(share((id) => awaitsAnotherAssignee(order(id), 0.1))).toBeGreaterThan(0.06);
    expect(share((id) => awaitsAnotherAssignee(order(id), 0.1))).toBeLessThan(0.14);
    expect(share((id) => awaitsAnotherAssignee(order(id), 0.1) && staysSilent({ orderId: id }, 0.5) && cancelsBeforeShipping({ orderId: id }, 0.5))).toBeLessThan(0.05);
  });

  it("makes a share of goods orders' clerks late for one step each, never shipping a pick-up order nor a service order's clerk", () => {
    const ids = Array.from({ length: 3_000 }, () => crypto.randomUUID());
    const shipped = ids.map((id) => clerkLateFor({ orderId: id, kind: "goods", fulfillmentMethod: "ship" }, 0.3));
    const late = shipped.filter((step) => step !== undefined);
    expect(late.length / ids.length).toBeGreaterThan(0.25);
    expect(late.length / ids.length).toBeLessThan(0.35);
    for (const step of ["pick", "pack", "ship"]) expect(late.filter((s) => s === step).length / late.length).toBeGreaterThan(0.25);
    const pickups = ids.map((id) => clerkLateFor({ orderId: id, kind: "goods", fulfillmentMethod: "pickup" }, 0.3));
    expect(new Set(pickups)).toEqual(new Set([undefined, "pick", "pack"]));
    expect(ids.some((id) => clerkLateFor({ orderId: id, kind: "service", fulfillmentMethod: "on-site" }, 1) !== undefined)).toBe(false);
    expect(clerkLateFor({ orderId: ids[0]!, kind: "goods", fulfillmentMethod: "ship" }, 0)).toBeUndefined();
  });
});
