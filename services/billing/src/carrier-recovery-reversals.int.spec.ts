import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic } from "@oms/testing";
import { carrierRecoveryOverdueTimer, overdueTimerKey } from "./app/carrier-recoveries/recovery-overdue.ts";
import { type BillingUnderTest, clerk, consumed, startTestBilling } from "./test-fixtures.ts";

// A carrier receipt booked in error is reversed once, its reference spent for good; a recovery
// not paid in full by its due-by time is listed overdue and announced once (ADR 017, third
// carrier addendum).
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const storeId = `store-${randomUUID().slice(0, 8)}`;
const DAY = 86_400_000;

async function settled(caseId: string, recoveredMinor: number, occurredAt = new Date()): Promise<OrderEvent> {
  const event = {
    ...newEvent(
      EventTypes.CarrierClaimSettled,
      { caseId, claimedMinor: 12_000, recoveredMinor, carrier: "SF Express", carrierReference: "SF123", currency: "CNY" },
      { producer: "after-sales", orderId: randomUUID(), storeId, actor: { kind: "staff", id: "fin-1", role: "finance" } },
    ),
    occurredAt,
  };
  await publishEvents(under.namespace.name, Topics.afterSalesCase, [event]);
  await consumed(under.billing.runtime.pool, event);
  return event;
}

async function announced(caseId: string, type: string): Promise<OrderEvent[]> {
  await under.billing.relay.flush();
  const messages = await readTopic(Topics.billingSettlement, under.namespace.name);
  return messages.flatMap((m) => (m.value ? [decodeEvent(m.value)] : [])).filter((e): e is OrderEvent => !!e && e.type === type && (e.payload as { caseId?: string }).caseId === caseId);
}

const receipt = (caseId: string, amountMinor: number, reference: string) => ({ caseId, amountMinor, reference, ...clerk });
const reversal = (caseId: string, reference: string, reason: string) => ({ caseId, reference, reason, ...clerk });
const list = (filter: { outstandingOnly?: boolean; overdueOnly?: boolean } = {}) =>
  under.query.listCarrierRecoveries({ storeId, outstandingOnly: filter.outstandingOnly ?? false, overdueOnly: filter.overdueOnly ?? false, limit: 0, pageSize: 0, pageToken: "" });

describe("a carrier receipt booked in error", () => {
  it("is reversed once: the recovery goes back, the reference stays spent, the reversal is announced once", async () => {
    const caseId = `case-${randomUUID()}`;
    await settled(caseId, 8_000);
    await under.commands.recordCarrierReceipt(receipt(caseId, 3_000, `R-1-${caseId}`));
    expect(await under.commands.recordCarrierReceipt(receipt(caseId, 5_000, `R-2-${caseId}`))).toMatchObject({ status: "received" });

    const reversed = await under.commands.reverseCarrierReceipt(reversal(caseId, ` R-2-${caseId} `, " booked on the wrong claim "));
    expect(reversed).toMatchObject({ status: "partly-received", received: { minor: 3_000 }, outstanding: { minor: 5_000 } });
    expect(reversed.receipts[1]).toMatchObject({ reference: `R-2-${caseId}`, amount: { minor: 5_000 }, reversal: { reason: "booked on the wrong claim", reversedBy: "staff:staff-fin" } });
    expect(reversed.receipts[0]?.reversal).toBeUndefined();
    // The same reversal again answers as it stands; another reason is refused.
    expect(await under.commands.reverseCarrierReceipt(reversal(caseId, `R-2-${caseId}`, "booked on the wrong claim"))).toEqual(reversed);
    await expect(under.commands.reverseCarrierReceipt(reversal(caseId, `R-2-${caseId}`, "wrong amount"))).rejects.toMatchObject({ kind: "conflict", code: "carrier-recovery.receipt-already-reversed" });
    // The reference is spent, even for the same payment; the right one goes under a new reference.
    await expect(under.commands.recordCarrierReceipt(receipt(caseId, 5_000, `R-2-${caseId}`))).rejects.toMatchObject({ kind: "conflict", code: "carrier-recovery.reference-reversed" });
    expect(await under.commands.recordCarrierReceipt(receipt(caseId, 5_000, `R-3-${caseId}`))).toMatchObject({ status: "received", received: { minor: 8_000 } });
    // The first receipt reversed too: back to due once both are gone.
    expect(await under.commands.reverseCarrierReceipt(reversal(caseId, `R-1-${caseId}`, "duplicate line"))).toMatchObject({ status: "partly-received", received: { minor: 5_000 } });

    const events = await announced(caseId, EventTypes.CarrierReceiptReversed);
    expect(events.map((e) => e.type === EventTypes.CarrierReceiptReversed && [e.payload.reference, e.payload.reversed?.minor, e.payload.receivedTotal?.minor, e.payload.status])).toEqual([
      [`R-2-${caseId}`, 5_000, 3_000, "partly-received"],
      [`R-1-${caseId}`, 3_000, 5_000, "partly-received"],
    ]);
    expect(events[0]).toMatchObject({ producer: "billing", storeId, actor: { kind: "staff", id: "staff-fin" }, payload: { reason: "booked on the wrong claim", due: { minor: 8_000 } } });
    expect((await list({ outstandingOnly: true })).recoveries.find((r) => r.caseId === caseId)).toMatchObject({ outstanding: { minor: 3_000 } });
  });

  it("takes two clerks reversing one receipt at once one after the other: one reversal", async () => {
    const caseId = `case-${randomUUID()}`;
    await settled(caseId, 4_000);
    await under.commands.recordCarrierReceipt(receipt(caseId, 4_000, `RR-${caseId}`));
    const results = await Promise.allSettled(["a", "a"].map((why) => under.commands.reverseCarrierReceipt(reversal(caseId, `RR-${caseId}`, why))));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    expect((await list()).recoveries.find((r) => r.caseId === caseId)).toMatchObject({ status: "due", received: { minor: 0 } });
    expect(await announced(caseId, EventTypes.CarrierReceiptReversed)).toHaveLength(1);
  });

  it("refuses, reversing nothing, an unknown receipt, another case's, bad fields and callers not finance", async () => {
    const caseId = `case-${randomUUID()}`;
    const other = `case-${randomUUID()}`;
    await settled(caseId, 4_000);
    await settled(other, 4_000);
    await under.commands.recordCarrierReceipt(receipt(other, 1_000, `RX-${other}`));
    await under.commands.recordCarrierReceipt(receipt(caseId, 1_000, `RX-${caseId}`));
    await expect(under.commands.reverseCarrierReceipt(reversal(caseId, "NO-SUCH", "wrong"))).rejects.toMatchObject({ kind: "not-found", code: "carrier-recovery.receipt-unknown" });
    await expect(under.commands.reverseCarrierReceipt(reversal(caseId, `RX-${other}`, "wrong"))).rejects.toMatchObject({ kind: "not-found", code: "carrier-recovery.receipt-unknown" });
    await expect(under.commands.reverseCarrierReceipt(reversal(`case-${randomUUID()}`, `RX-${caseId}`, "wrong"))).rejects.toMatchObject({ code: "carrier-recovery.unknown" });
    await expect(under.commands.reverseCarrierReceipt({ ...reversal(caseId, `RX-${caseId}`, "wrong"), callerRole: "auditor" })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(under.commands.reverseCarrierReceipt(reversal("", " ", " "))).rejects.toMatchObject({
      kind: "validation",
      fields: expect.arrayContaining([expect.objectContaining({ field: "caseId" }), expect.objectContaining({ field: "reference" }), expect.objectContaining({ field: "reason" })]),
    });
    await expect(under.commands.reverseCarrierReceipt(reversal(caseId, `RX-${caseId}`, "x".repeat(501)))).rejects.toMatchObject({ fields: [expect.objectContaining({ field: "reason" })] });
    expect((await list()).recoveries.find((r) => r.caseId === caseId)).toMatchObject({ received: { minor: 1_000 }, receipts: [{ reversal: undefined }] });
    expect(await announced(caseId, EventTypes.CarrierReceiptReversed)).toEqual([]);
  });
});

describe("a recovery the carrier has not paid in time", () => {
  const timerOf = async (caseId: string) =>
    (await under.billing.runtime.pool.query<{ due_at: Date; fired_at: Date | null }>("SELECT due_at, fired_at FROM timers WHERE kind = $1 AND timer_key = $2", [carrierRecoveryOverdueTimer, caseId])).rows;

  it("is due by the set days after its settlement, listed overdue once that passes, and announced once, however often heard or fired", async () => {
    const late = `case-${randomUUID()}`;
    const recent = `case-${randomUUID()}`;
    const lateSettlement = await settled(late, 8_000, new Date(Date.now() - 40 * DAY));
    const recentSettlement = await settled(recent, 8_000);
    await under.commands.recordCarrierReceipt(receipt(late, 1_000, `O-1-${late}`));
    const dueBy = new Date(lateSettlement.occurredAt.getTime() + 30 * DAY).toISOString();
    expect((await list({ outstandingOnly: true })).recoveries.find((r) => r.caseId === late)).toMatchObject({ dueBy, overdue: true });
    expect((await list()).recoveries.find((r) => r.caseId === recent)).toMatchObject({ dueBy: new Date(recentSettlement.occurredAt.getTime() + 30 * DAY).toISOString(), overdue: false });
    const overdue = await list({ overdueOnly: true });
    expect(overdue.recoveries.map((r) => r.caseId)).toContain(late);
    expect(overdue.recoveries.map((r) => r.caseId)).not.toContain(recent);

    const [event] = await eventually(async () => {
      const events = await announced(late, EventTypes.CarrierRecoveryOverdue);
      return events.length > 0 ? events : undefined;
    });
    // Its timer was due at once (settled 40 days ago), so it may fire before or after the first payment is booked:
    // either way the announcement states the recovery as the timer found it.
    const receivedWhenFired = (event!.payload as { receivedTotal: { minor: number } }).receivedTotal.minor;
    expect([0, 1_000]).toContain(receivedWhenFired);
    expect(event).toMatchObject({ producer: "billing", storeId, orderId: lateSettlement.orderId, payload: { dueBy, outstanding: { minor: 8_000 - receivedWhenFired }, carrier: "SF Express" } });
    // The settlement heard again schedules nothing new; the timer fired again (a lost commit) announces nothing new.
    const heardAgain = { ...lateSettlement, eventId: randomUUID() };
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [heardAgain]);
    await consumed(under.billing.runtime.pool, heardAgain);
    await under.billing.runtime.pool.query("UPDATE timers SET fired_at = NULL, due_at = now() WHERE kind = $1 AND timer_key = $2", [carrierRecoveryOverdueTimer, late]);
    await eventually(async () => ((await timerOf(late))[0]?.fired_at ? true : undefined));
    expect(await timerOf(late)).toHaveLength(1);
    expect(await announced(late, EventTypes.CarrierRecoveryOverdue)).toHaveLength(1);
    // A later payment leaves it announced, and takes it off the overdue list once paid in full.
    await under.commands.recordCarrierReceipt(receipt(late, 7_000, `O-2-${late}`));
    expect((await list({ overdueOnly: true })).recoveries.map((r) => r.caseId)).not.toContain(late);
    expect(await announced(late, EventTypes.CarrierRecoveryOverdue)).toHaveLength(1);
  });

  it("is not announced when paid in full by its due-by time", async () => {
    const caseId = `case-${randomUUID()}`;
    await settled(caseId, 2_000);
    expect((await timerOf(caseId))[0]?.fired_at).toBeNull();
    await under.commands.recordCarrierReceipt(receipt(caseId, 2_000, `P-${caseId}`));
    await under.billing.runtime.pool.query("UPDATE timers SET due_at = now() WHERE kind = $1 AND timer_key = $2", [carrierRecoveryOverdueTimer, caseId]);
    await eventually(async () => ((await timerOf(caseId))[0]?.fired_at ? true : undefined));
    expect(await announced(caseId, EventTypes.CarrierRecoveryOverdue)).toEqual([]);
  });
});

describe("a recovery left owing again by a reversal", () => {
  const timersOf = async (caseId: string) =>
    (
      await under.billing.runtime.pool.query<{ timer_key: string; due_at: Date; fired_at: Date | null }>(
        "SELECT timer_key, due_at, fired_at FROM timers WHERE kind = $1 AND (timer_key = $2 OR timer_key LIKE $2 || '#%') ORDER BY id",
        [carrierRecoveryOverdueTimer, caseId],
      )
    ).rows;
  const allFired = (caseId: string) => eventually(async () => ((await timersOf(caseId)).every((t) => t.fired_at) ? true : undefined));
  const outstandingAnnounced = async (caseId: string) =>
    (await announced(caseId, EventTypes.CarrierRecoveryOverdue)).map((e) => (e.payload as { outstanding: { minor: number } }).outstanding.minor);
  /** Settled so that its due-by time is `seconds` from now (the due days, 30, before that). */
  const dueIn = (caseId: string, dueMinor: number, seconds: number) => settled(caseId, dueMinor, new Date(Date.now() - 30 * DAY + seconds * 1_000));

  it("after its due date, paid in full when its timer fired: announced overdue at once, once per time it comes to owe", async () => {
    const caseId = `case-${randomUUID()}`;
    await dueIn(caseId, 8_000, 12);
    await under.commands.recordCarrierReceipt(receipt(caseId, 3_000, `A-${caseId}`));
    await under.commands.recordCarrierReceipt(receipt(caseId, 5_000, `B-${caseId}`));
    await allFired(caseId);
    expect(await outstandingAnnounced(caseId)).toEqual([]);

    // Booked in error after the due date: owing again, and overdue the moment it owes.
    expect(await under.commands.reverseCarrierReceipt(reversal(caseId, `B-${caseId}`, "wrong claim"))).toMatchObject({ status: "partly-received", overdue: true });
    await eventually(async () => ((await outstandingAnnounced(caseId)).length > 0 ? true : undefined));
    // The reversal retried, and a second reversal while it owes already, start nothing more.
    await under.commands.reverseCarrierReceipt(reversal(caseId, `B-${caseId}`, "wrong claim"));
    await under.commands.reverseCarrierReceipt(reversal(caseId, `A-${caseId}`, "duplicate line"));
    expect((await timersOf(caseId)).map((t) => t.timer_key)).toEqual([caseId, overdueTimerKey(caseId, 2)]);
    // The stretch's timer fired again (a lost commit) announces nothing more.
    await under.billing.runtime.pool.query("UPDATE timers SET fired_at = NULL, due_at = now() WHERE kind = $1 AND timer_key = $2", [carrierRecoveryOverdueTimer, overdueTimerKey(caseId, 2)]);
    await allFired(caseId);
    expect(await outstandingAnnounced(caseId)).toEqual([5_000]);

    // Paid in full again, then that payment reversed too: it owes again, a second time to hear of.
    await under.commands.recordCarrierReceipt(receipt(caseId, 8_000, `C-${caseId}`));
    await under.commands.reverseCarrierReceipt(reversal(caseId, `C-${caseId}`, "bounced"));
    await eventually(async () => ((await outstandingAnnounced(caseId)).length > 1 ? true : undefined));
    await allFired(caseId);
    const events = await announced(caseId, EventTypes.CarrierRecoveryOverdue);
    expect(events.map((e) => (e.payload as { outstanding: { minor: number } }).outstanding.minor)).toEqual([5_000, 8_000]);
    expect(events[1]).toMatchObject({ producer: "billing", storeId, payload: { receivedTotal: { minor: 0 }, due: { minor: 8_000 } } });
  });

  it("before its due date: its timer announces it at the due date as usual, once", async () => {
    const caseId = `case-${randomUUID()}`;
    const settlement = await dueIn(caseId, 4_000, 10);
    const dueBy = new Date(settlement.occurredAt.getTime() + 30 * DAY);
    await under.commands.recordCarrierReceipt(receipt(caseId, 4_000, `D-${caseId}`));
    expect(await under.commands.reverseCarrierReceipt(reversal(caseId, `D-${caseId}`, "wrong claim"))).toMatchObject({ status: "due", overdue: false });
    expect((await timersOf(caseId)).map((t) => [t.timer_key, t.due_at.toISOString(), t.fired_at])).toEqual([
      [caseId, dueBy.toISOString(), null],
      [overdueTimerKey(caseId, 2), dueBy.toISOString(), null],
    ]);
    expect(await outstandingAnnounced(caseId)).toEqual([]);

    await allFired(caseId);
    const events = await announced(caseId, EventTypes.CarrierRecoveryOverdue);
    expect(events).toHaveLength(1);
    expect(events[0]!.occurredAt.getTime()).toBeGreaterThanOrEqual(dueBy.getTime());
    expect(events[0]).toMatchObject({ payload: { outstanding: { minor: 4_000 }, dueBy: dueBy.toISOString() } });
  });
});
