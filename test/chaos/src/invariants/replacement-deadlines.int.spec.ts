import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import type { CheckContext } from "./context.ts";
import { everyTimerFiredOnce } from "./money-and-timers.ts";
import { clearTimerCheckTables, contextOf, createTimerCheckTables } from "./test-fixtures.ts";

/**
 * The timers check must see what it claims to about replacements' ship-by deadlines (ADR 030's
 * fifth addendum): one flagged with no timer fired, flagged twice at a level, flagged though
 * shipped or called off before its timer came due, or announced with another deadline than the
 * one recorded — each planted and caught; one warned and escalated on its timers, and one shipped
 * in time and never flagged, pass.
 */
let namespace: TestNamespace;
let db: pg.Pool;
let context: CheckContext;
const due = new Date("2026-12-06T10:00:00Z");
const escalation = new Date(due.getTime() + 30_000);
const at = (ms: number) => new Date(due.getTime() + ms);

beforeAll(async () => {
  namespace = await createTestNamespace();
  db = new pg.Pool({ connectionString: namespace.databaseUrl, max: 2 });
  await createTimerCheckTables(db);
  context = contextOf({}, { db });
});

afterAll(async () => {
  await db?.end();
  await namespace?.drop();
});

beforeEach(() => clearTimerCheckTables(db));

const caseOf = (orderId: string) => `case-${orderId}`;

async function deadline(orderId: string, done: { metAt?: Date; calledOffAt?: Date } = {}): Promise<void> {
  await db.query("INSERT INTO warehouse.replacement_ship_deadlines VALUES ($1, $2, $3, $4)", [caseOf(orderId), due, done.metAt ?? null, done.calledOffAt ?? null]);
}

async function fired(orderId: string, level: number, dueAt = level === 1 ? due : escalation): Promise<void> {
  const caseId = caseOf(orderId);
  await db.query(
    "INSERT INTO warehouse.timers (kind, timer_key, order_id, due_at, fired_at, payload) VALUES ('warehouse.replacement-ship-deadline', $1, $2, $3, $3, $4)",
    [`${caseId}/store-1/${level}`, orderId, dueAt, { caseId, storeId: "store-1", level }],
  );
}

/** The warehouse's replacement: reserved at `reservedAt` (if at all), shipped at `shippedAt`. */
async function replacement(orderId: string, reservedAt: Date | null, shippedAt: Date | null = null, storeId = "store-1"): Promise<void> {
  await db.query("INSERT INTO warehouse.replacements (case_id, order_id, store_id, reserved_at, shipped_at) VALUES ($1, $2, $3, $4, $5)", [caseOf(orderId), orderId, storeId, reservedAt, shippedAt]);
}

/** ReplacementShipOverdue on the order's timeline, as fulfillment names it. */
async function flagged(orderId: string, level: number, announcedDue = due): Promise<void> {
  const who = level === 2 ? "escalated to store-manager" : "warned warehouse-clerk";
  await db.query("INSERT INTO fulfillment.timeline (order_id, what, actor, detail) VALUES ($1, 'replacement.ship-overdue', 'system:warehouse', $2)", [
    orderId,
    `case ${caseOf(orderId)}: level ${level}, due ${announcedDue.toISOString()}, ${who} of store-1`,
  ]);
}

/** A step's node and its level-1 timer fired, and its flag on the timeline (ADR 030's seventh addendum). */
async function stepFlagged(orderId: string, step: "pick" | "pack", timerFired: boolean): Promise<void> {
  const caseId = caseOf(orderId);
  await db.query("INSERT INTO warehouse.replacement_ship_deadlines (case_id, due_at, step) VALUES ($1, $2, $3)", [caseId, due, step]);
  if (timerFired) {
    await db.query(
      "INSERT INTO warehouse.timers (kind, timer_key, order_id, due_at, fired_at, payload) VALUES ('warehouse.replacement-ship-deadline', $1, $2, $3, $3, $4)",
      [`${caseId}/store-1/${step}/1`, orderId, due, { caseId, storeId: "store-1", step, level: 1 }],
    );
  }
  await db.query(`INSERT INTO fulfillment.timeline (order_id, what, actor, detail) VALUES ($1, 'replacement.${step}-overdue', 'system:warehouse', $2)`, [
    orderId,
    `case ${caseId}: level 1, due ${due.toISOString()}, warned warehouse-clerk of store-1`,
  ]);
}

describe("every timer fired exactly once: replacements' step deadlines", () => {
  it("holds for a pick flagged on its own timer, and catches a pack flagged without its timer having fired", async () => {
    await stepFlagged("o-21", "pick", true);
    await replacement("o-21", at(-3_600_000));
    expect((await everyTimerFiredOnce(context)).details).toEqual([]);
    await stepFlagged("o-22", "pack", false);
    await replacement("o-22", at(-3_600_000));
    expect((await everyTimerFiredOnce(context)).details).toEqual([expect.stringContaining("case case-o-22 (its pack) was flagged late at level 1 without its timer having fired")]);
  });
});

describe("every timer fired exactly once: replacements' ship-by deadlines", () => {
  it("holds for one warned and escalated on its timers and shipped after, and one shipped in time and never flagged", async () => {
    await deadline("o-1", { metAt: at(45_000) });
    await fired("o-1", 1);
    await fired("o-1", 2);
    await flagged("o-1", 1);
    await flagged("o-1", 2);
    await deadline("o-2", { metAt: at(-60_000) });
    await replacement("o-1", at(-3_600_000), at(45_000));
    await replacement("o-2", at(-3_600_000), at(-60_000));
    // Waiting, then reserved and shipped in the clerk's one step: it never had a deadline. Still waiting: none yet.
    await replacement("o-3", at(-5_000), at(-5_000));
    await replacement("o-4", null);
    const verdict = await everyTimerFiredOnce(context);
    expect(verdict.details).toEqual([]);
    expect(verdict.figure).toContain("2 replacements reserved, each with its ship-by deadline; 1 flagged late to ship and 1 escalated");
  });

  it("catches one flagged without its timer, flagged twice, flagged though shipped or called off in time, and one announced with another deadline", async () => {
    await deadline("o-1");
    await flagged("o-1", 1);
    await deadline("o-2");
    await fired("o-2", 1);
    await flagged("o-2", 1);
    await flagged("o-2", 1);
    await deadline("o-3", { metAt: at(-10_000) });
    await fired("o-3", 1);
    await flagged("o-3", 1);
    await deadline("o-4", { calledOffAt: at(-10_000) });
    await fired("o-4", 1);
    await flagged("o-4", 1);
    await deadline("o-5");
    await fired("o-5", 1);
    await flagged("o-5", 1, at(60_000));
    // Reserved and left with no deadline at all (never started), or with one at a store it does not ship from.
    await replacement("o-6", at(-60_000));
    await deadline("o-7");
    await replacement("o-7", at(-60_000), null, "store-2");
    const verdict = await everyTimerFiredOnce(context);
    expect(verdict.details).toEqual(
      expect.arrayContaining([
        expect.stringContaining("o-1: the replacement of case case-o-1 was flagged late at level 1 without its timer having fired"),
        expect.stringContaining("case-o-2 was flagged late at level 1 2 times"),
        expect.stringContaining("case-o-3 was flagged late at level 1 though shipped"),
        expect.stringContaining("case-o-4 was flagged late at level 1 though called off"),
        expect.stringContaining("case-o-5 was announced due"),
        expect.stringContaining("order o-6: the replacement of case case-o-6 was reserved at store-1 with no ship-by deadline"),
        expect.stringContaining("order o-7: the replacement of case case-o-7 was reserved at store-2 with no ship-by deadline"),
      ]),
    );
    expect(verdict.details).toHaveLength(7);
  });
});
