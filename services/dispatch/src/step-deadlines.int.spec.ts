import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent, type OrderEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, readTopic, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// Time nodes of a service visit as durable timers, with short intervals: a step that runs
// late first warns the assignee (level 1), then escalates to the store manager (level 2);
// ListOverdueSteps shows what is still late; doing the step takes it off the list.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ stepDeadlines: { arrivalGraceMs: 1_000, reportGraceMs: 1_000, escalateAfterMs: 1_500 } }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const staff = (id: string) => ({ kind: "staff", id, role: "service-staff" });
const secondsFromNow = (s: number) => new Date(Date.now() + s * 1_000).toISOString();

async function confirmedVisit(startsInSeconds: number, endsInSeconds: number) {
  const storeId = randomStore();
  const installer = `${storeId}-installer`;
  const manager = `${storeId}-manager`;
  await upsertStaff(dispatch.runtime.pool, "dispatch", [
    staffMember(storeId, installer, { roles: ["service-staff"], skills: [{ skill: "installation", level: 2 }] }),
    staffMember(storeId, manager, { roles: ["store-manager"], skills: [] }),
  ]);
  const request = assignmentRequested(storeId, { taskKind: "service", skills: ["installation"] });
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
  const taskId = request.payload.taskId;
  await eventually(async () => ((await query.getTask({ taskId }).catch(() => undefined))?.status === "assigned" ? true : undefined));
  await commands.acknowledgeTask({ taskId, caller: staff(installer), correlationId: "" });
  await commands.confirmAppointment({
    taskId,
    caller: staff(installer),
    correlationId: "",
    appointmentFrom: secondsFromNow(startsInSeconds),
    appointmentUntil: secondsFromNow(endsInSeconds),
    siteSurveyNeeded: false,
    needs: "repair the boiler",
    toolsAndMaterials: [],
  });
  return { storeId, installer, manager, taskId };
}

async function overdueOf(taskId: string): Promise<OrderEvent[]> {
  await dispatch.relay.flush();
  return (await readTopic(Topics.dispatchAssignment, namespace.name))
    .map((m) => decodeEvent(m.value!))
    .filter((e): e is OrderEvent => !!e && e.type === EventTypes.StepOverdue && e.payload.taskId === taskId);
}

const overdueSteps = async (storeId: string) => (await query.listOverdueSteps({ storeId })).steps;

describe("step deadlines", () => {
  it("warn the assignee when arrival runs late, then escalate to the store manager, until the step is done", async () => {
    const { storeId, installer, manager, taskId } = await confirmedVisit(0, 30);

    const warned = await eventually(async () => {
      const steps = await overdueSteps(storeId);
      return steps.length === 1 && steps[0]!.level === 1 ? steps : undefined;
    }, 10_000);
    expect(warned[0]).toMatchObject({ taskId, step: "arrival", staffId: installer, level: 1 });

    const escalated = await eventually(async () => {
      const steps = await overdueSteps(storeId);
      return steps[0]?.level === 2 ? steps : undefined;
    }, 10_000);
    expect(escalated[0]).toMatchObject({ step: "arrival", level: 2, overdueSince: warned[0]!.overdueSince });

    const events = await eventually(async () => {
      const found = await overdueOf(taskId);
      return found.length === 2 ? found : undefined;
    });
    expect(events.map((e) => e.payload)).toEqual([
      { taskId, step: "arrival", staffId: installer, level: 1, dueAt: warned[0]!.dueAt, escalatedTo: [] },
      { taskId, step: "arrival", staffId: installer, level: 2, dueAt: warned[0]!.dueAt, escalatedTo: [manager] },
    ]);

    // Arriving at last takes the step off the list.
    await commands.checkIn({ taskId, caller: staff(installer), correlationId: "", at: "", lateCause: "", lateMeasure: "" });
    expect(await overdueSteps(storeId)).toEqual([]);
  });

  it("stay quiet for a step done in time, and follow a moved appointment", async () => {
    const { storeId, installer, taskId } = await confirmedVisit(1, 2);
    // Moved before anything was due: the first appointment's deadlines are called off.
    await commands.confirmAppointment({
      taskId,
      caller: staff(installer),
      correlationId: "",
      appointmentFrom: secondsFromNow(2),
      appointmentUntil: secondsFromNow(4),
      siteSurveyNeeded: false,
      needs: "repair the boiler, second try",
      toolsAndMaterials: [],
    });
    await commands.checkIn({ taskId, caller: staff(installer), correlationId: "", at: "", lateCause: "", lateMeasure: "" });

    // The report is due 5 s from the moved appointment's confirmation; nothing about arrival ever comes.
    const report = await eventually(async () => {
      const steps = await overdueSteps(storeId);
      return steps[0]?.level === 1 ? steps : undefined;
    }, 10_000);
    expect(report).toMatchObject([{ step: "report", level: 1 }]);
    // Warned by the moved appointment's deadline, not the first one's (which came earlier).
    expect(new Date(report[0]!.overdueSince).getTime()).toBeGreaterThanOrEqual(new Date(report[0]!.dueAt).getTime());
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const events = await overdueOf(taskId);
    expect(events.every((e) => (e.payload as { step: string }).step === "report")).toBe(true);
    expect(events.filter((e) => (e.payload as { level: number }).level === 1)).toHaveLength(1);
  });
});
