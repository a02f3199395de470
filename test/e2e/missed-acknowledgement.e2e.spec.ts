import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, decodeEvent } from "@oms/contracts";
import { repositoryRoot } from "@oms/infra";
import { eventually, readTopic, callerHeaders } from "@oms/testing";
import { dispatchDesk } from "../support/dispatch-desk.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A rider who does not acknowledge in time loses the delivery to another rider; the
 * miss is recorded, the order's timeline shows it, and it is an overdue acknowledgement
 * step on dispatch's list and topic (seven services as processes).
 */
let system: SystemUnderTest;
let desk: ReturnType<typeof dispatchDesk>;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

beforeAll(async () => {
  system = await startSystem();
  desk = dispatchDesk(system.stack.services.dispatch.grpc);
  // The store's acknowledgement window, made short enough to watch it pass.
  await desk.commands.setStoreSettings({ storeId: "store-sh-jingan", acknowledgeWithinSeconds: 2, preferredStaffId: "" });
}, 180_000);

afterAll(async () => {
  desk?.close();
  await system?.stop();
});

describe("a missed acknowledgement", () => {
  it("reassigns the delivery to another rider, records the miss and lists it as an overdue acknowledgement", async () => {
    const response = await fetch(`${system.url}/v1/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", ...callerHeaders("customer:c-zhou") },
      body: JSON.stringify({ ...demoOrder, channelOrderId: `WEB-ACK-${Date.now()}` }),
    });
    expect(response.status).toBe(201);
    const { orderId } = (await response.json()) as { orderId: string };

    const reassigned = await eventually(async () => {
      // The dispatcher reads whom each assignment went to: a customer is shown no staff id (ADR 022, twenty-sixth-session addendum).
      const order = (await (await fetch(`${system.url}/v1/orders/${orderId}`, { headers: callerHeaders("staff:staff-he-disp:dispatcher") })).json()) as { timeline: { what: string; detail: string }[]; taskId: string; assigneeStaffId: string };
      const assignments = order.timeline.filter((t) => t.what === "task.assigned");
      return assignments.length >= 2 && order.timeline.some((t) => t.what === "task.acknowledgement-missed") ? { order, assignments } : undefined;
    }, 60_000, 250);

    const [first, second] = reassigned.assignments;
    expect(first!.detail).not.toBe(second!.detail);
    const task = await desk.queries.getTask({ taskId: reassigned.order.taskId });
    expect(task.staffId).toBe(second!.detail);
    expect(task.excludedStaffIds).toContain(first!.detail);
    expect(task.assignments.map((a) => a.outcome)).toContain("missed");

    const missed = task.assignments.find((a) => a.outcome === "missed")!;
    const overdue = await eventually(async () => {
      const { steps } = await desk.queries.listOverdueSteps({ storeId: "store-sh-jingan" });
      return steps.find((s) => s.taskId === task.taskId && s.step === "acknowledgement");
    }, 10_000);
    expect(overdue).toMatchObject({ orderId, step: "acknowledgement" });
    expect(overdue.level).toBeGreaterThanOrEqual(1);
    const announced = await eventually(async () => {
      const events = (await readTopic(Topics.dispatchAssignment, system.namespace.name)).map((m) => decodeEvent(m.value!));
      return events.find((e) => e?.type === EventTypes.StepOverdue && e.payload.taskId === task.taskId && e.payload.level === 1);
    }, 10_000);
    expect(announced!.payload).toMatchObject({ step: "acknowledgement", staffId: first!.detail, dueAt: missed.acknowledgeBy, escalatedTo: [] });
  });
});
