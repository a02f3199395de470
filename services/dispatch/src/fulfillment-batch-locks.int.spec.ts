import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, systemActor } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents } from "@oms/testing";
import { taskRepository } from "./adapters/pg/task-repository.ts";
import { fulfillmentRequestsConsumer } from "./ports/consumers/fulfillment-requests.ts";
import { defaultDispatchOptions } from "./service.ts";
import { assignmentRequested, randomStore } from "./testing/fixtures.ts";
import { batchItemsOf, batchOn, racedBehindHeldTask, waitingForLock } from "./testing/consumer-batches.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";

// A batch of fulfillment's events over two orders of one store, whose runs (a delivery's close, a
// re-plan) lock the orders' tasks run by run, racing the assignment engine's batch, which locks a
// store's tasks in one sorted statement (ADR 027's twenty-seventh-session addendum, locks). The test
// holds the task that sorts first until both wait where they must, the same way every run.
let under: DispatchUnderTest;
let dispatch: RunningService;

beforeAll(async () => {
  under = await startDispatchUnderTest();
  ({ dispatch } = under);
});

afterAll(() => stopDispatchUnderTest(under));

const logger = createLogger({ service: "dispatch-test", level: "silent", pretty: false });
const byFulfillment = (orderId: string, storeId: string) => ({ producer: "fulfillment" as const, orderId, storeId, actor: systemActor("fulfillment") });

describe("a fulfillment batch over two orders and the assignment engine's sorted batch over the same tasks", () => {
  it("take the tasks in task id order both: no deadlock, and the batch's close and re-plan applied", async () => {
    const storeId = randomStore();
    const stem = randomUUID();
    // The re-planned order's task sorts first, the delivered order's after it; the batch brings the delivery first.
    const replanned = assignmentRequested(storeId, { taskId: `task-${stem}-a` });
    const delivered = assignmentRequested(storeId, { taskId: `task-${stem}-b` });
    await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [replanned, delivered]);
    for (const { payload } of [replanned, delivered]) {
      await eventually(async () => ((await under.query.getTask({ taskId: payload.taskId }).catch(() => undefined))?.status === "pending" ? true : undefined));
    }
    const batch = [
      newEvent(
        EventTypes.DeliveryRecorded,
        { deliveredAt: new Date().toISOString(), place: "door", method: "rider", deliveredBy: "", proofKind: "signature", proofRef: "sig-1", collectedMinor: 0, reservationId: "", taskId: "" },
        byFulfillment(delivered.orderId, storeId),
      ),
      newEvent(
        EventTypes.AssignmentReplanRequested,
        { taskId: replanned.payload.taskId, region: "Xuhui", dueFrom: "", dueUntil: "", reason: "address corrected", correctionId: "", storeId: "" },
        byFulfillment(replanned.orderId, storeId),
      ),
    ];

    const { pool } = dispatch.runtime;
    const deps = { pool, outbox: dispatch.runtime.outbox, schema: dispatch.runtime.config.schema, ...defaultDispatchOptions };
    const outcomes = await racedBehindHeldTask(pool, replanned.payload.taskId, async () => {
      // The engine first, queued for the first task; then the batch, queued behind it.
      const engine = await batchOn(pool, async (tx) => void (await taskRepository.lockByIds(tx, [delivered.payload.taskId, replanned.payload.taskId])));
      await waitingForLock(pool, engine.pid);
      const consumer = await batchOn(pool, (tx) => fulfillmentRequestsConsumer(deps).handleBatch!(batchItemsOf(batch, Topics.fulfillmentOrder), { tx, logger }));
      await waitingForLock(pool, consumer.pid);
      return { settled: Promise.all([engine.outcome, consumer.outcome]) };
    });
    for (const outcome of outcomes) if (!outcome.ok) throw outcome.error;
    expect(await under.query.getTask({ taskId: delivered.payload.taskId })).toMatchObject({ status: "cancelled" });
    expect(await under.query.getTask({ taskId: replanned.payload.taskId })).toMatchObject({ status: "pending", region: "Xuhui" });
  });
});
