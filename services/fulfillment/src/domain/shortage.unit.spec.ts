import { describe, expect, it } from "vitest";
import { ForbiddenError, IllegalStateError } from "@oms/errors";
import type { ResolveShortage } from "./commands.ts";
import { decide } from "./decide.ts";
import { evolveAll } from "./evolve.ts";
import { reservationIdOf } from "./ids.ts";
import type { Order } from "./order.ts";
import { anOrder } from "./order-fixture.ts";

const customer = { kind: "customer", id: "c-1", role: "customer" } as const;
const kettle = { lineId: "l1", sku: "KETTLE", description: "Kettle", quantity: 1, unitPriceMinor: 19_900, lineTotalMinor: 19_900 };
const smallKettle = { ...kettle, sku: "KETTLE-S", description: "Small kettle", unitPriceMinor: 9_900, lineTotalMinor: 9_900 };
const totals = (grand: number) => ({ linesMinor: grand, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: grand, currency: "CNY" });

const onHold = (overrides: Partial<Order> = {}): Order => anOrder({ lines: [kettle], totals: totals(19_900), status: "on-hold", holdReason: "awaiting-stock", priority: 2, reservationId: reservationIdOf("o-1"), reservationAttempt: 1, ...overrides });


const substitution: ResolveShortage = {
  type: "ResolveShortage",
  choice: "substitute",
  actor: customer,
  note: "",
  substitutions: [{ sku: "KETTLE", substituteSku: "KETTLE-S", quantity: 1 }],
  lines: [smallKettle],
  totals: totals(9_900),
  refundDueMinor: 10_000,
  absorbedMinor: 0,
};

describe("the customer's answer to a shortage", () => {
  it("replaces the lines and asks the warehouse again, for the new lines, under a new reservation", () => {
    const events = decide(substitution, onHold());
    expect(events).toEqual([
      { type: "LinesSubstituted", substitutions: substitution.substitutions, lines: [smallKettle], totals: totals(9_900), refundDueMinor: 10_000, absorbedMinor: 0 },
      { type: "StockReservationRequested", reservationId: reservationIdOf("o-1", 2), lines: [smallKettle], priority: 2, routing: { district: "Jing'an", excludedStoreIds: [], splitAllowed: false } },
    ]);
    expect(evolveAll(onHold(), events)).toMatchObject({ lines: [smallKettle], totals: totals(9_900), reservationId: reservationIdOf("o-1", 2), status: "on-hold" });
  });

  it("keeps a waiting customer's order on hold as a backorder", () => {
    expect(decide({ type: "ResolveShortage", choice: "wait", note: "will wait", actor: customer }, onHold())).toEqual([{ type: "BackorderAccepted", note: "will wait" }]);
  });

  it("is refused once the order is no longer waiting for stock, and to anyone but the customer or their order taker", () => {
    expect(() => decide(substitution, onHold({ status: "reserved", holdReason: undefined }))).toThrow(IllegalStateError);
    expect(() => decide(substitution, onHold({ holdReason: "awaiting-credit" }))).toThrow(IllegalStateError);
    expect(() => decide({ ...substitution, actor: { kind: "staff", id: "w-1", role: "warehouse-clerk" } }, onHold())).toThrow(ForbiddenError);
  });
});
