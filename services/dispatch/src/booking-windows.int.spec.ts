import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent, systemActor } from "@oms/contracts";
import { ConflictError, IllegalStateError, ValidationError } from "@oms/errors";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, sessionsBlockedOnLocks, type TestNamespace } from "@oms/testing";
import { bookingRepository } from "./adapters/pg/booking-repository.ts";
import { closeTasksOfOrders } from "./app/commands/close-tasks-of-orders.ts";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { taskRepository } from "./adapters/pg/task-repository.ts";
import { fulfillmentRequestsConsumer } from "./ports/consumers/fulfillment-requests.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, taskEventsOf, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// Booking service windows against real Postgres over gRPC: capacity from the people on
// shift with the skill, full windows refused with the next free ones, no overbooking
// when many book the last places at once; a booked visit goes to someone on shift for the
// whole window without another visit then, and the booking says who.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({ retryQueuedAfterMs: 300 }));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const DAY_MS = 24 * 3600_000;
// Tomorrow (UTC) 00:00-10:00: every window inside the 08:00-18:00 Shanghai shift.
const tomorrow = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS);
const atHour = (h: number) => new Date(tomorrow.getTime() + h * 3600_000).toISOString();

async function storeWithTwoCleaners() {
  const storeId = randomStore();
  const shift = { start: "08:00", end: "18:00", days: [1, 2, 3, 4, 5, 6, 7] };
  await upsertStaff(dispatch.runtime.pool, "dispatch", [
    staffMember(storeId, `${storeId}-a`, { skills: [{ skill: "cleaning", level: 1 }], shift }),
    staffMember(storeId, `${storeId}-b`, { skills: [{ skill: "cleaning", level: 2 }], shift }),
    staffMember(storeId, `${storeId}-rider`, { shift }),
  ]);
  return storeId;
}

const book = (storeId: string, windowStart: string, orderId = randomUUID(), correlationId = "") =>
  commands.bookWindow({ storeId, skill: "cleaning", windowStart, orderId, caller: { kind: "staff", id: "order-taker-1", role: "order-taker" } }, { correlationId });

describe("service windows", () => {
  it("hold as many visits as people on shift with the skill, and a full one names the next free windows", async () => {
    const storeId = await storeWithTwoCleaners();
    const free = await query.findFreeWindows({ storeId, skill: "cleaning", from: atHour(0), until: atHour(12) });
    // 08:00-18:00 Shanghai is 00:00-10:00 UTC: five two-hour windows, two people each.
    expect(free.windows.map((w) => [w.start, w.capacity, w.booked])).toEqual([0, 2, 4, 6, 8].map((h) => [atHour(h), 2, 0]));

    const order = randomUUID();
    const first = await book(storeId, atHour(2), order);
    expect(first).toMatchObject({ windowStart: atHour(2), windowEnd: atHour(4), orderId: order });
    expect(await book(storeId, atHour(2), order)).toEqual(first); // twice is once
    await book(storeId, atHour(2));

    const refused = await book(storeId, atHour(2)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toContain(`next free windows: ${atHour(4)}, ${atHour(6)}, ${atHour(8)}`);
    const after = await query.findFreeWindows({ storeId, skill: "cleaning", from: atHour(0), until: atHour(12) });
    expect(after.windows.map((w) => w.start)).toEqual([atHour(0), atHour(4), atHour(6), atHour(8)]);

    // Moving a booking frees its old place.
    await book(storeId, atHour(4), order);
    expect((await query.findFreeWindows({ storeId, skill: "cleaning", from: atHour(2), until: atHour(4) })).windows).toEqual([
      { start: atHour(2), end: atHour(4), capacity: 2, booked: 1 },
    ]);

    await expect(book(storeId, new Date(tomorrow.getTime() + 3600_000 / 2).toISOString())).rejects.toBeInstanceOf(ValidationError);
    await expect(book(storeId, atHour(-48))).rejects.toBeInstanceOf(ValidationError);
    await expect(commands.bookWindow({ storeId, skill: "installation", windowStart: atHour(2), orderId: randomUUID(), caller: undefined })).rejects.toBeInstanceOf(ConflictError);
  });

  it("never overbook when many take the last places at once", async () => {
    const storeId = await storeWithTwoCleaners();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => book(storeId, atHour(6))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    expect(results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason instanceof ConflictError)).toBe(true);
    const window = (await query.findFreeWindows({ storeId, skill: "cleaning", from: atHour(6), until: atHour(8) })).windows;
    expect(window).toEqual([]);
  });
});

describe("a cancelled order's booking", () => {
  const cancel = (storeId: string, orderId: string) =>
    publishEvents(namespace.name, Topics.fulfillmentOrder, [
      newEvent(EventTypes.OrderCancelled, { reason: "customer changed their mind", refundDue: false }, { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") }),
    ]);
  const seenCancelled = (orderId: string) =>
    eventually(async () => ((await dispatch.runtime.pool.query("SELECT 1 FROM cancelled_orders WHERE order_id = $1", [orderId])).rowCount ? true : undefined));
  const bookedIn = async (storeId: string, hour: number) =>
    (await query.findFreeWindows({ storeId, skill: "cleaning", from: atHour(hour), until: atHour(hour + 2) })).windows[0]?.booked ?? "full";

  it("frees its window for the next customer, and the booking stays, released", async () => {
    const storeId = await storeWithTwoCleaners();
    const [kept, cancelled] = [randomUUID(), randomUUID()];
    await book(storeId, atHour(2), kept);
    await book(storeId, atHour(2), cancelled);
    expect(await bookedIn(storeId, 2)).toBe("full");

    await cancel(storeId, cancelled);
    await seenCancelled(cancelled);
    expect(await bookedIn(storeId, 2)).toBe(1);
    expect(await bookingRepository.findByOrder(dispatch.runtime.pool, cancelled)).toMatchObject({ orderId: cancelled, releasedAt: expect.any(Date) });
    expect((await bookingRepository.findByOrder(dispatch.runtime.pool, kept))?.releasedAt).toBeUndefined();
    // The freed place is sold again.
    await book(storeId, atHour(2));
    expect(await bookedIn(storeId, 2)).toBe("full");
  });

  it("cannot be made once the order is cancelled, booked before or not", async () => {
    const storeId = await storeWithTwoCleaners();
    const [booked, never] = [randomUUID(), randomUUID()];
    await book(storeId, atHour(4), booked);
    await Promise.all([cancel(storeId, booked), cancel(storeId, never)]);
    await Promise.all([seenCancelled(booked), seenCancelled(never)]);
    for (const orderId of [booked, never]) {
      const refused = await book(storeId, atHour(6), orderId).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(IllegalStateError);
      expect((refused as IllegalStateError).code).toBe("dispatch.order-cancelled");
    }
    expect(await bookedIn(storeId, 6)).toBe(0);
  });

  it("waits for a cancellation being applied, and then is refused", async () => {
    const storeId = await storeWithTwoCleaners();
    const orderId = randomUUID();
    // The consumer's batch cancelling the order holds the order's lock, not yet committed.
    const consumer = await dispatch.runtime.pool.connect();
    try {
      await consumer.query("BEGIN");
      await bookingRepository.lockOrders(consumer, [orderId]);
      await bookingRepository.releaseCancelled(consumer, [orderId]);
      const booking = book(storeId, atHour(8), orderId).catch((e: unknown) => e);
      await sessionsBlockedOnLocks(dispatch.runtime.pool, 1);
      await consumer.query("COMMIT");
      expect(await booking).toBeInstanceOf(IllegalStateError);
    } finally {
      consumer.release();
    }
    expect(await bookedIn(storeId, 8)).toBe(0);
  });

  /** A booked order whose service task exists and has been through the engine once. */
  async function bookedOrderWithTask(storeId: string, windowStart: string) {
    const orderId = randomUUID();
    await book(storeId, windowStart, orderId);
    const request = assignmentRequested(storeId, { taskKind: "service", skills: ["cleaning"] }, orderId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    await eventually(async () => {
      const task = await query.getTask({ taskId: request.payload.taskId }).catch(() => undefined);
      return task && task.status !== "pending" ? task : undefined;
    });
    return orderId;
  }

  /** Begins a transaction on a connection of its own and says which backend it is, to see it wait. */
  async function session() {
    const client = await dispatch.runtime.pool.connect();
    await client.query("BEGIN");
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    return { client, pid: rows[0]!.pid };
  }
  const waitingForLock = (pid: number) =>
    eventually(async () => ((await dispatch.runtime.pool.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [pid])).rowCount ? true : undefined));

  it("is released after the order's task rows are locked, as the engine locks a task before its booking", async () => {
    const storeId = await storeWithTwoCleaners();
    const orderId = await bookedOrderWithTask(storeId, atHour(2));
    // The engine (or a release) holds the order's task and is about to record the booking's assignee.
    const engine = await session();
    const cancellation = await session();
    try {
      await engine.client.query("SELECT 1 FROM tasks WHERE order_id = $1 FOR UPDATE", [orderId]);
      const closing = closeTasksOfOrders(cancellation.client, "dispatch", [{ orderId, end: "cancelled" }]).then(
        () => "closed",
        (e: unknown) => e,
      );
      await waitingForLock(cancellation.pid);
      // Waits for nothing the cancellation holds: it has not touched the booking while it waits for the task.
      await bookingRepository.assignTo(engine.client, orderId, `${storeId}-a`);
      await engine.client.query("COMMIT");
      expect(await closing).toBe("closed");
      await cancellation.client.query("COMMIT");
    } finally {
      await engine.client.query("ROLLBACK").catch(() => undefined);
      await cancellation.client.query("ROLLBACK").catch(() => undefined);
      engine.client.release();
      cancellation.client.release();
    }
    expect(await bookingRepository.findByOrder(dispatch.runtime.pool, orderId)).toMatchObject({ releasedAt: expect.any(Date) });
  });

  it("is waited for by a batch that also holds the order's tasks for something else before cancelling it", async () => {
    const storeId = await storeWithTwoCleaners();
    const orderId = await bookedOrderWithTask(storeId, atHour(4));
    const origin = { producer: "fulfillment", orderId, storeId, actor: systemActor("fulfillment") };
    // Held for force majeure (its tasks paused) and then cancelled, both in one batch of the consumer's.
    const batch = [
      newEvent(EventTypes.OrderStatusChanged, { fromStatus: "confirmed", toStatus: "on-hold", reason: "flood", carrier: "", trackingNumber: "", holdReason: "force-majeure" }, origin),
      newEvent(EventTypes.OrderCancelled, { reason: "customer changed their mind", refundDue: false }, origin),
    ].map((event) => ({ event })) as never;
    const consumer = fulfillmentRequestsConsumer({ schema: "dispatch", clock: () => new Date() } as never);
    // A booking of the order, past the window's lock and the order's, about to take the order's task rows.
    const booking = await session();
    const batchTx = await session();
    try {
      await bookingRepository.lockStoreWindow(booking.client, storeId, new Date(atHour(4)));
      await bookingRepository.lockOrders(booking.client, [orderId]);
      const handled = consumer.handleBatch!(batch, { tx: batchTx.client, logger: dispatch.runtime.logger }).then(
        () => "handled",
        (e: unknown) => e,
      );
      await waitingForLock(batchTx.pid);
      await taskRepository.lockOpenOfOrders(booking.client, [orderId]);
      await booking.client.query("COMMIT");
      expect(await handled).toBe("handled");
      await batchTx.client.query("COMMIT");
    } finally {
      await booking.client.query("ROLLBACK").catch(() => undefined);
      await batchTx.client.query("ROLLBACK").catch(() => undefined);
      booking.client.release();
      batchTx.client.release();
    }
    expect(await bookingRepository.findByOrder(dispatch.runtime.pool, orderId)).toMatchObject({ releasedAt: expect.any(Date) });
  });
});

describe("a window's people", () => {
  async function storeWithOneCleanerAndInstaller() {
    const storeId = randomStore();
    const shift = { start: "08:00", end: "18:00", days: [1, 2, 3, 4, 5, 6, 7] };
    const skills = [{ skill: "cleaning", level: 1 }, { skill: "installation", level: 1 }];
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, `${storeId}-both`, { skills, shift })]);
    return storeId;
  }
  const bookFor = (storeId: string, skill: string, windowStart: string, orderId = randomUUID()) =>
    commands.bookWindow({ storeId, skill, windowStart, orderId, caller: { kind: "staff", id: "order-taker-1", role: "order-taker" } });

  it("are each sold once, whatever skills they have; an order may change what its own booking needs", async () => {
    const storeId = await storeWithOneCleanerAndInstaller();
    const order = randomUUID();
    await bookFor(storeId, "installation", atHour(2), order);
    await expect(bookFor(storeId, "cleaning", atHour(2))).rejects.toBeInstanceOf(ConflictError);
    expect((await query.findFreeWindows({ storeId, skill: "cleaning", from: atHour(2), until: atHour(4) })).windows).toEqual([]);
    // Its own booking is the one it moves: the person is free for it.
    expect(await bookFor(storeId, "cleaning", atHour(2), order)).toMatchObject({ skill: "cleaning", windowStart: atHour(2) });
  });

  it("are not sold twice by bookings of different skills at once: the second waits for the first and counts it", async () => {
    const storeId = await storeWithOneCleanerAndInstaller();
    const window = { start: new Date(atHour(4)), end: new Date(atHour(6)) };
    // Another booking of the window, for installation, is half-way through.
    const other = await dispatch.runtime.pool.connect();
    try {
      await other.query("BEGIN");
      await bookingRepository.lockStoreWindow(other, storeId, window.start);
      const installation = { bookingId: randomUUID(), storeId, skill: "installation", windowStart: window.start, windowEnd: window.end, orderId: randomUUID(), bookedBy: "", bookedAt: new Date() };
      await bookingRepository.upsert(other, installation);
      const cleaning = bookFor(storeId, "cleaning", atHour(4)).catch((error: unknown) => error);
      await sessionsBlockedOnLocks(dispatch.runtime.pool, 1);
      await other.query("COMMIT");
      expect(await cleaning).toBeInstanceOf(ConflictError);
    } finally {
      other.release();
    }
  });
});

describe("a booked visit", () => {
  async function bookedTask(storeId: string, windowStart: string) {
    const orderId = randomUUID();
    await book(storeId, windowStart, orderId);
    const request = assignmentRequested(storeId, { taskKind: "service", skills: ["cleaning"] }, orderId);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    const taskId = request.payload.taskId;
    const view = await eventually(async () => {
      const task = await query.getTask({ taskId }).catch(() => undefined);
      return task && task.status !== "pending" ? task : undefined;
    });
    return { taskId, orderId, view };
  }

  it("goes to someone free for the whole window, is recorded on the booking, and keeps to the window when reassigned", async () => {
    const storeId = await storeWithTwoCleaners();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    const first = await bookedTask(storeId, atHour(2));
    expect(first.view.staffId).toBe(a);
    expect(first.view.service!.booking).toMatchObject({ windowStart: atHour(2), windowEnd: atHour(4), assignedStaffId: a });
    const elsewhen = await bookedTask(storeId, atHour(6));
    expect(elsewhen.view.staffId).toBe(b);

    // Equal loads would give it to a (by id), but a has a visit in that window.
    const second = await bookedTask(storeId, atHour(2));
    expect(second.view.staffId).toBe(b);
    expect(second.view.service!.booking!.assignedStaffId).toBe(b);

    // b gives it back: a is still busy then, so it waits, and the booking is nobody's.
    await commands.declineTask({ taskId: second.taskId, caller: { kind: "staff", id: b, role: "service-staff" }, reason: "van in repair", correlationId: "" });
    const waiting = await eventually(async () => {
      const { rows } = await dispatch.runtime.pool.query<{ queued_reason: string | null }>("SELECT queued_reason FROM tasks WHERE task_id = $1", [second.taskId]);
      return rows[0]?.queued_reason ?? undefined;
    });
    expect(waiting).toBe(`everyone eligible has another visit between ${atHour(2)} and ${atHour(4)}`);
    expect((await query.getTask({ taskId: second.taskId })).service!.booking!.assignedStaffId).toBe("");

    // Someone off shift in that window does not get it either; someone on shift does.
    const evenings = { start: "19:00", end: "23:00", days: [1, 2, 3, 4, 5, 6, 7] };
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, `${storeId}-evenings`, { skills: [{ skill: "cleaning", level: 1 }], shift: evenings })]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await query.getTask({ taskId: second.taskId })).status).toBe("pending");
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, `${storeId}-c`, { skills: [{ skill: "cleaning", level: 1 }], shift: { start: "08:00", end: "18:00", days: [1, 2, 3, 4, 5, 6, 7] } })]);
    const reassigned = await eventually(async () => {
      const task = await query.getTask({ taskId: second.taskId });
      return task.status === "assigned" ? task : undefined;
    });
    expect(reassigned.staffId).toBe(`${storeId}-c`);
    expect(reassigned.service!.booking!.assignedStaffId).toBe(`${storeId}-c`);
  });

  it("moves with its booking: kept by a holder free in the new window, given to someone else when not", async () => {
    const storeId = await storeWithTwoCleaners();
    const [a, b] = [`${storeId}-a`, `${storeId}-b`];
    const first = await bookedTask(storeId, atHour(2));
    const second = await bookedTask(storeId, atHour(6));
    // a is busy at 02:00: b takes this one.
    const third = await bookedTask(storeId, atHour(2));
    expect([first.view.staffId, second.view.staffId, third.view.staffId]).toEqual([a, b, b]);

    // a is free 04:00-06:00 too: the booking moves, the visit stays a's.
    expect(await book(storeId, atHour(4), first.orderId)).toMatchObject({ windowStart: atHour(4), assignedStaffId: a });

    // Moved onto b's own visit at 06:00: it goes to a, free then; the withdrawal names the booking's request.
    expect(await book(storeId, atHour(6), third.orderId, "corr-move-booking")).toMatchObject({ windowStart: atHour(6), assignedStaffId: "" });
    const reassigned = await eventually(async () => {
      const task = await query.getTask({ taskId: third.taskId });
      return task.status === "assigned" ? task : undefined;
    });
    expect(reassigned.staffId).toBe(a);
    expect(reassigned.assignments.map((x) => [x.staffId, x.outcome, x.outcomeReason])).toEqual([
      [b, "withdrawn", "another-visit"],
      [a, "open", ""],
    ]);
    expect(reassigned.service!.booking).toMatchObject({ windowStart: atHour(6), assignedStaffId: a });
    const withdrawn = (await taskEventsOf({ namespace, dispatch }, third.taskId)).filter((e) => e.type === EventTypes.AssignmentWithdrawn);
    expect(withdrawn.map((e) => e.correlationId)).toEqual(["corr-move-booking"]);
  });
});
