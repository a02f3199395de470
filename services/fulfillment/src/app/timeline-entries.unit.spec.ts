import { describe, expect, it } from "vitest";
import { EventTypes, newEvent, systemActor } from "@oms/contracts";
import { offTheTimeline, restockEntryOf, timelineEntryOf } from "./timeline-entries.ts";

/** What the order's timeline says when the warehouse flags one of its shipment's steps as late. */
describe("the timeline of a shipment step overdue", () => {
  const overdue = (level: number, escalatedToRole: string) =>
    newEvent(
      EventTypes.ShipmentStepOverdue,
      { reservationId: "o-1/reservation/1", step: "pack", level, dueAt: "2026-12-06T10:00:00.000Z", responsibleRole: "warehouse-clerk", escalatedToRole, storeId: "store-1" },
      { producer: "warehouse", orderId: "o-1", storeId: "store-1", actor: systemActor("warehouse") },
    );

  it("names the step, the level, the deadline, the shipment and who was warned", () => {
    expect(timelineEntryOf(overdue(1, ""))).toMatchObject({
      service: "warehouse",
      what: "shipment.pack-overdue",
      detail: "level 1, due 2026-12-06T10:00:00.000Z, shipment o-1/reservation/1, warned warehouse-clerk of store-1",
      actor: "system:warehouse",
    });
  });

  it("names who it was escalated to", () => {
    expect(timelineEntryOf(overdue(2, "store-manager")).detail).toBe("level 2, due 2026-12-06T10:00:00.000Z, shipment o-1/reservation/1, escalated to store-manager of store-1");
  });
});

/** What the order's timeline says of a reconciliation's difference on it: the kind and the correction, never finance's note. */
describe("the timeline of a reconciliation's difference", () => {
  it("names the kind found, then how it was corrected", () => {
    const origin = { producer: "billing", orderId: "o-1", storeId: "store-1", actor: { kind: "staff" as const, id: "f-1", role: "finance" } };
    const found = newEvent(EventTypes.ReconciliationDifferenceFound, { reconciliationId: "r-1", differenceId: "d-1", kind: "closed-without-invoice", detail: "closed keeping 10800; billing issued no invoice", periodFrom: "", periodUntil: "" }, origin);
    expect(timelineEntryOf(found)).toMatchObject({ service: "billing", what: "reconciliation.difference-found", detail: "closed-without-invoice", actor: "staff:f-1" });
    const explained = newEvent(
      EventTypes.ReconciliationDifferenceExplained,
      { differenceId: "d-1", kind: "closed-without-invoice", explanationId: "e-1", correction: "order-data-corrected", note: "ticket OPS-12", explainedAt: "", periodBalanced: true },
      origin,
    );
    expect(timelineEntryOf(explained)).toMatchObject({ what: "reconciliation.difference-explained", detail: "closed-without-invoice: order-data-corrected" });
  });
});

/** What the order's timeline says when the warehouse receives goods of one of its returns back. */
describe("the timeline of a return received", () => {
  // Not "still expected": a receipt may come after the desk called the rest off (ADR 021), and the event does not say whether it did.
  it("names the case, the receipt, what was restocked and written off, and how many units are not back", () => {
    const received = (outstanding: number) =>
      newEvent(
        EventTypes.ReturnReceived,
        { caseId: "case-1", receiptId: "RET-1", lines: [], restocked: 1, writtenOff: 1, outstanding },
        { producer: "warehouse", orderId: "o-1", storeId: "store-1", actor: { kind: "staff", id: "w-1", role: "warehouse-clerk" } },
      );
    expect(timelineEntryOf(received(1))).toMatchObject({ service: "warehouse", what: "return.received", detail: "case case-1, receipt RET-1: 1 restocked, 1 written off, 1 not back", actor: "staff:w-1" });
    expect(timelineEntryOf(received(0)).detail).toBe("case case-1, receipt RET-1: 1 restocked, 1 written off");
  });

  it("says when the after-sales desk called off the rest, how many units, and not why (the desk's own words stay with the return)", () => {
    const calledOff = newEvent(
      EventTypes.ReturnCalledOff,
      { caseId: "case-1", reason: "Mrs Li kept the lid", sealedReason: Buffer.alloc(0), outstanding: 2 },
      { producer: "warehouse", orderId: "o-1", storeId: "store-1", actor: { kind: "staff", id: "cs-1", role: "customer-service" } },
    );
    expect(timelineEntryOf(calledOff)).toMatchObject({ service: "warehouse", what: "return.called-off", detail: "case case-1: 2 no longer expected back", actor: "staff:cs-1" });
  });
});

/** What the order's timeline says of an exchange's replacement (ADR 030): the case, the units, the carrier; never the desk's reason. */
describe("the timeline of an exchange's replacement", () => {
  const origin = (id: string, role: string) => ({ producer: "warehouse", orderId: "o-1", storeId: "store-1", actor: { kind: "staff" as const, id, role } });

  it("says what was reserved or what it waits for, then what left with which carrier, and a call-off without its reason", () => {
    const reserved = newEvent(EventTypes.ReplacementReserved, { caseId: "case-1", lines: [{ sku: "KETTLE-1", quantity: 1, location: "A-1" }, { sku: "KETTLE-1", quantity: 1, location: "B-2" }] }, origin("cs-1", "customer-service"));
    expect(timelineEntryOf(reserved)).toMatchObject({ service: "warehouse", what: "replacement.reserved", detail: "case case-1: 2 × KETTLE-1 reserved", actor: "staff:cs-1" });
    const waiting = newEvent(
      EventTypes.ReplacementAwaitingStock,
      { caseId: "case-1", lines: [{ sku: "KETTLE-1", quantity: 2, location: "" }], short: [{ sku: "KETTLE-1", requested: 2, available: 1, expectedRestockDate: "" }] },
      origin("cs-1", "customer-service"),
    );
    expect(timelineEntryOf(waiting)).toMatchObject({ what: "replacement.awaiting-stock", detail: "case case-1: waiting for KETTLE-1 (2 needed, 1 available)" });
    // The restock date the store expects, as an order's shortage says it: the customer is told when, not only that it waits.
    const dated = newEvent(
      EventTypes.ReplacementAwaitingStock,
      {
        caseId: "case-1",
        lines: [{ sku: "KETTLE-1", quantity: 2, location: "" }, { sku: "LID-3", quantity: 1, location: "" }],
        short: [{ sku: "KETTLE-1", requested: 2, available: 1, expectedRestockDate: "2026-12-15" }, { sku: "LID-3", requested: 1, available: 0, expectedRestockDate: "" }],
      },
      origin("cs-1", "customer-service"),
    );
    expect(timelineEntryOf(dated).detail).toBe("case case-1: waiting for KETTLE-1 (2 needed, 1 available, restock expected 2026-12-15), LID-3 (1 needed, 0 available)");
    const shipped = newEvent(EventTypes.ReplacementShipped, { caseId: "case-1", carrier: "SF Express", trackingNumber: "SF9", lines: [{ sku: "KETTLE-1", quantity: 2, location: "A-1" }] }, origin("w-1", "warehouse-clerk"));
    expect(timelineEntryOf(shipped)).toMatchObject({ what: "replacement.shipped", detail: "case case-1: 2 × KETTLE-1 shipped with SF Express, tracking SF9", actor: "staff:w-1" });
    const calledOff = newEvent(EventTypes.ReplacementCalledOff, { caseId: "case-1", reason: "Mrs Li took a refund", sealedReason: Buffer.alloc(0), released: 2, lines: [{ sku: "KETTLE-1", quantity: 2, location: "A-1" }] }, origin("cs-1", "customer-service"));
    expect(timelineEntryOf(calledOff)).toMatchObject({ what: "replacement.called-off", detail: "case case-1: not sent, 2 reserved released" });
    expect(timelineEntryOf(calledOff).detail).not.toContain("Mrs Li");
    // Sent from another store (ADR 030's third addendum): the store it ships from, not the desk's words.
    const moved = newEvent(
      EventTypes.ReplacementMoved,
      { caseId: "case-1", fromStoreId: "store-1", toStoreId: "store-2", reason: "Mrs Li cannot wait", sealedReason: Buffer.alloc(0), lines: [{ sku: "KETTLE-1", quantity: 1, location: "B-1" }, { sku: "KETTLE-1", quantity: 1, location: "B-2" }] },
      origin("cs-1", "customer-service"),
    );
    expect(timelineEntryOf(moved)).toMatchObject({ what: "replacement.moved", detail: "case case-1: replacement to ship from store-2 instead of store-1, 2 × KETTLE-1 reserved there", actor: "staff:cs-1" });
    expect(timelineEntryOf(moved).detail).not.toContain("Mrs Li");
    // Left on the shelf past its ship-by deadline (ADR 030's fifth addendum): who was told, as for a late shipment step.
    const late = (level: number, escalatedToRole: string) =>
      newEvent(EventTypes.ReplacementShipOverdue, { caseId: "case-1", level, dueAt: "2026-12-07T12:00:00.000Z", responsibleRole: "warehouse-clerk", escalatedToRole, storeId: "store-2", step: "ship" }, origin("warehouse", "system"));
    expect(timelineEntryOf(late(1, ""))).toMatchObject({ what: "replacement.ship-overdue", detail: "case case-1: level 1, due 2026-12-07T12:00:00.000Z, warned warehouse-clerk of store-2" });
    expect(timelineEntryOf(late(2, "store-manager")).detail).toBe("case case-1: level 2, due 2026-12-07T12:00:00.000Z, escalated to store-manager of store-2");
    // Its clerk's steps (ADR 030's seventh addendum), and a step late, named by the step.
    const picked = newEvent(EventTypes.ReplacementPicked, { caseId: "case-1", lines: [{ sku: "KETTLE-1", quantity: 1, location: "B-1" }] }, origin("w-1", "warehouse-clerk"));
    expect(timelineEntryOf(picked)).toMatchObject({ what: "replacement.picked", detail: "case case-1: 1 × KETTLE-1 picked", actor: "staff:w-1" });
    const packed = newEvent(EventTypes.ReplacementPacked, { caseId: "case-1", parcels: 2, label: "store-2-ABCD0123-2" }, origin("w-1", "warehouse-clerk"));
    expect(timelineEntryOf(packed)).toMatchObject({ what: "replacement.packed", detail: "case case-1: packed in 2 parcel(s), label store-2-ABCD0123-2" });
    const latePick = newEvent(EventTypes.ReplacementShipOverdue, { caseId: "case-1", level: 1, dueAt: "2026-12-07T12:00:00.000Z", responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId: "store-2", step: "pick" }, origin("warehouse", "system"));
    expect(timelineEntryOf(latePick)).toMatchObject({ what: "replacement.pick-overdue", detail: "case case-1: level 1, due 2026-12-07T12:00:00.000Z, warned warehouse-clerk of store-2" });
    // Flagged before the steps, it names none: its ship-by deadline.
    const before = newEvent(EventTypes.ReplacementShipOverdue, { caseId: "case-1", level: 1, dueAt: "2026-12-07T12:00:00.000Z", responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId: "store-2", step: "" }, origin("warehouse", "system"));
    expect(timelineEntryOf(before).what).toBe("replacement.ship-overdue");
  });
});

/** What the order's timeline says of a settlement dispute: kind, departments and outcome, never the statement, findings or answers (ADR 026). */
describe("the timeline of a settlement dispute", () => {
  const origin = { producer: "billing", orderId: "o-1", storeId: "store-1", actor: { kind: "staff" as const, id: "f-1", role: "finance" } };

  it("names the kind, the amount and the departments, then each finding's department, the outcome and an escalation", () => {
    const opened = newEvent(EventTypes.SettlementDisputeOpened, { disputeId: "d-1", kind: "refund-missing", amount: { minor: 2_000, currency: "CNY" }, departments: ["finance", "warehouse"], respondBy: "2026-12-10T00:00:00.000Z" }, origin);
    expect(timelineEntryOf(opened)).toMatchObject({ service: "billing", what: "settlement.dispute-opened", detail: "refund-missing: 2000 CNY with finance, warehouse, answer due 2026-12-10T00:00:00.000Z" });
    const finding = newEvent(EventTypes.SettlementDisputeFindingAdded, { disputeId: "d-1", findingId: "f-1", department: "warehouse", recordedAt: "", departmentsPending: ["finance"] }, origin);
    expect(timelineEntryOf(finding)).toMatchObject({ what: "settlement.dispute-finding-added", detail: "warehouse" });
    const upheld = newEvent(
      EventTypes.SettlementDisputeResolved,
      { disputeId: "d-1", kind: "refund-missing", outcome: "upheld", correction: "refund", refunded: { minor: 2_000, currency: "CNY" }, refundIds: ["r-1"], documentNumber: "", resolvedAt: "" },
      origin,
    );
    expect(timelineEntryOf(upheld)).toMatchObject({ what: "settlement.dispute-upheld", detail: "refund-missing: 2000 CNY refunded" });
    const rejected = newEvent(EventTypes.SettlementDisputeResolved, { disputeId: "d-2", kind: "amount", outcome: "rejected", correction: "", refunded: undefined, refundIds: [], documentNumber: "", resolvedAt: "" }, origin);
    expect(timelineEntryOf(rejected)).toMatchObject({ what: "settlement.dispute-rejected", detail: "amount" });
    const escalated = newEvent(EventTypes.SettlementDisputeEscalated, { disputeId: "d-1", kind: "amount", respondBy: "2026-12-10T00:00:00.000Z", escalatedTo: "store-manager" }, origin);
    expect(timelineEntryOf(escalated)).toMatchObject({ what: "settlement.dispute-escalated", detail: "amount: unresolved at 2026-12-10T00:00:00.000Z, escalated to store-manager" });
  });

  it("names a resolved case's refund that fell short, with the figures and billing's reason", () => {
    const short = newEvent(
      EventTypes.CaseRefundShortfall,
      { caseId: "case-1", requested: { minor: 9_000, currency: "CNY" }, refunded: { minor: 6_800, currency: "CNY" }, reason: "already refunded: 4000 of the 10800 paid went back before, 6800 was left" },
      origin,
    );
    expect(timelineEntryOf(short)).toMatchObject({
      service: "billing",
      what: "refund.shortfall",
      detail: "case case-1: 6800 of 9000 CNY refunded; already refunded: 4000 of the 10800 paid went back before, 6800 was left",
    });
  });

  it("names no currency when billing holds nothing of the order", () => {
    const unpaid = newEvent(
      EventTypes.CaseRefundShortfall,
      { caseId: "case-2", requested: { minor: 9_000, currency: "" }, refunded: { minor: 0, currency: "" }, reason: "nothing paid on the order yet" },
      origin,
    );
    expect(timelineEntryOf(unpaid).detail).toBe("case case-2: 0 of 9000 refunded; nothing paid on the order yet");
  });
});

/** What the order's timeline says of a split order's parcel that left without changing the order's status. */
describe("the timeline of a parcel shipped", () => {
  it("names the part, its store, the carrier and the tracking number", () => {
    const parcel = newEvent(
      EventTypes.OrderParcelShipped,
      { partId: "2", storeId: "store-2", carrier: "SF", trackingNumber: "SF-2", orderStatus: "partially-shipped" },
      { producer: "fulfillment", orderId: "o-1", storeId: "store-2", actor: systemActor("warehouse") },
    );
    expect(timelineEntryOf(parcel)).toMatchObject({ service: "fulfillment", what: "order.parcel-shipped", detail: "part 2 from store-2: SF SF-2" });
  });
});

/** What a waiting order's timeline says when staff record or clear a restock date (ADR 030, second addendum). */
describe("the timeline of a restock date staff recorded", () => {
  const clerk = { kind: "staff" as const, id: "w-1", role: "warehouse-clerk" };
  const restock = (expectedRestockDate: string) =>
    newEvent(EventTypes.RestockExpected, { sku: "KETTLE", expectedRestockDate, previousExpectedRestockDate: "", reason: expectedRestockDate ? "" : "supplier cancelled" }, { producer: "warehouse", orderId: "", storeId: "store-1", actor: clerk });

  it("tells each waiting order when the SKU is expected, or that it no longer is, under an id of its own per order", () => {
    const recorded = restock("2030-01-15");
    expect(restockEntryOf(recorded, "o-1")).toMatchObject({
      orderId: "o-1",
      service: "warehouse",
      what: "restock.expected",
      detail: "restock of KETTLE expected 2030-01-15 at store-1",
      actor: "staff:w-1",
      eventId: `${recorded.eventId}/o-1`,
    });
    expect(restockEntryOf(recorded, "o-2").eventId).not.toBe(restockEntryOf(recorded, "o-1").eventId);
    const cleared = restockEntryOf(restock(""), "o-1");
    expect(cleared).toMatchObject({ what: "restock.no-longer-expected", detail: "restock of KETTLE no longer expected at store-1" });
    // The clerk's reason stays in the warehouse's trail.
    expect(cleared.detail).not.toContain("supplier");
  });

  it("tells a waiting replacement's order the new day of the SKU", () => {
    const origin = { producer: "warehouse", orderId: "o-1", storeId: "store-1", actor: clerk };
    const told = newEvent(EventTypes.ReplacementRestockExpected, { caseId: "case-1", sku: "KETTLE", expectedRestockDate: "2030-01-15", short: [] }, origin);
    expect(timelineEntryOf(told)).toMatchObject({ what: "replacement.restock-expected", detail: "case case-1: restock of KETTLE expected 2030-01-15" });
    const cleared = newEvent(EventTypes.ReplacementRestockExpected, { caseId: "case-1", sku: "KETTLE", expectedRestockDate: "", short: [] }, origin);
    expect(timelineEntryOf(cleared).detail).toBe("case case-1: restock of KETTLE no longer expected");
  });
});

/** The chain's business with a carrier is on no order's timeline, which customers read (ADR 017's carrier addenda). */
describe("a carrier's money on a settled claim", () => {
  it("keeps its receipts, their reversals and its being overdue off the order's timeline", () => {
    expect([EventTypes.CarrierRecoveryReceived, EventTypes.CarrierReceiptReversed, EventTypes.CarrierRecoveryOverdue].every((type) => offTheTimeline.has(type))).toBe(true);
  });
});
