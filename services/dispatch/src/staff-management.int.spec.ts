import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, dispatchApi } from "@oms/contracts";
import { NotFoundError, ValidationError } from "@oms/errors";
import type { RunningService } from "@oms/service-kit";
import { eventually, type TestNamespace } from "@oms/testing";
import { randomStore } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest, requestTask as requestTaskAt, taskHeldBy as taskAssignedTo, taskEventsOf } from "./testing/dispatch-under-test.ts";

// Staff, shifts, absences and store rules through gRPC; going away gives back what was not acknowledged.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ retryQueuedAfterMs: 500, availabilitySweepMs: 200 }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const allWeek = { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] };

function rider(storeId: string, staffId: string, overrides: Partial<dispatchApi.StaffMember> = {}): dispatchApi.StaffMember {
  return {
    staffId,
    storeId,
    name: `Rider ${staffId}`,
    roles: ["rider"],
    skills: [{ skill: "delivery", level: 2 }],
    regions: ["Jing'an"],
    capacity: 3,
    shift: allWeek,
    timezone: "Asia/Shanghai",
    active: true,
    teamId: "team-1",
    absences: [],
    ...overrides,
  };
}

const requestTask = (storeId: string) => requestTaskAt({ namespace }, storeId);

const taskHeldBy = (taskId: string, staffId: string) => taskAssignedTo({ query }, taskId, staffId);

const eventsOf = (taskId: string) => taskEventsOf({ namespace, dispatch }, taskId);

describe("staff management", () => {
  it("validates staff field by field", async () => {
    const storeId = randomStore();
    const error = await commands
      .upsertStaff(rider(storeId, "", { capacity: -1, shift: { start: "25:00", end: "08:00", days: [0] }, timezone: "Mars/Olympus" }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.map((f) => f.field).sort()).toEqual(
      ["staff[0].capacity", "staff[0].shift.days", "staff[0].shift.start", "staff[0].staffId", "staff[0].timezone"].sort(),
    );
    await expect(commands.markAbsent({ staffId: "nobody", from: new Date().toISOString(), until: new Date(Date.now() + 1).toISOString(), reason: "" })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(commands.markAbsent({ staffId: "nobody", from: "soon", until: "", reason: "" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("marking the assignee absent gives their unacknowledged task to someone else, recorded", async () => {
    const storeId = randomStore();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    const saved = await commands.upsertStaff(rider(storeId, a));
    expect(saved).toMatchObject({ staffId: a, teamId: "team-1", capacity: 3, shift: allWeek });
    await commands.upsertStaff(rider(storeId, b));
    const taskId = await requestTask(storeId);
    await taskHeldBy(taskId, a);

    const absent = await commands.markAbsent({ staffId: a, from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 3_600_000).toISOString(), reason: "sick" });
    expect(absent.absences).toHaveLength(1);
    const view = await taskHeldBy(taskId, b);
    expect(view.assignments.map((h) => [h.staffId, h.outcome, h.outcomeReason])).toEqual([
      [a, "withdrawn", "absent"],
      [b, "open", ""],
    ]);
    const types = (await eventually(async () => ((await eventsOf(taskId)).length >= 3 ? eventsOf(taskId) : undefined))).map((e) => e.type);
    expect(types).toEqual([EventTypes.TaskAssigned, EventTypes.AssignmentWithdrawn, EventTypes.TaskAssigned]);
  });

  it("a shift change that takes the assignee off shift gives their unacknowledged task to someone else", async () => {
    const storeId = randomStore();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    await commands.upsertStaff(rider(storeId, a));
    await commands.upsertStaff(rider(storeId, b));
    const taskId = await requestTask(storeId);
    await taskHeldBy(taskId, a);
    // A shift on no day of this week's "now": one day, the day after tomorrow (ISO weekday).
    const isoToday = ((new Date().getUTCDay() + 6) % 7) + 1;
    const otherDay = ((isoToday + 2) % 7) + 1;
    await commands.setShift({ staffId: a, shift: { start: "10:00", end: "11:00", days: [otherDay] } });
    const view = await taskHeldBy(taskId, b);
    expect(view.assignments[0]).toMatchObject({ staffId: a, outcome: "withdrawn", outcomeReason: "off-shift" });
  });

  it("a store's pinned person gets its tasks whenever eligible", async () => {
    const storeId = randomStore();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    await commands.upsertStaff(rider(storeId, a));
    await commands.upsertStaff(rider(storeId, b));
    await expect(commands.setStoreSettings({ storeId, acknowledgeWithinSeconds: 0, preferredStaffId: "someone-elsewhere" })).rejects.toBeInstanceOf(NotFoundError);
    await commands.setStoreSettings({ storeId, acknowledgeWithinSeconds: 0, preferredStaffId: b });
    const first = await requestTask(storeId);
    await taskHeldBy(first, b);
    const second = await requestTask(storeId);
    await taskHeldBy(second, b);
  });
});
