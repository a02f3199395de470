import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import type { CheckContext } from "./context.ts";
import { everyTimerFiredOnce } from "./money-and-timers.ts";
import { clearTimerCheckTables, contextOf, createTimerCheckTables } from "./test-fixtures.ts";

/**
 * The timers check must see what it claims to about the effects of timers: a missed
 * acknowledgement no deadline fired for, or before its deadline, a task never handed on, a
 * miss shown twice or not at all on the timeline; a follow-up or a cancellation by rule no
 * timer fired for, an unconfirmed order cancelled without its follow-up and escalation, a
 * visit's step flagged with no timer, twice, or though it was done in time —
 * each planted in tables shaped like the services' (only the columns they read) and
 * caught; the effects as the services leave them pass.
 */
let namespace: TestNamespace;
let db: pg.Pool;
let context: CheckContext;
const deadline = new Date("2026-12-06T10:00:00Z");
const after = new Date(deadline.getTime() + 300);

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

beforeEach(async () => {
  await clearTimerCheckTables(db);
});

interface Miss {
  firedAt?: Date | null;
  missedAt?: Date;
  handedOn?: boolean;
  taskStatus?: string;
  onTimeline?: number;
}

/** Order o-1's first rider missed the acknowledgement: as the services leave it unless told otherwise. */
async function missed({ firedAt = after, missedAt = after, handedOn = true, taskStatus = "done", onTimeline = 1 }: Miss = {}): Promise<void> {
  const assignedAt = new Date(deadline.getTime() - 15_000);
  await db.query("INSERT INTO dispatch.tasks VALUES ('o-1/task/1', 'o-1', $1)", [taskStatus]);
  await db.query("INSERT INTO dispatch.assignments VALUES ('a-1', 'o-1/task/1', 'rider-1', $1, $2, 'missed', $3)", [assignedAt, deadline, missedAt]);
  await db.query("INSERT INTO dispatch.timers (kind, timer_key, order_id, due_at, fired_at) VALUES ('dispatch.acknowledge-deadline', 'a-1', 'o-1', $1, $2)", [deadline, firedAt]);
  if (handedOn) {
    await db.query("INSERT INTO dispatch.assignments VALUES ('a-2', 'o-1/task/1', 'rider-2', $1, $2, 'done', $2)", [after, new Date(after.getTime() + 15_000)]);
    await db.query("INSERT INTO dispatch.timers (kind, timer_key, order_id, due_at, cancelled_at) VALUES ('dispatch.acknowledge-deadline', 'a-2', 'o-1', $1, $1)", [after]);
  }
  for (let i = 0; i < onTimeline; i++) await db.query("INSERT INTO fulfillment.timeline VALUES ('o-1', 'task.acknowledgement-missed')");
}

describe("every timer fired exactly once: missed acknowledgements", () => {
  it("holds for a miss its deadline recorded, handed on and shown once", async () => {
    await missed();
    const verdict = await everyTimerFiredOnce(context);
    expect(verdict.details).toEqual([]);
    expect(verdict.figure).toContain("1 acknowledgements missed");
  });

  it("catches a miss no deadline fired for", async () => {
    await missed({ firedAt: null });
    expect((await everyTimerFiredOnce(context)).details.join("\n")).toMatch(/missed without its acknowledgement deadline having fired/);
  });

  it("catches a miss recorded before its deadline", async () => {
    await missed({ missedAt: new Date(deadline.getTime() - 1_000) });
    expect((await everyTimerFiredOnce(context)).details.join("\n")).toMatch(/before its deadline/);
  });

  it("catches a task never handed on after a miss", async () => {
    await missed({ handedOn: false, taskStatus: "pending" });
    expect((await everyTimerFiredOnce(context)).details.join("\n")).toMatch(/never went to anyone else/);
  });

  it("catches a miss shown twice, or not at all, on the order's timeline", async () => {
    await missed({ onTimeline: 2 });
    expect((await everyTimerFiredOnce(context)).details).toContain("order o-1: 1 acknowledgements missed, 2 on its timeline");
    await db.query("DELETE FROM fulfillment.timeline");
    expect((await everyTimerFiredOnce(context)).details).toContain("order o-1: 1 acknowledgements missed, 0 on its timeline");
  });
});

describe("every timer fired exactly once: an acknowledgement paused for force majeure", () => {
  const resumedDeadline = new Date(deadline.getTime() + 3600_000);
  /**
   * Order o-1's task was paused while its rider had not acknowledged: the deadline a-1 was
   * called off (or fired into the pause, doing nothing: `pausedFired`), restarted on resuming as
   * a-1~fm1 with the assignment's deadline moved, and that one fired (unless `resumedFired` is null).
   */
  async function pausedThenMissed({ pausedFired = false, resumedFired = new Date(resumedDeadline.getTime() + 300) as Date | null } = {}) {
    const assignedAt = new Date(deadline.getTime() - 15_000);
    const missedAt = new Date(resumedDeadline.getTime() + 300);
    await db.query("INSERT INTO dispatch.tasks VALUES ('o-1/task/1', 'o-1', 'done')");
    await db.query("INSERT INTO dispatch.assignments VALUES ('a-1', 'o-1/task/1', 'rider-1', $1, $2, 'missed', $3)", [assignedAt, resumedDeadline, missedAt]);
    await db.query("INSERT INTO dispatch.assignments VALUES ('a-2', 'o-1/task/1', 'rider-2', $1, $1, 'done', $1)", [new Date(missedAt.getTime() + 1_000)]);
    await db.query(
      "INSERT INTO dispatch.timers (kind, timer_key, order_id, due_at, fired_at, cancelled_at) VALUES ('dispatch.acknowledge-deadline', 'a-1', 'o-1', $1, $2, $3)",
      [deadline, pausedFired ? deadline : null, pausedFired ? null : assignedAt],
    );
    await db.query("INSERT INTO dispatch.timers (kind, timer_key, order_id, due_at, fired_at) VALUES ('dispatch.acknowledge-deadline', 'a-1~fm1', 'o-1', $1, $2)", [
      resumedDeadline,
      resumedFired,
    ]);
    await db.query("INSERT INTO fulfillment.timeline VALUES ('o-1', 'task.acknowledgement-missed')");
  }

  it("holds for a miss its restarted deadline recorded, the paused one called off or fired into the pause", async () => {
    await pausedThenMissed();
    expect((await everyTimerFiredOnce(context)).details).toEqual([]);
    await clearTimerCheckTables(db);
    await pausedThenMissed({ pausedFired: true });
    expect((await everyTimerFiredOnce(context)).details).toEqual([]);
  });

  it("catches a miss the paused deadline recorded while its restarted one never fired", async () => {
    await pausedThenMissed({ pausedFired: true, resumedFired: null });
    expect((await everyTimerFiredOnce(context)).details).toContain(
      "assignment a-1 of task o-1/task/1 to rider-1 was missed on a deadline a pause had called off (its restarted deadline never fired)",
    );
  });

  it("catches a miss whose deadlines were all called off by the pause", async () => {
    await pausedThenMissed({ resumedFired: null });
    await db.query("UPDATE dispatch.timers SET cancelled_at = due_at WHERE timer_key = 'a-1~fm1'");
    expect((await everyTimerFiredOnce(context)).details).toEqual(["assignment a-1 of task o-1/task/1 to rider-1 was missed without its acknowledgement deadline having fired"]);
  });
});

describe("every timer fired exactly once: the store's confirmation and pick-up rules", () => {
  const timeline = async (orderId: string, ...entries: [string, string?][]) => {
    for (const [what, actor] of entries) await db.query("INSERT INTO fulfillment.timeline VALUES ($1, $2, $3)", [orderId, what, actor ?? "customer:c-1"]);
  };
  const fired = async (orderId: string, ...kinds: string[]) => {
    for (const kind of kinds) await db.query("INSERT INTO fulfillment.timers (kind, timer_key, order_id, due_at, fired_at) VALUES ($1, $2, $2, $3, $3)", [kind, orderId, deadline]);
  };
  const ladder = ["confirmation-follow-up", "confirmation-escalation", "confirmation-cancellation"];

  it("holds for an unconfirmed order followed up, escalated and cancelled by its timers, and a pick-up its hold ended", async () => {
    await timeline("o-1", ["order.awaiting-confirmation", "system:fulfillment"], ["order.follow-up-requested", "system:fulfillment"], ["order.escalated", "system:fulfillment"], ["order.cancelled", "system:fulfillment"]);
    await fired("o-1", ...ladder);
    await timeline("o-2", ["order.packed", "system:fulfillment"], ["order.cancelled", "system:fulfillment"]);
    await fired("o-2", "pickup-period");
    const verdict = await everyTimerFiredOnce(context);
    expect(verdict.details).toEqual([]);
    expect(verdict.figure).toContain("1 orders never confirmed, followed up, escalated and cancelled by rule; 1 pick-ups never collected, cancelled by rule");
  });

  it("catches a follow-up no timer fired for", async () => {
    await timeline("o-1", ["order.awaiting-confirmation", "system:fulfillment"], ["order.follow-up-requested", "system:fulfillment"]);
    expect((await everyTimerFiredOnce(context)).details).toContain("order o-1 was followed up without its confirmation timer having fired");
  });

  it("catches an unconfirmed order cancelled by rule without its follow-up and escalation, or without its deadline", async () => {
    await timeline("o-1", ["order.awaiting-confirmation", "system:fulfillment"], ["order.escalated", "system:fulfillment"], ["order.cancelled", "system:fulfillment"]);
    await fired("o-1", "confirmation-escalation");
    const details = (await everyTimerFiredOnce(context)).details;
    expect(details).toContain("order o-1 was cancelled unconfirmed without its confirmation deadline having fired");
    expect(details).toContain("order o-1 was cancelled unconfirmed after 0 follow-ups and 1 escalations, not one each");
  });

  it("takes a goods order escalated as late on its delivery deadline apart from the confirmation's, and catches one no deadline fired for", async () => {
    const late = (orderId: string) =>
      db.query("INSERT INTO fulfillment.timeline (order_id, what, actor, detail) VALUES ($1, 'order.escalated', 'system:fulfillment', $2)", [
        orderId,
        "not delivered by 2026-12-06T18:00:00.000Z, the time the customer asked for: still assigned (to store-manager)",
      ]);
    // Unconfirmed, followed up, escalated and cancelled by rule, and escalated as late besides: one of each rule's escalations.
    await timeline("o-1", ["order.awaiting-confirmation", "system:fulfillment"], ["order.follow-up-requested", "system:fulfillment"], ["order.escalated", "system:fulfillment"], ["order.cancelled", "system:fulfillment"]);
    await late("o-1");
    await fired("o-1", ...ladder, "delivery-deadline");
    await late("o-2");
    expect((await everyTimerFiredOnce(context)).details).toEqual(["order o-2 was escalated as late without its delivery deadline having fired"]);
  });

  it("catches an order the system cancelled with no rule's timer fired, and leaves a customer's own cancellation alone", async () => {
    await timeline("o-1", ["order.packed", "system:fulfillment"], ["order.cancelled", "system:fulfillment"]);
    await timeline("o-2", ["order.assigned", "system:fulfillment"], ["order.cancelled", "customer:c-2"]);
    expect((await everyTimerFiredOnce(context)).details).toEqual(["order o-1 was cancelled by the system without a rule's timer having fired (none fired)"]);
  });

  it("leaves an order billing refused credit to, cancelled on no timer, to the credit check", async () => {
    await timeline("o-1", ["order.on-hold", "system:fulfillment"]);
    await db.query("INSERT INTO fulfillment.timeline (order_id, what, actor, detail) VALUES ('o-1', 'order.cancelled', 'system:billing', $1)", [
      "credit refused: poor credit: the customer pays in advance or on delivery",
    ]);
    await db.query("INSERT INTO fulfillment.timeline (order_id, what, actor, detail) VALUES ('o-2', 'order.cancelled', 'system:billing', 'stock ran out')");
    expect((await everyTimerFiredOnce(context)).details).toEqual(["order o-2 was cancelled by the system without a rule's timer having fired (none fired)"]);
  });
});

describe("every timer fired exactly once: a service visit's step deadlines", () => {
  const flagged = async (orderId: string, level: number, step = "arrival") =>
    db.query("INSERT INTO fulfillment.timeline (order_id, what, detail) VALUES ($1, $2, $3)", [
      orderId,
      `step.${step}-overdue`,
      `level ${level}, due ${deadline.toISOString()}${level === 2 ? ", escalated to store-manager" : ""}`,
    ]);
  const fired = async (orderId: string, level: number, step = "arrival") =>
    db.query("INSERT INTO dispatch.timers (kind, timer_key, order_id, due_at, fired_at, payload) VALUES ('dispatch.step-deadline', $1, $2, $3, $3, $4)", [
      `${orderId}/task/1/${step}/v1/${level}`,
      orderId,
      deadline,
      { taskId: `${orderId}/task/1`, step, version: 1, level },
    ]);
  const due = async (orderId: string, step: string, metAt: Date | null) => {
    await db.query("INSERT INTO dispatch.tasks (task_id, order_id, status) VALUES ($1, $2, 'done') ON CONFLICT DO NOTHING", [`${orderId}/task/1`, orderId]);
    await db.query("INSERT INTO dispatch.step_deadlines (task_id, step, due_at, met_at) VALUES ($1, $2, $3, $4)", [`${orderId}/task/1`, step, deadline, metAt]);
  };

  it("holds for a late arrival warned and escalated, each on its timer", async () => {
    await fired("o-1", 1);
    await fired("o-1", 2);
    await flagged("o-1", 1);
    await flagged("o-1", 2);
    const verdict = await everyTimerFiredOnce(context);
    expect(verdict.details).toEqual([]);
    expect(verdict.figure).toContain("1 late arrivals flagged and 1 escalated, 0 late reports flagged and 0 escalated, each on its timer and none done in time");
  });

  it("holds for a report done late, warned and escalated on its timers, and one done in time and never flagged", async () => {
    await due("o-1", "report", new Date(deadline.getTime() + 60_000));
    await fired("o-1", 1, "report");
    await fired("o-1", 2, "report");
    await flagged("o-1", 1, "report");
    await flagged("o-1", 2, "report");
    await due("o-2", "report", new Date(deadline.getTime() - 60_000));
    const verdict = await everyTimerFiredOnce(context);
    expect(verdict.details).toEqual([]);
    expect(verdict.figure).toContain("1 late reports flagged and 1 escalated");
  });

  it("catches a report flagged overdue though it was done before it was due, at either level", async () => {
    const doneAt = new Date(deadline.getTime() - 60_000);
    await due("o-1", "report", doneAt);
    await fired("o-1", 1, "report");
    await fired("o-1", 2, "report");
    await flagged("o-1", 1, "report");
    await flagged("o-1", 2, "report");
    expect((await everyTimerFiredOnce(context)).details).toEqual([
      `order o-1: its report was flagged overdue though done at ${doneAt.toISOString()}, before it was due at ${deadline.toISOString()}`,
    ]);
  });

  it("catches an arrival flagged without its timer, or twice on one", async () => {
    await fired("o-1", 1);
    await flagged("o-1", 1);
    await flagged("o-1", 1);
    await flagged("o-1", 2);
    expect((await everyTimerFiredOnce(context)).details).toEqual([
      "order o-1: its arrival flagged overdue at level 1 2 times, its timer fired 1",
      "order o-1: its arrival flagged overdue at level 2 1 times, its timer fired 0",
    ]);
  });
});

