import { describe, expect, it } from "vitest";
import { decide, evolve, PaymentOfCancelledOrder, SettlementRuleViolation, type OrderStanding, type PrepareSettlement, type RecordPayment, type Settlement, type SettlementCommand } from "./settlement.ts";

const prepare = (overrides: Partial<PrepareSettlement> = {}): PrepareSettlement => ({
  type: "PrepareSettlement",
  settlementId: "s-1",
  orderId: "o-1",
  storeId: "store-1",
  currency: "CNY",
  grandTotalMinor: 12_345,
  taxMinor: 1_420,
  paymentMethod: "cash",
  prepaid: false,
  ...overrides,
});

const pay = (amountMinor: number, reference = "ref"): RecordPayment => ({
  type: "RecordPayment",
  paymentId: `p-${reference}`,
  amountMinor,
  currency: "CNY",
  method: "bank-transfer",
  reference,
});

const open: OrderStanding = { orderId: "o-1", cancelled: false };

function run(commands: SettlementCommand[], state?: Settlement) {
  const events = [];
  for (const command of commands) {
    const produced = decide(command, state, open);
    for (const event of produced) state = evolve(state, event);
    events.push(...produced);
  }
  return { state: state!, events };
}

describe("settlement", () => {
  it("awaits payment when nothing was paid at order time", () => {
    const { state, events } = run([prepare()]);
    expect(state).toMatchObject({ status: "awaiting-payment", amountDueMinor: 12_345, amountPaidMinor: 0 });
    expect(events.map((e) => e.type)).toEqual(["SettlementPrepared"]);
  });

  it("is paid in full at once for prepaid orders", () => {
    const { state, events } = run([prepare({ prepaid: true, paymentMethod: "third-party" })]);
    expect(state).toMatchObject({ status: "paid", amountPaidMinor: 12_345 });
    expect(events.map((e) => e.type)).toEqual(["SettlementPrepared", "SettlementPaidInFull"]);
  });

  it("ignores a second request for the same order", () => {
    const { state } = run([prepare()]);
    expect(decide(prepare({ grandTotalMinor: 1 }), state, open)).toEqual([]);
  });

  it("refuses amounts that are not whole minor units", () => {
    expect(() => decide(prepare({ grandTotalMinor: 10.5 }), undefined, open)).toThrow(SettlementRuleViolation);
    expect(() => decide(prepare({ grandTotalMinor: -1 }), undefined, open)).toThrow(SettlementRuleViolation);
  });

  it("refuses a tax that is not part of the total", () => {
    expect(() => decide(prepare({ taxMinor: 12_346 }), undefined, open)).toThrow(/tax must be an integer/);
    expect(() => decide(prepare({ taxMinor: -1 }), undefined, open)).toThrow(SettlementRuleViolation);
    expect(run([prepare()]).state).toMatchObject({ taxMinor: 1_420 });
  });

  it("is paid in full by instalments, and says so once", () => {
    const { state, events } = run([prepare(), pay(10_000, "a"), pay(2_345, "b")]);
    expect(state).toMatchObject({ status: "paid", amountPaidMinor: 12_345 });
    expect(events.filter((e) => e.type === "SettlementPaidInFull")).toHaveLength(1);
  });

  it("refuses an overpayment, a payment in another currency and a payment before the settlement exists", () => {
    const { state } = run([prepare(), pay(12_000)]);
    expect(() => decide(pay(346), state, open)).toThrow(/exceeds the outstanding 345/);
    expect(() => decide({ ...pay(1), currency: "USD" }, state, open)).toThrow(SettlementRuleViolation);
    expect(() => decide(pay(1), undefined, open)).toThrow(/no settlement/);
    expect(() => decide(pay(0), state, open)).toThrow(SettlementRuleViolation);
  });

  it("takes no payment for a cancelled order, and says which order and what to do", () => {
    const { state } = run([prepare()]);
    const cancelled: OrderStanding = { orderId: "o-1", cancelled: true };
    expect(() => decide(pay(100), state, cancelled)).toThrow(PaymentOfCancelledOrder);
    expect(() => decide(pay(100), undefined, cancelled)).toThrow("order o-1 was cancelled: billing takes no payment for it; return the money to the payer");
    expect(() => decide(pay(100), state, cancelled)).toThrow(expect.objectContaining({ kind: "illegal-state", code: "settlement.order-cancelled" }));
  });
});
