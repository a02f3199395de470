import { describe, expect, it } from "vitest";
import { countsPerOrder, statementsPerOrder } from "./statement-counts.ts";

describe("statements per order between two readings", () => {
  it("divides each service's growth by the orders, biggest first, with the total", () => {
    const before = { intake: 100, fulfillment: 1_000, warehouse: 50 };
    const after = { intake: 700, fulfillment: 4_000, warehouse: 2_050 };
    expect(statementsPerOrder(before, after, 100)).toEqual({ fulfillment: 30, warehouse: 20, intake: 6, total: 56 });
  });

  it("leaves out a service missing from the first reading, and gives nothing without orders", () => {
    expect(statementsPerOrder({ intake: 0 }, { intake: 30, billing: 99 }, 3)).toEqual({ intake: 10, total: 10 });
    expect(statementsPerOrder({ intake: 0 }, { intake: 30 }, 0)).toBeNull();
  });
});

describe("counts per order", () => {
  it("divides each count by the orders to one decimal, biggest first, with the total", () => {
    expect(countsPerOrder({ OrderStatusChanged: 1_234, StockReserved: 100, TaskAssigned: 150 }, 100)).toEqual({
      OrderStatusChanged: 12.3,
      TaskAssigned: 1.5,
      StockReserved: 1,
      total: 14.8,
    });
    expect(countsPerOrder({ OrderReceived: 5 }, 0)).toBeNull();
  });
});
