import { describe, expect, it } from "vitest";
import { eventually, callerHeaders } from "@oms/testing";
import { expectProblem, type HttpAnswer } from "../../services/intake/src/test-fixtures.ts";
import { defaultStepDeadlineSettings } from "../../services/warehouse/src/domain/step-deadlines.ts";
import { clerk, intakeInFrontOfWarehouse, storeId } from "./intake-warehouse-fixture.ts";

// The store's late shipments through intake's REST API, asked of the real warehouse: the pick
// is due seconds after an order reaches the pick list and escalated two seconds after that;
// the later steps keep production's allowances, so a picked order does not come back late
// while a test looks. Each file has its own namespace: only this file's orders are in the store.
const allowance = { ...defaultStepDeadlineSettings, pickMs: 2_500, escalateAfterMs: 2_000 };
const { world, assignedOrder } = intakeInFrontOfWarehouse({ stepDeadlines: allowance });

const manager = callerHeaders("staff:m-1:store-manager");
const supervisor = callerHeaders("staff:sup-1:supervisor");
const overduePath = `/v1/stores/${storeId}/overdue-shipments`;

type Late = { reservationId: string; orderId: string; step: string; dueAt: string; level: number; overdueSince: string };
const shipmentsOf = (answer: HttpAnswer) => (answer.body.shipments ?? []) as Late[];

/** Waits until the reservation is listed at the level, and answers the whole list as the caller got it. */
const listedAt = (reservationId: string, level: number, caller: Record<string, string>, query = "") =>
  eventually(async () => {
    const answer = await world.api.get(`${overduePath}${query}`, caller);
    return shipmentsOf(answer).some((s) => s.reservationId === reservationId && s.level === level) ? answer : undefined;
  }, 20_000);

describe("intake: the store's overdue shipments, asked of the warehouse", () => {
  it("show the clerks a pick run late (level 1), then the store manager its escalation (level 2); once picked it leaves the list", async () => {
    const { orderId, reservationId } = await assignedOrder();

    const warned = await listedAt(reservationId, 1, clerk);
    expect(warned.status).toBe(200);
    expect(warned.body).toEqual({
      shipments: [
        { reservationId, orderId, step: "pick", dueAt: expect.any(String), level: 1, overdueSince: expect.any(String), priority: expect.any(Number), fulfillmentMethod: "ship" },
      ],
    });
    const [{ dueAt, overdueSince }] = shipmentsOf(warned) as [Late];
    expect(new Date(dueAt).toISOString()).toBe(dueAt);
    expect(new Date(overdueSince).getTime()).toBeGreaterThanOrEqual(new Date(dueAt).getTime());

    const escalated = await listedAt(reservationId, 2, manager);
    expect(shipmentsOf(escalated)).toEqual([expect.objectContaining({ reservationId, step: "pick", level: 2, dueAt, overdueSince })]);
    expect(shipmentsOf(await world.api.get(overduePath, supervisor))).toEqual([expect.objectContaining({ reservationId, level: 2 })]);

    expect(await world.api.post(`/v1/reservations/${encodeURIComponent(reservationId)}/pick`, undefined, clerk)).toMatchObject({ status: 200 });
    expect(await world.api.get(overduePath, clerk)).toMatchObject({ status: 200, body: { shipments: [] } });
  });

  it("list the oldest deadline first, at most `limit` of them", async () => {
    const first = await assignedOrder();
    const second = await assignedOrder();
    await listedAt(second.reservationId, 1, clerk);

    const both = shipmentsOf(await world.api.get(overduePath, clerk));
    expect(both.map((s) => s.reservationId)).toEqual([first.reservationId, second.reservationId]);
    expect(both[0]!.dueAt <= both[1]!.dueAt).toBe(true);
    expect(shipmentsOf(await world.api.get(`${overduePath}?limit=1`, manager)).map((s) => s.reservationId)).toEqual([first.reservationId]);
  });

  it("refuse a rider, naming who may, and a limit outside 1 to 500, naming the field", async () => {
    const rider = await world.api.get(overduePath, callerHeaders("staff:r-7:rider"));
    expectProblem(rider, 403, "caller.not-permitted");
    expect(rider.body.detail).toBe("only a warehouse clerk, the store manager or a supervisor may list overdue shipments; the caller is staff with role rider");

    for (const [limit, message] of [
      ["0", "must be at least 1"],
      ["501", "must be at most 500"],
    ]) {
      const wrong = await world.api.get(`${overduePath}?limit=${limit}`, clerk);
      expectProblem(wrong, 400);
      expect(wrong.body.errors).toEqual([{ field: "limit", message }]);
    }
    expect((await world.api.get(`${overduePath}?limit=10&step=pick`, clerk)).body.errors).toEqual([{ field: "step", message: "is not a known field" }]);
  });
});
