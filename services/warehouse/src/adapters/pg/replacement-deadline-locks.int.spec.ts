import { beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { TimerPoller } from "@oms/timers";
import { callOffReplacement } from "../../app/commands/call-off-replacement.ts";
import { flagOverdueReplacement } from "../../app/commands/flag-overdue-replacement.ts";
import { pickReplacement } from "../../app/commands/pick-replacement.ts";
import { listOverdueShipments } from "../../app/queries/list-overdue-shipments.ts";
import { TimerKinds } from "../../app/step-deadlines.ts";
import { replacementShipDeadlineElapsed } from "../../ports/timers/replacement-ship-deadline.ts";
import { clerk, putOnRecord, testDeadlines, testStore } from "../../test-fixtures.ts";
import { clerkShips, replacementRace } from "./replacement-race-fixture.ts";

/**
 * A replacement's step timer (ADR 030's fifth and seventh addenda: its pick's, the first) firing
 * while a clerk picks it or the desk calls it off, and raced while clerks take all three steps: the poller holds the timer's row and then locks the node, reading the
 * replacement unlocked; the shipment and the call-off hold the stock rows and the replacement,
 * call the node's timers off (waiting for a poller firing it), then end the node. Raced, none
 * deadlocks, and no warning comes after the replacement left or was called off: a flag is
 * written before the step that ends the node, never after it.
 */
const race = replacementRace("replacement-deadline-locks-test");
const { outbox, logger, agent, applyCases, exchangeAccepted } = race;
let pool: pg.Pool;
beforeAll(() => {
  pool = race.pool();
});
const caller = { kind: clerk.kind, id: clerk.id, role: clerk.role };
const desk = { kind: agent.kind, id: agent.id, role: agent.role };
const deps = { outbox, deadlines: testDeadlines, logger };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ship = (caseId: string, n: number) =>
  clerkShips(pool, outbox, { caseId, carrier: "SF Express", trackingNumber: `SF${n}`, caller, correlationId: "race", callerStoreIds: [] }, "race", logger);
const pick = (caseId: string) => pickReplacement(pool, outbox, { caseId, parcels: 0, caller, correlationId: "race", callerStoreIds: [] }, "race", logger, testDeadlines);
const callOff = (caseId: string) => callOffReplacement(pool, outbox, { caseId, reason: "refund instead", caller: desk, correlationId: "race" }, "race", logger, testDeadlines);

/** Until a backend of this database waits for a row lock (the step queued behind the timer's row). */
async function someoneWaitsForALock(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'replacement-deadline-locks-test' AND wait_event_type = 'Lock'");
    if (rows[0]!.n > 0) return;
    await sleep(25);
  }
  throw new Error("nothing came to wait for the timer's row");
}

/** Outbox rows of the case's order, in the order they were written. */
async function written(orderId: string): Promise<string[]> {
  const { rows } = await pool.query<{ event_type: string }>("SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY id", [orderId]);
  return rows.map((r) => r.event_type.replace(/^oms\.events\.v1\./, ""));
}

describe("a replacement's pick timer firing while the replacement is picked or ends", () => {
  for (const how of ["picked", "called off"] as const) {
    it(`lets the timer flag it first and the step wait, with no deadlock, when ${how} as the poller holds the timer`, async () => {
      const storeId = testStore();
      await putOnRecord(pool, [{ storeId, sku: "K", location: "L1", onHand: 2, safetyStock: 0 }]);
      const accepted = exchangeAccepted(storeId, [{ sku: "K", quantity: 1 }]);
      await applyCases([accepted]);
      const { caseId } = accepted.payload;

      // The poller claims the level-1 timer, as fireDue does, and has not run the handler yet.
      const poller = await pool.connect();
      let ending: Promise<unknown> | undefined;
      try {
        await poller.query("BEGIN");
        await poller.query("SET LOCAL lock_timeout = '5s'");
        const { rows } = await poller.query<{ id: number }>("SELECT id FROM timers WHERE kind = $1 AND timer_key = $2 FOR UPDATE", [
          TimerKinds.replacementShipDeadline,
          `${caseId}/${storeId}/pick/1`,
        ]);
        expect(rows).toHaveLength(1);
        await poller.query("UPDATE timers SET fired_at = now() WHERE id = $1", [rows[0]!.id]);

        ending = how === "picked" ? pick(caseId) : callOff(caseId);
        ending.catch(() => undefined);
        await someoneWaitsForALock();
        // The handler runs while the step waits holding the replacement and the stock: it must not wait for them.
        await flagOverdueReplacement(poller, deps, { caseId, storeId, step: "pick", level: 1, timerId: rows[0]!.id });
        await poller.query("COMMIT");
      } catch (error) {
        await poller.query("ROLLBACK");
        throw error;
      } finally {
        poller.release();
      }
      await ending;

      const ended = how === "picked" ? "ReplacementPicked" : "ReplacementCalledOff";
      expect(await written(accepted.orderId)).toEqual(["ReplacementReserved", "ReplacementShipOverdue", ended]);
      const node = await pool.query("SELECT level, met_at IS NOT NULL AS met, called_off_at IS NOT NULL AS called_off FROM replacement_ship_deadlines WHERE case_id = $1 AND step = 'pick'", [caseId]);
      expect(node.rows).toEqual([{ level: 1, met: how === "picked", called_off: how === "called off" }]);

      // The escalation the warning scheduled, firing after: nothing more.
      await pool.query("UPDATE timers SET due_at = now() WHERE kind = $1 AND timer_key = $2", [TimerKinds.replacementShipDeadline, `${caseId}/${storeId}/pick/2`]);
      const poll = new TimerPoller({ pool, logger, handlers: { [TimerKinds.replacementShipDeadline]: replacementShipDeadlineElapsed(deps) } });
      await poll.fireDue();
      expect(await written(accepted.orderId)).toEqual(["ReplacementReserved", "ReplacementShipOverdue", ended]);
      expect((await listOverdueShipments(pool, { storeId, limit: 0, pageSize: 0, pageToken: "" })).shipments).toEqual([]);
    });
  }

  it("raced by pollers firing due timers while clerks ship and the desk calls off: no deadlock, no failure, no warning after the end", async () => {
    const storeId = testStore();
    const skus = ["A", "B", "C"];
    await putOnRecord(pool, skus.map((sku) => ({ storeId, sku, location: "L1", onHand: 100, safetyStock: 0 })));
    const accepted = Array.from({ length: 30 }, (_, i) => exchangeAccepted(storeId, [{ sku: skus[i % 3]!, quantity: 1 }, { sku: skus[(i + 1) % 3]!, quantity: 1 }]));
    for (let i = 0; i < accepted.length; i += 5) await applyCases(accepted.slice(i, i + 5));
    // Every deadline is due now: level 1 fires while the steps run, and the escalations it schedules too.
    const escalating = { ...testDeadlines, settings: { ...testDeadlines.settings, escalateAfterMs: 1 } };
    const handlers = { [TimerKinds.replacementShipDeadline]: replacementShipDeadlineElapsed({ ...deps, deadlines: escalating }) };
    await pool.query("UPDATE timers SET due_at = now() WHERE kind = $1", [TimerKinds.replacementShipDeadline]);

    const pollers = Array.from({ length: 3 }, () => new TimerPoller({ pool, logger, handlers, batchSize: 4 }));
    const firing = (async () => {
      for (let round = 0; round < 10; round++) await Promise.all(pollers.map((p) => p.fireDue()));
    })();
    const steps = accepted.map((a, i) => (i % 2 === 0 ? ship(a.payload.caseId, i) : callOff(a.payload.caseId)));
    const settled = await Promise.allSettled([firing, ...steps]);
    expect(settled.flatMap((s) => (s.status === "rejected" ? [s.reason] : []))).toEqual([]);
    for (const p of pollers) await p.fireDue();

    const { rows: troubled } = await pool.query("SELECT timer_key, attempts, outages, last_error FROM timers WHERE kind = $1 AND (outages > 0 OR last_error IS NOT NULL)", [
      TimerKinds.replacementShipDeadline,
    ]);
    expect(troubled).toEqual([]);
    let flagged = 0;
    for (const a of accepted) {
      const events = await written(a.orderId);
      const end = events.findIndex((e) => e === "ReplacementShipped" || e === "ReplacementCalledOff");
      expect(end, a.payload.caseId).toBeGreaterThan(0);
      // Nothing flagged once it was gone.
      expect(events.slice(end + 1), a.payload.caseId).toEqual([]);
      flagged += events.filter((e) => e === "ReplacementShipOverdue").length;
    }
    // The race ran: some were warned (and escalated) before they left.
    expect(flagged).toBeGreaterThan(0);
    const { rows: open } = await pool.query("SELECT case_id FROM replacement_ship_deadlines d JOIN replacements r USING (case_id) WHERE r.store_id = $1 AND d.met_at IS NULL AND d.called_off_at IS NULL", [storeId]);
    expect(open).toEqual([]);
    expect((await listOverdueShipments(pool, { storeId, limit: 0, pageSize: 0, pageToken: "" })).shipments).toEqual([]);
  });
});
