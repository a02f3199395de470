import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { eventually, publishEvents } from "@oms/testing";
import { refundCancelledOrder } from "./app/commands/refund-cancelled-order.ts";
import { InvoiceDesk } from "./app/invoice-desk.ts";
import { SettlementUnitOfWork } from "./app/settlement-unit-of-work.ts";
import { type BillingUnderTest, clerk, consumed, orderCancelled, orderCreated, payLater, settlementRequested, startTestBilling, whileHolding } from "./test-fixtures.ts";

// Every unit of money billing holds for a cancelled order goes back: a payment recorded
// before the cancellation is refunded by it, and none is taken after it.

let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

/** A pay-later order whose settlement billing has prepared: it awaits 10,800 CNY. */
async function payLaterOrder(): Promise<string> {
  const orderId = randomUUID();
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [orderCreated(orderId, payLater), settlementRequested(orderId, payLater)]);
  await eventually(() => under.query.getSettlement({ orderId }).catch(() => undefined));
  return orderId;
}

const bankTransfer = (orderId: string, reference: string, minor: number) => ({ orderId, amount: { minor, currency: "CNY" }, method: "bank-transfer", reference, ...clerk });

const refusedAsCancelled = (orderId: string) => ({ kind: "illegal-state", code: "settlement.order-cancelled", message: expect.stringContaining(`order ${orderId} was cancelled`) });

describe("payments of a cancelled order", () => {
  it("refuse a payment confirmed after the cancellation, naming the order, and still answer a repeat of one confirmed before", async () => {
    const orderId = await payLaterOrder();
    await under.commands.confirmPayment(bankTransfer(orderId, "BANK-BEFORE", 3_000));
    const cancelled = orderCancelled(orderId, false);
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [cancelled]);
    await consumed(under.billing.runtime.pool, cancelled);

    await expect(under.commands.confirmPayment(bankTransfer(orderId, "BANK-AFTER", 2_000))).rejects.toMatchObject(refusedAsCancelled(orderId));
    // The clerk's retry of a confirmation made before the cancellation answers as it did then.
    expect((await under.commands.confirmPayment(bankTransfer(orderId, "BANK-BEFORE", 3_000))).amountPaid?.minor).toBe(3_000);
    const refunds = await under.query.listRefunds({ orderId });
    expect(refunds).toMatchObject({ paidTotal: { minor: 3_000 }, refundedTotal: { minor: 3_000 } });
  });

  it("make a payment confirmed while the cancellation is being refunded wait for it, then refuse it", async () => {
    const orderId = await payLaterOrder();
    const { pool, outbox } = under.billing.runtime;
    const refused = whileHolding(pool, {
      hold: (tx) => refundCancelledOrder(tx, outbox, new InvoiceDesk(tx), orderCancelled(orderId, false)),
      send: () => under.commands.confirmPayment(bankTransfer(orderId, "BANK-RACING", 3_000)),
      blockedSessions: 1,
    });
    await expect(refused).rejects.toMatchObject(refusedAsCancelled(orderId));
    expect(await under.query.listRefunds({ orderId })).toMatchObject({ paidTotal: { minor: 0 }, refunds: [] });
  });

  it("make a cancellation heard while a payment is being recorded wait for it, then refund that payment too", async () => {
    const orderId = await payLaterOrder();
    const { pool, outbox } = under.billing.runtime;
    const cancelled = orderCancelled(orderId, false);
    await whileHolding(pool, {
      // What confirming a payment does, held open at the moment before it commits.
      hold: async (tx) => {
        const unit = new SettlementUnitOfWork(tx);
        await unit.load([orderId]);
        const payment = { type: "RecordPayment", paymentId: randomUUID(), amountMinor: 3_000, currency: "CNY", method: "bank-transfer", reference: "BANK-HELD" } as const;
        unit.execute(orderId, payment, { producer: "billing", orderId, storeId: "store-test", actor: { kind: "staff", id: "staff-fin", role: "finance" } });
        await unit.flush(outbox);
      },
      send: async () => {
        await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [cancelled]);
        await consumed(pool, cancelled);
      },
      blockedSessions: 1,
    });
    const refunds = await under.query.listRefunds({ orderId });
    expect(refunds).toMatchObject({ paidTotal: { minor: 3_000 }, refundedTotal: { minor: 3_000 } });
    expect(refunds.refunds).toMatchObject([{ amount: { minor: 3_000 }, method: "bank-transfer", trigger: "cancellation" }]);
  });
});
