import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { EventTypes, Topics, decodeEnvelope, encodeEvent, newEvent, systemActor, type OrderEvent } from "@oms/contracts";
import type { BatchItem } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, sessionsBlockedOnLocks, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { TimerKinds } from "./app/timer-kinds.ts";
import { fulfillmentRequestsConsumer } from "./ports/consumers/fulfillment-requests.ts";
import { defaultDispatchOptions } from "./service.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, taskHeldBy, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// A force-majeure hold pausing a task whose acknowledgement deadline fires at that moment (ADR 027's
// twenty-sixth-session addendum, locks, second reading). The poller holds the timer's row from its
// claim and then waits for the task; the pause holds the task and calls the timer off. The test holds
// the task until the pause and then the service's own poller wait for it, the same way every run.
let under: DispatchUnderTest;
let namespace: TestNamespace;
let dispatch: RunningService;

beforeAll(async () => {
  under = await startDispatchUnderTest();
  ({ namespace, dispatch } = under);
});

afterAll(() => stopDispatchUnderTest(under));

const logger = createLogger({ service: "dispatch-test", level: "silent", pretty: false });

/** Runs the consumer's batch in a transaction on a connection of its own; answers the outcome. */
function batchOn(pool: pg.Pool, apply: (tx: pg.PoolClient) => Promise<void>): Promise<{ ok: true } | { ok: false; error: unknown }> {
  return (async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await apply(client);
      await client.query("COMMIT");
      return { ok: true as const };
    } catch (error) {
      await client.query("ROLLBACK");
      return { ok: false as const, error };
    } finally {
      client.release();
    }
  })();
}

const itemsOf = (events: OrderEvent[]): BatchItem[] =>
  events.map((event) => {
    const value = Buffer.from(encodeEvent(event));
    return { event, envelope: decodeEnvelope(value), value, topic: Topics.fulfillmentOrder };
  });

const heldForForceMajeure = (orderId: string, storeId: string) =>
  newEvent(
    EventTypes.OrderStatusChanged,
    { fromStatus: "assigned", toStatus: "on-hold", reason: "force majeure: typhoon; work paused", carrier: "", trackingNumber: "", holdReason: "force-majeure" },
    { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") },
  );

describe("a force-majeure hold as the task's acknowledgement deadline fires", () => {
  it("pauses the task without waiting for the firing timer: no deadlock, no miss recorded", async () => {
    const { pool } = dispatch.runtime;
    const storeId = randomStore();
    const rider = `${storeId}-a`;
    await upsertStaff(pool, "dispatch", [staffMember(storeId, rider)]);
    const orderId = randomUUID();
    const request = assignmentRequested(storeId, {}, orderId);
    const taskId = request.payload.taskId;
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    const { assignmentId } = await taskHeldBy(under, taskId, rider);
    const deps = { pool, outbox: dispatch.runtime.outbox, schema: dispatch.runtime.config.schema, ...defaultDispatchOptions };
    const { rows: timeout } = await pool.query<{ ms: number }>("SELECT setting::int AS ms FROM pg_settings WHERE name = 'deadlock_timeout'");

    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM tasks WHERE task_id = $1 FOR UPDATE", [taskId]);
      const pause = batchOn(pool, (tx) => fulfillmentRequestsConsumer(deps).handleBatch!(itemsOf([heldForForceMajeure(orderId, storeId)]), { tx, logger }));
      await sessionsBlockedOnLocks(pool, 1);
      // The deadline passes now: the service's poller claims the timer and waits for the task behind the pause.
      await pool.query("UPDATE timers SET due_at = now() WHERE kind = $1 AND timer_key = $2", [TimerKinds.acknowledgeDeadline, assignmentId]);
      await sessionsBlockedOnLocks(pool, 2);
      // Past the poller's own deadlock check, so that a cycle closed later is found by the pause's session.
      await new Promise((resolve) => setTimeout(resolve, timeout[0]!.ms + 500));
      await holder.query("COMMIT");
      const paused = await pause;
      if (!paused.ok) throw paused.error;
    } finally {
      await holder.query("ROLLBACK");
      holder.release();
    }

    // The timer fired once, into a paused task: nothing recorded, the assignee keeps it (a deadlock would leave it put off, then called off).
    const timer = await eventually(async () => {
      const { rows } = await pool.query<{ fired: boolean; cancelled: boolean; outages: number; last_error: string | null }>(
        "SELECT fired_at IS NOT NULL AS fired, cancelled_at IS NOT NULL AS cancelled, outages, last_error FROM timers WHERE kind = $1 AND timer_key = $2",
        [TimerKinds.acknowledgeDeadline, assignmentId],
      );
      return rows[0]?.fired || rows[0]?.cancelled ? rows[0] : undefined;
    });
    expect(timer).toEqual({ fired: true, cancelled: false, outages: 0, last_error: null });
    const { rows: task } = await pool.query("SELECT held_since IS NOT NULL AS held, status, assignee_staff_id FROM tasks WHERE task_id = $1", [taskId]);
    expect(task).toEqual([{ held: true, status: "assigned", assignee_staff_id: rider }]);
  });
});
