import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// Shifts and absences are judged when a task is to be done (its due window ahead), not
// when the engine runs: through the topic, the engine, the availability sweep and gRPC.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];
const acknowledgeWithinMs = 10 * 60_000;

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ retryQueuedAfterMs: 300, availabilitySweepMs: 200, acknowledgeWithinMs }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const HOUR = 3600_000;
/** "HH:00" of the UTC hour `hoursAhead` after the current one (a shift read in UTC). */
const clockHour = (hoursAhead: number) => `${String((new Date().getUTCHours() + hoursAhead) % 24).padStart(2, "0")}:00`;
const everyDay = [1, 2, 3, 4, 5, 6, 7];

describe("eligibility at the task's time", () => {
  it("gives a delivery due hours ahead to the rider on shift then, keeps it through the sweep, and takes it back for an absence then", async () => {
    const storeId = randomStore();
    const [nowRider, laterRider] = [`${storeId}-now`, `${storeId}-later`];
    await upsertStaff(dispatch.runtime.pool, "dispatch", [
      // On shift for the current two hours only.
      staffMember(storeId, nowRider, { timezone: "UTC", shift: { start: clockHour(0), end: clockHour(2), days: everyDay } }),
      // Off shift now; on shift from six to nine hours ahead.
      staffMember(storeId, laterRider, { timezone: "UTC", shift: { start: clockHour(6), end: clockHour(9), days: everyDay } }),
    ]);
    const hourStart = Math.floor(Date.now() / HOUR) * HOUR;
    const shiftStart = hourStart + 6 * HOUR;
    const dueFrom = new Date(shiftStart + 30 * 60_000);
    const request = assignmentRequested(storeId, { dueFrom: dueFrom.toISOString(), dueUntil: new Date(dueFrom.getTime() + HOUR).toISOString() });
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    const taskId = request.payload.taskId;

    const assigned = await eventually(async () => {
      const view = await query.getTask({ taskId }).catch(() => undefined);
      return view?.status === "assigned" ? view : undefined;
    });
    expect(assigned.staffId).toBe(laterRider);
    // Nobody answers while off shift: the acknowledgement clock starts when the shift does.
    const clockStart = new Date(assigned.acknowledgeBy).getTime() - acknowledgeWithinMs;
    expect(clockStart).toBeGreaterThanOrEqual(shiftStart);
    expect(clockStart).toBeLessThan(shiftStart + 15 * 60_000);

    // Off shift now, but not for the task: the sweep (every 200 ms) leaves it with them.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await query.getTask({ taskId })).toMatchObject({ status: "assigned", staffId: laterRider });

    // An absence that covers the task's window (not now) takes it back; nobody else is on shift then.
    await commands.markAbsent({ staffId: laterRider, from: new Date(shiftStart).toISOString(), until: new Date(shiftStart + 3 * HOUR).toISOString(), reason: "leave" });
    const queued = await eventually(async () => {
      const view = await query.getTask({ taskId });
      return view.status === "pending" ? view : undefined;
    });
    expect(queued.assignments.map((a) => [a.staffId, a.outcome, a.outcomeReason])).toEqual([[laterRider, "withdrawn", "absent"]]);
    // The now-rider is not on shift then either: queued, saying when nobody is.
    const reason = await eventually(async () => {
      const { rows } = await dispatch.runtime.pool.query<{ queued_reason: string | null }>("SELECT queued_reason FROM tasks WHERE task_id = $1", [taskId]);
      return rows[0]?.queued_reason ?? undefined;
    });
    expect(reason).toMatch(/^nobody eligible is on shift between /);
  });
});
