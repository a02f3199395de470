import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { deskReasonsFromEnv } from "@oms/sealing";
import { eventually, publishEvents } from "@oms/testing";
import { findLedgerDiscrepancies } from "./app/queries/find-ledger-discrepancies.ts";
import { clerk, movementsWithActorsOf, putOnRecord, startTestWarehouse, stockEvents, testSku, testStore, type TestWarehouse } from "./test-fixtures.ts";

/**
 * Returned goods (ADR 021) on the real Kafka and Postgres: after-sales accepts a return,
 * the warehouse expects its goods at the order's store, a clerk receives them in two parcels
 * (resellable units back on hand, damaged ones written off with the cause), each receipt
 * once, never more than the case named; ReturnReceived tells everyone, keyed by the order.
 */
let under: TestWarehouse;

beforeAll(async () => {
  under = await startTestWarehouse();
});

afterAll(() => under?.stop());

const pool = () => under.warehouse.runtime.pool;
const agent = { kind: "staff", id: "cs-9", role: "customer-service" } as const;

function caseAccepted(storeId: string, kind: string, lines: { sku: string; quantity: number }[]) {
  const orderId = `o-${randomUUID()}`;
  const caseId = `case-${randomUUID()}`;
  const event = newEvent(EventTypes.CaseAccepted, { caseId, assigneeStaffId: "cs-9", note: "", kind, lines }, { producer: "after-sales", orderId, storeId, actor: agent });
  return { orderId, caseId, event };
}

async function expectedAt(storeId: string, count: number) {
  return eventually(async () => {
    const { returns } = await under.stock.listExpectedReturns({ storeId, limit: 0, pageSize: 0, pageToken: "" });
    return returns.length >= count ? returns : undefined;
  });
}

describe("returned goods back into the store's stock", () => {
  it("expects an accepted return's goods, restocks the resellable, writes off the damaged with the cause, and announces each receipt once", async () => {
    const [storeId, kettle, lid] = [testStore(), testSku(), testSku()];
    await putOnRecord(pool(), [{ storeId, sku: kettle, location: "A-01", onHand: 4, safetyStock: 0 }]);
    const { orderId, caseId, event } = caseAccepted(storeId, "return", [{ sku: kettle, quantity: 3 }, { sku: lid, quantity: 1 }]);
    // A complaint accepted at the same store brings nothing back; the acceptance heard twice is one return.
    const complaint = caseAccepted(storeId, "complaint", []);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [complaint.event, event, event]);

    const [listed] = await expectedAt(storeId, 1);
    expect(listed).toMatchObject({ caseId, orderId, storeId, kind: "return", status: "expected", receiptIds: [] });
    expect(listed!.lines).toEqual([
      { sku: kettle, expected: 3, restocked: 0, writtenOff: 0, outstanding: 3 },
      { sku: lid, expected: 1, restocked: 0, writtenOff: 0, outstanding: 1 },
    ]);

    const firstParcel = {
      caseId,
      receiptId: "RET-77/1",
      caller: clerk,
      correlationId: "corr-return-1",
      lines: [{ sku: kettle, resellable: 1, location: "A-01", writeOffs: [{ quantity: 1, condition: "damaged", cause: "base cracked in transit" }] }],
    };
    const afterFirst = await under.commands.receiveReturn(firstParcel);
    expect(afterFirst).toMatchObject({ status: "partly-received", receiptIds: ["RET-77/1"] });
    // The same parcel booked again (a retry after a timeout): nothing more.
    expect(await under.commands.receiveReturn(firstParcel)).toEqual(afterFirst);
    // The second parcel: the last kettle goes to a new shelf, the lid's seal is broken.
    const afterSecond = await under.commands.receiveReturn({
      caseId,
      receiptId: "RET-77/2",
      caller: clerk,
      correlationId: "corr-return-2",
      lines: [
        { sku: kettle, resellable: 1, location: "R-01", writeOffs: [] },
        { sku: lid, resellable: 0, location: "", writeOffs: [{ quantity: 1, condition: "unsellable", cause: "seal broken" }] },
      ],
    });
    expect(afterSecond).toMatchObject({ status: "received", receiptIds: ["RET-77/1", "RET-77/2"] });
    expect(afterSecond.lines.map((l) => l.outstanding)).toEqual([0, 0]);
    expect((await under.stock.listExpectedReturns({ storeId, limit: 0, pageSize: 0, pageToken: "" })).returns).toEqual([]);

    const levels = (await under.stock.getStock({ storeId, skus: [kettle, lid] })).levels;
    expect(levels.map((l) => [l.sku, l.location, l.onHand, l.available])).toEqual([
      [kettle, "A-01", 5, 5],
      [kettle, "R-01", 1, 1],
    ]);
    const ledger = await movementsWithActorsOf(pool(), storeId);
    expect(ledger.filter((m) => m.kind === "returned").map((m) => [m.sku, m.quantity, m.actor_id])).toEqual([
      [kettle, 1, clerk.id],
      [kettle, 1, clerk.id],
    ]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
    const { rows: writeOffs } = await pool().query("SELECT sku, quantity, condition, cause, case_id, actor_id FROM stock_write_offs WHERE store_id = $1 ORDER BY write_off_id", [storeId]);
    expect(writeOffs).toEqual([
      { sku: kettle, quantity: 1, condition: "damaged", cause: "base cracked in transit", case_id: caseId, actor_id: clerk.id },
      { sku: lid, quantity: 1, condition: "unsellable", cause: "seal broken", case_id: caseId, actor_id: clerk.id },
    ]);

    await under.warehouse.relay.flush();
    const announced = await eventually(async () => {
      const events = (await stockEvents(under.namespace.name)).filter((e) => e.type === EventTypes.ReturnReceived && e.orderId === orderId);
      return events.length >= 2 ? events : undefined;
    });
    expect(announced).toHaveLength(2);
    expect(announced[0]).toMatchObject({ orderId, storeId, producer: "warehouse", actor: clerk, correlationId: "corr-return-1" });
    expect(announced.map((e) => e.payload)).toEqual([
      {
        caseId,
        receiptId: "RET-77/1",
        lines: [{ sku: kettle, restocked: 1, location: "A-01", writtenOff: 1, writeOffs: [{ quantity: 1, condition: "damaged", cause: "base cracked in transit" }] }],
        restocked: 1,
        writtenOff: 1,
        outstanding: 2,
      },
      expect.objectContaining({ receiptId: "RET-77/2", restocked: 1, writtenOff: 1, outstanding: 0 }),
    ]);
  });

  it("refuses more than the case still expects, goods it does not name, a used receipt id for other goods, an unknown case and a non-staff caller", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    const { caseId, event } = caseAccepted(storeId, "exchange", [{ sku: kettle, quantity: 1 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [event]);
    await expectedAt(storeId, 1);
    const receive = (lines: { sku: string; resellable: number; location: string; writeOffs: { quantity: number; condition: string; cause: string }[] }[], receiptId = "RET-1") =>
      under.commands.receiveReturn({ caseId, receiptId, caller: clerk, correlationId: "", lines });

    await expect(receive([{ sku: kettle, resellable: 2, location: "A-01", writeOffs: [] }])).rejects.toMatchObject({
      kind: "validation",
      fields: [{ field: "lines[0]", message: expect.stringContaining("only 1 are still expected") }],
    });
    await expect(receive([{ sku: "NOT-ON-CASE", resellable: 1, location: "A-01", writeOffs: [] }])).rejects.toMatchObject({
      kind: "validation",
      fields: [{ field: "lines[0].sku", message: expect.stringContaining("is not expected back") }],
    });
    await expect(receive([{ sku: kettle, resellable: 1, location: "", writeOffs: [] }])).rejects.toMatchObject({ kind: "validation", fields: [{ field: "lines[0].location" }] });
    await receive([{ sku: kettle, resellable: 1, location: "A-01", writeOffs: [] }]);
    await expect(receive([{ sku: kettle, resellable: 0, location: "", writeOffs: [{ quantity: 1, condition: "damaged", cause: "dented" }] }])).rejects.toMatchObject({
      kind: "illegal-state",
      code: "return.receipt-id-reused",
    });
    await expect(receive([{ sku: kettle, resellable: 1, location: "A-01", writeOffs: [] }], "RET-2")).rejects.toMatchObject({ kind: "validation" });
    await expect(under.commands.receiveReturn({ caseId: "case-nobody-accepted", receiptId: "RET-1", caller: clerk, correlationId: "", lines: [{ sku: kettle, resellable: 1, location: "A-01", writeOffs: [] }] })).rejects.toMatchObject({
      kind: "not-found",
      code: "return.not-expected",
    });
    await expect(
      under.commands.receiveReturn({ caseId, receiptId: "RET-3", caller: { kind: "customer", id: "c-1", role: "" }, correlationId: "", lines: [{ sku: kettle, resellable: 1, location: "A-01", writeOffs: [] }] }),
    ).rejects.toMatchObject({ kind: "forbidden" });
    // Refusals moved nothing: one unit back, the books balance.
    expect((await under.stock.getStock({ storeId, skus: [kettle] })).levels.map((l) => l.onHand)).toEqual([1]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
  });

  it("answers a receipt that waited for another clerk's with both receipts named, as the books now stand", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    const { caseId, event } = caseAccepted(storeId, "return", [{ sku: kettle, quantity: 2 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [event]);
    await expectedAt(storeId, 1);
    const parcel = (receiptId: string) => ({
      caseId,
      receiptId,
      caller: clerk,
      correlationId: "",
      lines: [{ sku: kettle, resellable: 0, location: "", writeOffs: [{ quantity: 1, condition: "damaged", cause: "dented" }] }],
    });
    // Someone holds the return's row, so both clerks' receipts queue for it and are booked one after the other.
    const holder = await pool().connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM expected_returns WHERE case_id = $1 FOR UPDATE", [caseId]);
      const answers = Promise.all([under.commands.receiveReturn(parcel("RET-a")), under.commands.receiveReturn(parcel("RET-b"))]);
      await eventually(async () => {
        const { rows } = await pool().query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM expected_returns%FOR UPDATE%'",
        );
        return rows[0]!.n >= 2 ? true : undefined;
      });
      await holder.query("COMMIT");
      const [a, b] = await answers;
      const last = [a, b].find((answer) => answer.status === "received")!;
      expect([a, b].map((answer) => answer.status).sort()).toEqual(["partly-received", "received"]);
      expect([...last.receiptIds].sort()).toEqual(["RET-a", "RET-b"]);
    } finally {
      holder.release();
    }
  });

  it("books a receipt sent twice at the same moment once", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    const { caseId, event } = caseAccepted(storeId, "return", [{ sku: kettle, quantity: 2 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [event]);
    await expectedAt(storeId, 1);
    const parcel = { caseId, receiptId: "RET-twin", caller: clerk, correlationId: "", lines: [{ sku: kettle, resellable: 2, location: "N-01", writeOffs: [] }] };
    const answers = await Promise.all([under.commands.receiveReturn(parcel), under.commands.receiveReturn(parcel), under.commands.receiveReturn(parcel)]);
    expect(answers.map((a) => a.status)).toEqual(["received", "received", "received"]);
    expect((await under.stock.getStock({ storeId, skus: [kettle] })).levels.map((l) => l.onHand)).toEqual([2]);
    expect((await movementsWithActorsOf(pool(), storeId)).map((m) => [m.kind, m.quantity])).toEqual([["returned", 2]]);
  });
});

describe("calling off an expected return whose goods will not come", () => {
  const desk = { kind: "staff", id: "cs-9", role: "customer-service" } as const;
  const calledOffOf = async (orderId: string) => {
    await under.warehouse.relay.flush();
    return (await stockEvents(under.namespace.name)).filter((e) => e.type === EventTypes.ReturnCalledOff && e.orderId === orderId);
  };

  it("takes it off the receiving list and announces it once; a repeat announces nothing; goods arriving after all are still booked", async () => {
    const [storeId, kettle, lid] = [testStore(), testSku(), testSku()];
    const { orderId, caseId, event } = caseAccepted(storeId, "return", [{ sku: kettle, quantity: 2 }, { sku: lid, quantity: 1 }]);
    const other = caseAccepted(storeId, "exchange", [{ sku: kettle, quantity: 1 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [event, other.event]);
    await expectedAt(storeId, 2);
    await under.commands.receiveReturn({ caseId, receiptId: "RET-1", caller: clerk, correlationId: "", lines: [{ sku: kettle, resellable: 1, location: "A-01", writeOffs: [] }] });

    const calledOff = await under.commands.callOffReturn({ caseId, reason: "  customer kept the lid and one kettle  ", caller: desk, correlationId: "corr-call-off" });
    expect(calledOff).toMatchObject({ caseId, status: "called-off", calledOffBy: "staff:cs-9", calledOffReason: "customer kept the lid and one kettle", receiptIds: ["RET-1"] });
    expect(Date.parse(calledOff.calledOffAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(calledOff.lines.map((l) => l.outstanding)).toEqual([1, 1]);
    // Off the list; the store's other return is still there.
    expect((await under.stock.listExpectedReturns({ storeId, limit: 0, pageSize: 0, pageToken: "" })).returns.map((r) => r.caseId)).toEqual([other.caseId]);
    // Again, with another reason (a second agent, a retry): as it stands, nothing more announced.
    expect(await under.commands.callOffReturn({ caseId, reason: "parcel lost", caller: { ...desk, id: "sv-1", role: "supervisor" }, correlationId: "" })).toEqual(calledOff);

    const announced = await eventually(async () => {
      const events = await calledOffOf(orderId);
      return events.length > 0 ? events : undefined;
    });
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ orderId, storeId, producer: "warehouse", actor: desk, correlationId: "corr-call-off", payload: { caseId, reason: "", outstanding: 2 } });
    // The desk's words go out sealed under the warehouse's ring, bound to the case's call-off (ADR 024, twenty-fourth-session addendum).
    const { sealedReason } = announced[0]!.payload as { sealedReason: Uint8Array };
    expect(Buffer.from(sealedReason).toString("latin1")).not.toContain("kettle");
    expect(deskReasonsFromEnv(process.env).reasons.toShow("return-call-off", caseId, { sealed: sealedReason })).toBe("customer kept the lid and one kettle");
    expect(() => deskReasonsFromEnv(process.env).reasons.toShow("replacement-call-off", caseId, { sealed: sealedReason })).toThrow(/fails authentication/);
    expect(announced[0]!.occurredAt.toISOString()).toBe(calledOff.calledOffAt);

    // The customer sent the rest anyway: reality wins, the units are booked and the return is received.
    const late = await under.commands.receiveReturn({
      caseId,
      receiptId: "RET-2",
      caller: clerk,
      correlationId: "",
      lines: [
        { sku: kettle, resellable: 1, location: "A-01", writeOffs: [] },
        { sku: lid, resellable: 0, location: "", writeOffs: [{ quantity: 1, condition: "damaged", cause: "crushed" }] },
      ],
    });
    expect(late).toMatchObject({ status: "received", calledOffReason: "customer kept the lid and one kettle", receiptIds: ["RET-1", "RET-2"] });
    expect((await under.stock.getStock({ storeId, skus: [kettle] })).levels.map((l) => l.onHand)).toEqual([2]);
    expect(await findLedgerDiscrepancies(pool(), storeId)).toEqual([]);
    expect(await calledOffOf(orderId)).toHaveLength(1);
    // Every unit back: a call-off now would be a repeat of the one made, still nothing announced.
    expect(await under.commands.callOffReturn({ caseId, reason: "parcel lost", caller: desk, correlationId: "" })).toEqual(late);
  });

  it("refuses a return whose every unit came back, an unknown case, a missing reason and a non-staff caller, writing nothing", async () => {
    const [storeId, kettle] = [testStore(), testSku()];
    const { orderId, caseId, event } = caseAccepted(storeId, "return", [{ sku: kettle, quantity: 1 }]);
    const open = caseAccepted(storeId, "return", [{ sku: kettle, quantity: 1 }]);
    await publishEvents(under.namespace.name, Topics.afterSalesCase, [event, open.event]);
    await expectedAt(storeId, 2);
    await under.commands.receiveReturn({ caseId, receiptId: "RET-1", caller: clerk, correlationId: "", lines: [{ sku: kettle, resellable: 1, location: "A-01", writeOffs: [] }] });

    await expect(under.commands.callOffReturn({ caseId, reason: "parcel lost", caller: desk, correlationId: "" })).rejects.toMatchObject({
      kind: "illegal-state",
      code: "return.already-received",
    });
    await expect(under.commands.callOffReturn({ caseId: "case-nobody-accepted", reason: "parcel lost", caller: desk, correlationId: "" })).rejects.toMatchObject({
      kind: "not-found",
      code: "return.not-expected",
    });
    await expect(under.commands.callOffReturn({ caseId: open.caseId, reason: " ", caller: desk, correlationId: "" })).rejects.toMatchObject({ kind: "validation", fields: [{ field: "reason" }] });
    await expect(under.commands.callOffReturn({ caseId: open.caseId, reason: "parcel lost", caller: { kind: "customer", id: "c-1", role: "" }, correlationId: "" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    expect((await under.stock.listExpectedReturns({ storeId, limit: 0, pageSize: 0, pageToken: "" })).returns).toMatchObject([{ caseId: open.caseId, status: "expected", calledOffAt: "" }]);
    expect(await calledOffOf(orderId)).toEqual([]);
    expect(await calledOffOf(open.orderId)).toEqual([]);
  });
});
