import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import type { CheckContext } from "./context.ts";
import { everyTimerFiredOnce } from "./money-and-timers.ts";
import { clearTimerCheckTables, contextOf, createTimerCheckTables } from "./test-fixtures.ts";

/**
 * The timers check must see what it claims to about a shipment's step deadlines: a step
 * flagged with no timer fired, flagged twice at a level, flagged though it was done (or its
 * reservation released) before the timer came due, or announced with another deadline than
 * the one recorded — each planted in tables shaped like the services' and caught; a late
 * step warned and escalated on its timers, and one done in time and never flagged, pass.
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

const reservationOf = (orderId: string) => `${orderId}/reservation/1`;

/** The step's node as the warehouse records it. */
async function deadline(orderId: string, step: string, done: { metAt?: Date; calledOffAt?: Date } = {}): Promise<void> {
  await db.query("INSERT INTO warehouse.shipment_step_deadlines VALUES ($1, $2, $3, $4, $5)", [reservationOf(orderId), step, due, done.metAt ?? null, done.calledOffAt ?? null]);
}

/** The level's timer, fired at its due time. */
async function fired(orderId: string, step: string, level: number, dueAt = level === 1 ? due : escalation): Promise<void> {
  const reservationId = reservationOf(orderId);
  await db.query(
    "INSERT INTO warehouse.timers (kind, timer_key, order_id, due_at, fired_at, payload) VALUES ('warehouse.shipment-step-deadline', $1, $2, $3, $3, $4)",
    [`${reservationId}/${step}/${level}`, orderId, dueAt, { reservationId, step, level }],
  );
}

/** ShipmentStepOverdue on the order's timeline, as fulfillment names it. */
async function flagged(orderId: string, step: string, level: number, announcedDue = due): Promise<void> {
  const who = level === 2 ? "escalated to store-manager" : "warned warehouse-clerk";
  await db.query("INSERT INTO fulfillment.timeline (order_id, what, actor, detail) VALUES ($1, $2, 'system:warehouse', $3)", [
    orderId,
    `shipment.${step}-overdue`,
    `level ${level}, due ${announcedDue.toISOString()}, shipment ${reservationOf(orderId)}, ${who} of store-1`,
  ]);
}

describe("every timer fired exactly once: a shipment's step deadlines", () => {
  it("holds for a pick warned and escalated on its timers and done after, and a pack done in time and never flagged", async () => {
    await deadline("o-1", "pick", { metAt: at(45_000) });
    await fired("o-1", "pick", 1);
    await fired("o-1", "pick", 2);
    await flagged("o-1", "pick", 1);
    await flagged("o-1", "pick", 2);
    await deadline("o-1", "pack", { metAt: at(-60_000) });
    // A ship step still open when the run ended, warned once.
    await deadline("o-2", "ship");
    await fired("o-2", "ship", 1);
    await flagged("o-2", "ship", 1);
    const verdict = await everyTimerFiredOnce(context);
    expect(verdict.details).toEqual([]);
    expect(verdict.figure).toContain("2 late shipment steps flagged and 1 escalated (pick 1, pack 0, ship 1), each once on its timer and none done in time");
  });

  it("catches a step flagged without its timer having fired, or twice at a level", async () => {
    await deadline("o-1", "pack");
    await fired("o-1", "pack", 1);
    await flagged("o-1", "pack", 1);
    await flagged("o-1", "pack", 1);
    await flagged("o-1", "pack", 2);
    expect((await everyTimerFiredOnce(context)).details).toEqual([
      "order o-1: the pack of shipment o-1/reservation/1 was flagged overdue at level 1 2 times",
      "order o-1: the pack of shipment o-1/reservation/1 was flagged overdue at level 2 without its timer having fired",
    ]);
  });

  it("catches a step flagged though it was done before its deadline, or escalated though done before the escalation", async () => {
    const beforeDue = at(-5_000);
    await deadline("o-1", "pick", { metAt: beforeDue });
    await fired("o-1", "pick", 1);
    await flagged("o-1", "pick", 1);
    const beforeEscalation = at(20_000);
    await deadline("o-2", "ship", { metAt: beforeEscalation });
    await fired("o-2", "ship", 1);
    await fired("o-2", "ship", 2);
    await flagged("o-2", "ship", 1);
    await flagged("o-2", "ship", 2);
    expect((await everyTimerFiredOnce(context)).details).toEqual([
      `order o-1: the pick of shipment o-1/reservation/1 was flagged overdue at level 1 though done at ${beforeDue.toISOString()}, before its timer was due at ${due.toISOString()}`,
      `order o-2: the ship of shipment o-2/reservation/1 was flagged overdue at level 2 though done at ${beforeEscalation.toISOString()}, before its timer was due at ${escalation.toISOString()}`,
    ]);
  });

  it("catches a step flagged after its reservation was released, and one announced with another deadline than recorded", async () => {
    const released = at(-10_000);
    await deadline("o-1", "pick", { calledOffAt: released });
    await fired("o-1", "pick", 1);
    await flagged("o-1", "pick", 1);
    await deadline("o-2", "pack");
    await fired("o-2", "pack", 1);
    await flagged("o-2", "pack", 1, at(-60_000));
    expect((await everyTimerFiredOnce(context)).details).toEqual([
      `order o-1: the pick of shipment o-1/reservation/1 was flagged overdue at level 1 though released at ${released.toISOString()}, before its timer was due at ${due.toISOString()}`,
      `order o-2: the pack of shipment o-2/reservation/1 was announced due ${at(-60_000).toISOString()}, recorded due ${due.toISOString()}`,
    ]);
  });

  it("allows a step done within a second of its timer: the warehouse and the poller read different clocks", async () => {
    await deadline("o-1", "pick", { metAt: at(-500) });
    await fired("o-1", "pick", 1);
    await flagged("o-1", "pick", 1);
    expect((await everyTimerFiredOnce(context)).details).toEqual([]);
  });
});
