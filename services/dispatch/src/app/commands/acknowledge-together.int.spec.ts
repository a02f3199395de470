import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "../../testing/dispatch-under-test.ts";
import { assignmentRequested, randomStore, staffMember } from "../../testing/fixtures.ts";
import { upsertStaff } from "./upsert-staff.ts";

/**
 * Acknowledgements under load, over gRPC on the real servers: one transaction at a time,
 * so the acknowledgements that arrive while it commits share the next one.
 */
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ acknowledgementBatching: { maxInFlight: 1, maxBatch: 50 } }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const rider = (id: string) => ({ kind: "staff", id, role: "rider" });

/** `count` delivery tasks at a fresh store with as many riders, each task assigned; task id → assignee. */
async function assignedTasks(count: number): Promise<Map<string, string>> {
  const storeId = randomStore();
  await upsertStaff(dispatch.runtime.pool, "dispatch", Array.from({ length: count }, (_, i) => staffMember(storeId, `${storeId}-${i}`, { capacity: 1 })));
  const requests = Array.from({ length: count }, () => assignmentRequested(storeId));
  await publishEvents(namespace.name, Topics.fulfillmentOrder, requests);
  const assignees = new Map<string, string>();
  for (const { payload } of requests) {
    const view = await eventually(async () => {
      const task = await query.getTask({ taskId: payload.taskId }).catch(() => undefined);
      return task?.status === "assigned" ? task : undefined;
    });
    assignees.set(payload.taskId, view.staffId);
  }
  return assignees;
}

/** How many transactions recorded these acknowledgements (xmin: the writing transaction). */
const acknowledgingTransactions = async (taskIds: string[]) =>
  (
    await dispatch.runtime.pool.query<{ n: number }>(
      "SELECT count(DISTINCT xmin::text)::int AS n FROM assignments WHERE task_id = ANY($1) AND outcome = 'acknowledged'",
      [taskIds],
    )
  ).rows[0]!.n;

const acknowledge = (taskId: string, staffId: string) => commands.acknowledgeTask({ taskId, caller: rider(staffId), correlationId: "" });

describe("acknowledgements under load", () => {
  it("records the acknowledgements that arrive together in one transaction, each answered with its own task", async () => {
    const tasks = await assignedTasks(6);

    const answers = await Promise.all([...tasks].map(([taskId, staffId]) => acknowledge(taskId, staffId)));

    expect(answers.map((a) => [a.taskId, a.status, a.staffId])).toEqual([...tasks].map(([taskId, staffId]) => [taskId, "acknowledged", staffId]));
    // Each answer carries its own task's assignment history, read for the batch at once.
    expect(answers.map((a) => a.assignments.map((h) => [h.assignmentId, h.staffId, h.outcome]))).toEqual(
      answers.map((a) => [[a.assignmentId, a.staffId, "acknowledged"]]),
    );
    // The first went alone and at once; the five that came while it committed went together.
    expect(await acknowledgingTransactions([...tasks.keys()])).toBe(2);
    const { rows } = await dispatch.runtime.pool.query("SELECT 1 FROM timers WHERE timer_key = ANY($1) AND cancelled_at IS NULL AND fired_at IS NULL", [
      answers.map((a) => a.assignmentId),
    ]);
    expect(rows).toEqual([]);
  });

  it("answers someone else's, an unknown and a repeated acknowledgement on their own, and records the others", async () => {
    const tasks = [...(await assignedTasks(2))];
    const [first, firstRider] = tasks[0]!;
    const [second, secondRider] = tasks[1]!;

    const answers = await Promise.allSettled([
      acknowledge(first, firstRider),
      acknowledge(second, firstRider),
      acknowledge("no-such-task", firstRider),
      acknowledge(second, secondRider),
      acknowledge(second, secondRider),
    ]);

    expect(answers.map((a) => (a.status === "fulfilled" ? a.value.status : (a.reason as { kind: string }).kind))).toEqual([
      "acknowledged",
      "forbidden",
      "not-found",
      "acknowledged",
      "acknowledged", // already, in the same transaction: nothing more happens
    ]);
    expect(await acknowledgingTransactions([first, second])).toBe(2);
  });
});
