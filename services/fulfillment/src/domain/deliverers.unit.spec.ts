import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@oms/errors";
import type { OrderCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { reservationIdOf, settlementIdOf, taskIdOf } from "./ids.ts";
import type { Order, OrderPart } from "./order.ts";
import { anOrder } from "./order-fixture.ts";

/**
 * Who records a delivery a person asks fulfillment to record (ADR 022, twenty-seventh session,
 * second reading): the rider, service staff or business owner dispatch gave the order to; at the
 * counter, whoever hands a pick-up over against the customer's code; the store manager for anyone.
 */
const staff = (id: string, role: string) => ({ kind: "staff", id, role }) as const;

function orderOf(overrides: Partial<Order>): Order {
  return anOrder({
    status: "shipped",
    paymentMethod: "third-party",
    prepaid: true,
    reservationId: reservationIdOf("o-1"),
    taskId: taskIdOf("o-1"),
    settlementId: settlementIdOf("o-1"),
    assigneeStaffId: "rider-li",
    ...overrides,
  });
}

const asked = (actor: OrderCommand["actor"], overrides: Record<string, unknown> = {}, partId?: string): OrderCommand => ({
  type: "RecordDelivery",
  actor,
  acceptancePeriodHours: 72,
  boundCollected: true,
  heldToAssignment: true,
  ...(partId ? { partId } : {}),
  delivery: { deliveredAt: "2026-11-20T10:00:00.000Z", place: "front door", method: "rider", deliveredBy: actor.id, proofKind: "signature", proofRef: "sig-1", collectedMinor: 0, ...overrides },
});

const outcome = (command: OrderCommand, order: Order): string => {
  try {
    return decide(command, order).some((e) => e.type === "DeliveryRecorded") ? "delivered" : "nothing";
  } catch (error) {
    return error instanceof ForbiddenError ? `refused ${error.code}` : `failed ${(error as Error).message}`;
  }
};

describe("a delivery is recorded by the one who holds it", () => {
  it("refuses a rider, service staff or business owner recording an order dispatch gave someone else, naming who may", () => {
    const shipped = orderOf({});
    expect(outcome(asked(staff("rider-li", "rider")), shipped)).toBe("delivered");
    for (const [id, role] of [["rider-wang", "rider"], ["bo-1", "business-owner"]] as const) {
      expect(outcome(asked(staff(id, role)), shipped), role).toBe("refused order.delivery-not-theirs");
    }
    const service = orderOf({ kind: "service", fulfillmentMethod: "on-site", status: "assigned", assigneeStaffId: "tech-zhang" });
    expect(outcome(asked(staff("tech-zhang", "service-staff"), { method: "on-site" }), service)).toBe("delivered");
    expect(outcome(asked(staff("tech-liu", "service-staff"), { method: "on-site" }), service)).toBe("refused order.delivery-not-theirs");
    // Nobody holds it yet (or fulfillment has not heard whom): no one's own.
    expect(outcome(asked(staff("rider-li", "rider")), orderOf({ assigneeStaffId: undefined }))).toBe("refused order.delivery-not-theirs");
    expect(() => decide(asked(staff("rider-wang", "rider")), shipped)).toThrow(/order o-1 is held by another; its assignee or the store manager records its delivery/);
  });

  it("holds each part's rider to their own part of a split order", () => {
    const part = (partId: string, assigneeStaffId: string): OrderPart =>
      ({ partId, reservationId: `${reservationIdOf("o-1")}/part/${partId}`, taskId: `t-${partId}`, storeId: "s", stage: "shipped", lines: [], assigneeStaffId }) as unknown as OrderPart;
    const split = orderOf({ status: "partially-shipped", assigneeStaffId: undefined, parts: [part("1", "rider-li"), part("2", "rider-wang")] });
    expect(outcome(asked(staff("rider-wang", "rider"), {}, "2"), split)).toBe("delivered");
    expect(outcome(asked(staff("rider-li", "rider"), {}, "2"), split)).toBe("refused order.delivery-not-theirs");
  });

  it("lets the store manager record anyone's, and the counter hand over pick-ups only", () => {
    expect(outcome(asked(staff("m-1", "store-manager")), orderOf({}))).toBe("delivered");
    // Any clerk at the counter, not only the one the handover task went to: the customer's code is the proof.
    const pickup = orderOf({ fulfillmentMethod: "pickup", status: "packed", assigneeStaffId: "counter-sun", pickup: { code: "042042", readyAt: "2026-11-20T08:00:00.000Z", collectBy: "2026-11-23T08:00:00.000Z" } });
    for (const [id, role] of [["counter-zhou", "counter"], ["ot-1", "order-taker"]] as const) {
      expect(outcome(asked(staff(id, role), { method: "pickup", proofKind: "one-time-code", proofRef: "042042" }), pickup), role).toBe("delivered");
      expect(outcome(asked(staff(id, role)), orderOf({})), role).toBe("refused order.delivery-by-staff");
    }
  });

  it("leaves a delivery another service reported (dispatch checked the reporter) and a marketplace's own to their rules", () => {
    const { boundCollected: _bound, heldToAssignment: _held, ...reported } = asked(staff("tech-zhang", "service-staff"), { method: "on-site" }) as OrderCommand & { boundCollected?: boolean; heldToAssignment?: boolean };
    expect(outcome(reported as OrderCommand, orderOf({ kind: "service", fulfillmentMethod: "on-site", status: "assigned", assigneeStaffId: "tech-old" }))).toBe("delivered");
    expect(outcome(asked({ kind: "platform", id: "tmall", role: "platform" }), orderOf({ channel: "marketplace:tmall" }))).toBe("delivered");
  });
});
