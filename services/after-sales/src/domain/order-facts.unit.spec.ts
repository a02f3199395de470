import { describe, expect, it } from "vitest";
import { evolveFacts, evolveFactsOfOrders, withinPeriodAfterDelivery } from "./order-facts.ts";

const content = { customerId: "c-1", lines: [{ sku: "KETTLE-1", quantity: 2 }], grandTotalMinor: 12_000, currency: "CNY" };
const unknownContent = { customerId: "", lines: [], grandTotalMinor: 0, currency: "" };

describe("order facts", () => {
  const created = evolveFacts(undefined, { type: "created", orderId: "o", storeId: "s", kind: "goods", status: "received", ...content });

  it("remembers the first delivery time, which starts the after-sales periods", () => {
    const delivered = evolveFacts(created, { type: "status-changed", orderId: "o", storeId: "s", status: "delivered", at: new Date("2026-01-01T10:00:00Z") });
    const reworked = evolveFacts(evolveFacts(delivered, { type: "status-changed", orderId: "o", storeId: "s", status: "rework", at: new Date("2026-01-02T10:00:00Z") }), {
      type: "status-changed",
      orderId: "o",
      storeId: "s",
      status: "delivered",
      at: new Date("2026-01-03T10:00:00Z"),
    });
    expect(reworked.deliveredAt?.toISOString()).toBe("2026-01-01T10:00:00.000Z");
    expect(withinPeriodAfterDelivery(reworked, 7, new Date("2026-01-08T09:00:00Z"))).toBe(true);
    expect(withinPeriodAfterDelivery(reworked, 7, new Date("2026-01-08T11:00:00Z"))).toBe(false);
  });

  it("treats an undelivered order as outside every period", () => {
    expect(withinPeriodAfterDelivery(created, 365, new Date())).toBe(false);
  });

  it("keeps whose the order is, what was ordered and its total, from its creation", () => {
    expect(created).toMatchObject({ customerId: "c-1", lines: [{ sku: "KETTLE-1", quantity: 2 }], grandTotalMinor: 12_000, currency: "CNY" });
  });

  it("learns the kind and content from a creation heard after a status change, keeping the later status, and follows the order to its current store", () => {
    const changed = evolveFacts(undefined, { type: "status-changed", orderId: "o-1", storeId: "s-1", status: "delivered", at: new Date("2026-05-02T10:00:00Z") });
    expect(changed).toMatchObject({ kind: "unknown", ...unknownContent });
    expect(evolveFacts(changed, { type: "created", orderId: "o-1", storeId: "s-1", kind: "service", status: "received", ...content })).toMatchObject({ kind: "service", status: "delivered", ...content });
    expect(evolveFacts(changed, { type: "status-changed", orderId: "o-1", storeId: "s-2", status: "closed", at: new Date("2026-05-03T10:00:00Z") }).storeId).toBe("s-2");
  });

  it("follows a substitution: a case names the goods the customer receives, and refunds at most what the order now costs", () => {
    const substituted = evolveFacts(created, { type: "lines-substituted", orderId: "o", storeId: "s", lines: [{ sku: "KETTLE-2", quantity: 2 }], grandTotalMinor: 10_000 });
    expect(substituted).toMatchObject({ kind: "goods", customerId: "c-1", lines: [{ sku: "KETTLE-2", quantity: 2 }], grandTotalMinor: 10_000, currency: "CNY" });
  });

  it("keeps a substitution heard before the order's creation (replayed from a dead letter), learning the rest from the creation", () => {
    const substituted = evolveFacts(undefined, { type: "lines-substituted", orderId: "o", storeId: "s", lines: [{ sku: "KETTLE-2", quantity: 2 }], grandTotalMinor: 10_000 });
    const reserved = evolveFacts(substituted, { type: "status-changed", orderId: "o", storeId: "s", status: "reserved", at: new Date("2026-05-02T10:00:00Z") });
    expect(evolveFacts(reserved, { type: "created", orderId: "o", storeId: "s", kind: "goods", status: "received", ...content })).toMatchObject({
      kind: "goods",
      status: "reserved",
      customerId: "c-1",
      currency: "CNY",
      lines: [{ sku: "KETTLE-2", quantity: 2 }],
      grandTotalMinor: 10_000,
    });
  });

  it("keeps the first creation when an order is announced twice", () => {
    expect(evolveFacts(created, { type: "created", orderId: "o", storeId: "s", kind: "service", status: "received", ...unknownContent })).toMatchObject({ kind: "goods", ...content });
  });

  it("applies a batch of facts of several orders in their order, on what each order had, and lists the orders by id", () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    const known = { orderId: "b", storeId: "s", kind: "service", status: "assigned", ...content };
    const batch = [
      { type: "created", orderId: "c", storeId: "s", kind: "goods", status: "received", ...content },
      { type: "status-changed", orderId: "b", storeId: "s", status: "delivered", at: at(2) },
      { type: "status-changed", orderId: "c", storeId: "s", status: "delivered", at: at(3) },
      { type: "status-changed", orderId: "b", storeId: "s", status: "closed", at: at(4) },
      { type: "status-changed", orderId: "a", storeId: "s", status: "delivered", at: at(5) },
    ] as const;
    expect(evolveFactsOfOrders(new Map([["b", known]]), batch)).toEqual([
      { orderId: "a", storeId: "s", kind: "unknown", status: "delivered", deliveredAt: at(5), closedAt: undefined, ...unknownContent },
      { orderId: "b", storeId: "s", kind: "service", status: "closed", deliveredAt: at(2), closedAt: at(4), ...content },
      { orderId: "c", storeId: "s", kind: "goods", status: "delivered", deliveredAt: at(3), closedAt: undefined, ...content },
    ]);
  });
});
