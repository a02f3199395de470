import { describe, expect, it } from "vitest";
import type { ExchangeRecord } from "./context.ts";
import { judgeExchanges, type ExchangeCaseRow, type ExchangeFacts, type ReplacementLedgerRow, type ReplacementRow, type ReplacementTimelineRow } from "./exchange-judgement.ts";

/**
 * The exchanges check must fail on every way an exchange can go wrong under faults: each fact
 * below is a healthy run's, then one planted violation at a time.
 */
const asked = (caseId: string, intent: ExchangeRecord["intent"], more: Partial<ExchangeRecord> = {}): [string, ExchangeRecord] => [
  caseId,
  { caseId, orderId: `o-${caseId}`, storeId: "store-1", intent, opened: true, ...more },
];
const timelineOf = (caseId: string, ...whats: string[]): ReplacementTimelineRow[] => whats.map((what) => ({ order_id: `o-${caseId}`, case_id: caseId, what, entries: 1 }));

/** The facts as a spec plants them: arrays and maps it may change. */
interface PlantedFacts extends ExchangeFacts {
  asked: Map<string, ExchangeRecord>;
  cases: ExchangeCaseRow[];
  replacements: ReplacementRow[];
  timeline: ReplacementTimelineRow[];
  ledger: ReplacementLedgerRow[];
}

/**
 * Four exchanges: one shipped, one called off, one still reserved because the clerk gave up (with
 * the reason), and one that waited for stock at store-1, was moved by the desk to store-2 and
 * shipped from there.
 */
function healthy(): PlantedFacts {
  return {
    asked: new Map([
      asked("x-1", "ship", { moveIntended: true, notMovedBecause: "replacement.not-awaiting-stock (listed reserved)" }),
      asked("x-2", "call-off"),
      asked("x-3", "ship", { leftOpenBecause: "replacement not shipped: gave up after 180 s: 503" }),
      asked("x-4", "ship", { moveIntended: true, movedTo: "store-2" }),
    ]),
    cases: [
      { case_id: "x-1", order_id: "o-x-1", status: "accepted", replacement_status: "shipped", replacement_store_id: "store-1" },
      { case_id: "x-2", order_id: "o-x-2", status: "accepted", replacement_status: "called-off", replacement_store_id: "store-1" },
      { case_id: "x-3", order_id: "o-x-3", status: "accepted", replacement_status: "reserved", replacement_store_id: "store-1" },
      { case_id: "x-4", order_id: "o-x-4", status: "resolved", replacement_status: "shipped", replacement_store_id: "store-2" },
    ],
    replacements: [
      { case_id: "x-1", order_id: "o-x-1", status: "shipped", store_id: "store-1", moved_from_store_id: null },
      { case_id: "x-2", order_id: "o-x-2", status: "called-off", store_id: "store-1", moved_from_store_id: null },
      { case_id: "x-3", order_id: "o-x-3", status: "reserved", store_id: "store-1", moved_from_store_id: null },
      { case_id: "x-4", order_id: "o-x-4", status: "shipped", store_id: "store-2", moved_from_store_id: "store-1" },
    ],
    timeline: [
      ...timelineOf("x-1", "replacement.reserved", "replacement.picked", "replacement.packed", "replacement.shipped"),
      ...timelineOf("x-2", "replacement.awaiting-stock", "replacement.called-off"),
      ...timelineOf("x-3", "replacement.reserved"),
      ...timelineOf("x-4", "replacement.awaiting-stock", "replacement.moved", "replacement.picked", "replacement.packed", "replacement.shipped"),
    ],
    announced: {
      reserved: new Map([
        ["x-1", 1],
        ["x-3", 1],
      ]),
      awaitingStock: new Map([
        ["x-2", 1],
        ["x-4", 1],
      ]),
      shipped: new Map([
        ["x-1", 1],
        ["x-4", 1],
      ]),
      calledOff: new Map([["x-2", 1]]),
      moved: new Map([["x-4", 1]]),
      shippedFrom: new Map([
        ["x-1", "store-1"],
        ["x-4", "store-2"],
      ]),
    },
    ledger: [
      { case_id: "x-1", store_id: "store-1", reserved: 2, released: 0, shipped: 2 },
      { case_id: "x-3", store_id: "store-1", reserved: 1, released: 0, shipped: 0 },
      { case_id: "x-4", store_id: "store-2", reserved: 2, released: 0, shipped: 2 },
    ],
  };
}

const judged = (change: (facts: PlantedFacts) => void) => {
  const facts = healthy();
  change(facts);
  return judgeExchanges(facts);
};

describe("invariant: every exchange accepted has one replacement, shipped or called off once", () => {
  it("passes a run's exchanges, showing why one is still open", () => {
    const { failures, figure } = judgeExchanges(healthy());
    expect(failures).toEqual([]);
    expect(figure).toContain("4 exchanges asked for, 4 opened, 4 replacements: 2 shipped once, 1 called off once, 1 still open (x-3 reserved: replacement not shipped: gave up after 180 s: 503)");
    expect(figure).toContain("1 moved to another store (1 moves answered no: not waiting or no store with the goods), 1 shipped from the new store, each reserved at one store only");
  });

  it("catches an accepted exchange without a replacement, and a replacement of a case never accepted", () => {
    expect(judged((f) => (f.replacements = f.replacements.filter((r) => r.case_id !== "x-1"))).failures).toContainEqual(
      "exchange x-1 was accepted but the warehouse has no replacement for it",
    );
    expect(judged((f) => (f.cases = f.cases.map((c) => (c.case_id === "x-2" ? { ...c, status: "open" } : c)))).failures).toContainEqual("exchange x-2 is open but has a replacement");
  });

  it("catches an exchange asked for and never opened, one nobody asked for, and a replacement of no case", () => {
    expect(judged((f) => (f.cases = f.cases.filter((c) => c.case_id !== "x-1"))).failures).toContainEqual(
      "replacement of case x-1 on order o-x-1, which is no exchange after-sales keeps",
    );
    expect(judged((f) => (f.asked = new Map([...f.asked, asked("x-9", "ship")]))).failures).toContainEqual(
      "exchange x-9 asked for on order o-x-9 was never opened, and nobody said why",
    );
    expect(judged((f) => f.cases.push({ case_id: "x-8", order_id: "o-x-8", status: "open", replacement_status: null, replacement_store_id: null })).failures).toContainEqual(
      "exchange case x-8 on order o-x-8, which nobody asked for",
    );
  });

  it("passes a replacement that waited for stock and was reserved when it came, each announced once", () => {
    const { failures } = judged((f) => {
      f.announced = { ...f.announced, reserved: new Map([...f.announced.reserved, ["x-2", 1]]) };
      f.timeline.push(...timelineOf("x-2", "replacement.reserved"));
    });
    expect(failures).toEqual([]);
  });

  it("catches a replacement shipped twice, called off twice, both, reserved twice or never opened on the topic", () => {
    expect(judged((f) => (f.announced = { ...f.announced, shipped: new Map([["x-1", 2]]) })).failures).toContainEqual(
      "replacement of case x-1 is shipped, announced shipped 2 times",
    );
    expect(judged((f) => (f.announced = { ...f.announced, calledOff: new Map([["x-2", 2]]) })).failures).toContainEqual(
      "replacement of case x-2 is called-off, announced called off 2 times",
    );
    expect(judged((f) => (f.announced = { ...f.announced, calledOff: new Map([["x-2", 1], ["x-1", 1]]) })).failures).toContainEqual(
      "replacement of case x-1 is shipped, announced called off 1 times",
    );
    expect(judged((f) => (f.announced = { ...f.announced, reserved: new Map([["x-1", 2], ["x-3", 1]]) })).failures).toContainEqual(
      "replacement of case x-1 announced reserved 2 times and awaiting stock 0 times",
    );
    expect(judged((f) => (f.announced = { ...f.announced, awaitingStock: new Map() })).failures).toContainEqual(
      "replacement of case x-2 announced reserved 0 times and awaiting stock 0 times",
    );
  });

  it("catches a replacement still open at the end with no reason, and one ended otherwise than the desk meant", () => {
    expect(judged((f) => f.asked.set("x-3", { ...f.asked.get("x-3")!, leftOpenBecause: undefined })).failures).toContainEqual(
      "replacement of case x-3 is still reserved at the end, and nobody said why",
    );
    expect(judged((f) => f.asked.set("x-1", { ...f.asked.get("x-1")!, intent: "call-off" })).failures).toContainEqual(
      "replacement of case x-1 is shipped, the desk meant it called-off",
    );
  });

  it("catches a case that shows another status than the warehouse has", () => {
    expect(judged((f) => (f.cases = f.cases.map((c) => (c.case_id === "x-1" ? { ...c, replacement_status: "reserved" } : c)))).failures).toContainEqual(
      "case x-1 shows its replacement reserved, the warehouse has it shipped",
    );
    expect(judged((f) => (f.cases = f.cases.map((c) => (c.case_id === "x-2" ? { ...c, replacement_status: null } : c)))).failures).toContainEqual(
      "case x-2 shows its replacement not at all, the warehouse has it called-off",
    );
  });

  it("catches a timeline entry missing, twice, or on another order", () => {
    expect(judged((f) => (f.timeline = f.timeline.filter((t) => t.what !== "replacement.shipped"))).failures).toContainEqual(
      "order o-x-1's timeline has replacement.shipped 0 times for case x-1, which is shipped",
    );
    expect(judged((f) => f.timeline.push(...timelineOf("x-2", "replacement.called-off"))).failures).toContainEqual(
      "order o-x-2's timeline has replacement.called-off 2 times for case x-2, which is called-off",
    );
    expect(judged((f) => f.timeline.push(...timelineOf("x-3", "replacement.reserved"))).failures).toContainEqual(
      "order o-x-3's timeline has the replacement of case x-3 reserved 2 times and awaiting stock 0 times",
    );
    expect(judged((f) => f.timeline.push({ order_id: "o-x-2", case_id: "x-1", what: "replacement.reserved", entries: 1 })).failures).toContainEqual(
      "order o-x-2's timeline has replacement.reserved for case x-1, a replacement of order o-x-1",
    );
  });

  it("catches a replacement shipped without its pick or pack on the timeline, and a step told twice", () => {
    expect(judged((f) => (f.timeline = f.timeline.filter((t) => !(t.case_id === "x-1" && t.what === "replacement.packed")))).failures).toContainEqual(
      "order o-x-1's timeline has replacement.packed 0 times for case x-1, which is shipped",
    );
    expect(judged((f) => f.timeline.push(...timelineOf("x-3", "replacement.picked", "replacement.picked"))).failures).toContainEqual(
      "order o-x-3's timeline has replacement.picked 2 times for case x-3, which is reserved",
    );
  });

  it("catches a move the warehouse made that the desk did not, one the desk was answered that the warehouse does not have, and a move announced twice or not on the timeline", () => {
    expect(judged((f) => f.asked.set("x-4", { ...f.asked.get("x-4")!, movedTo: undefined })).failures).toContainEqual(
      "replacement of case x-4 moved to store-2, the desk's move was answered to no store",
    );
    expect(judged((f) => f.asked.set("x-1", { ...f.asked.get("x-1")!, movedTo: "store-3" })).failures).toContainEqual(
      "replacement of case x-1: the desk's move to store-3 was answered, but the warehouse has it unmoved at store-1",
    );
    expect(judged((f) => (f.announced = { ...f.announced, moved: new Map([["x-4", 2]]) })).failures).toContainEqual(
      "replacement of case x-4 moved from store-1 to store-2, announced moved 2 times",
    );
    expect(judged((f) => (f.announced = { ...f.announced, moved: new Map([["x-4", 1], ["x-1", 1]]) })).failures).toContainEqual("replacement of case x-1 never moved, announced moved 1 times");
    expect(judged((f) => (f.timeline = f.timeline.filter((t) => t.what !== "replacement.moved"))).failures).toContainEqual(
      "order o-x-4's timeline has replacement.moved 0 times for case x-4",
    );
  });

  it("catches a moved replacement reserved at two stores, shipped from the store it left, or the case naming the old store", () => {
    expect(judged((f) => f.ledger.push({ case_id: "x-4", store_id: "store-1", reserved: 2, released: 2, shipped: 0 })).failures).toEqual([
      "replacement of case x-4 reserved at 2 stores: store-1, store-2",
      "replacement of case x-4 ships from store-2 but the ledger reserved 2, released 2 and shipped 0 at store-1",
    ]);
    expect(
      judged((f) => (f.ledger = f.ledger.map((l) => (l.case_id === "x-4" ? { ...l, store_id: "store-1" } : l)))).failures,
    ).toContainEqual("replacement of case x-4 ships from store-2 but the ledger reserved 2, released 0 and shipped 2 at store-1");
    expect(judged((f) => (f.announced = { ...f.announced, shippedFrom: new Map([["x-4", "store-1"]]) })).failures).toContainEqual(
      "replacement of case x-4 is at store-2, announced shipped from store-1",
    );
    expect(judged((f) => (f.cases = f.cases.map((c) => (c.case_id === "x-4" ? { ...c, replacement_store_id: "store-1" } : c)))).failures).toContainEqual(
      "case x-4 says its replacement ships from store-1, the warehouse has it at store-2",
    );
    expect(judged((f) => (f.cases = f.cases.map((c) => (c.case_id === "x-4" ? { ...c, replacement_store_id: null } : c)))).failures).toContainEqual(
      "case x-4 never heard its replacement moved to store-2",
    );
  });
});
