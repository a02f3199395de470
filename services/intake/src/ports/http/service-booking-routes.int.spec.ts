import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@oms/service-kit";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { demoOrder, expectProblem, httpClient } from "../../test-fixtures.ts";
import { startIntakeWithDispatch, type IntakeWithDispatch } from "./intake-with-dispatch.ts";
import { callerHeaders } from "@oms/testing";

// Finding and booking service windows through intake's REST API, asked of a real dispatch
// over gRPC, for orders intake took: the gateway's roles and field errors, its own refusal
// of orders that are not (or not) service orders, and dispatch's (a full window) as problem details.
let under: IntakeWithDispatch;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  under = await startIntakeWithDispatch();
  ({ intake, api } = under);
  await seedDemoCatalogue(intake.runtime.pool);
});

afterAll(() => under?.stop());

const as = (staffId: string, role: string) => (callerHeaders(`staff:${staffId}:${role}`));
const orderTaker = as("ot-1", "order-taker");
// The demo chain's store (its catalogue is what intake checks orders against); this file's namespace has its own dispatch staff.
const storeId = "store-sh-jingan";
const HOUR_MS = 3600_000;
// A two-hour window (dispatch's default length) a day ahead.
const windowStart = new Date(Math.ceil(Date.now() / (2 * HOUR_MS)) * 2 * HOUR_MS + 24 * HOUR_MS);
const at = (hoursAfterWindow: number) => new Date(windowStart.getTime() + hoursAfterWindow * HOUR_MS).toISOString();

/** A deep-cleaning order of the demo chain, taken by intake; answers its id. */
async function serviceOrder(): Promise<string> {
  const order = await demoOrder({
    kind: "service",
    fulfillmentMethod: "on-site",
    lines: [{ sku: "SVC-DEEP-CLEAN", description: "Deep cleaning", quantity: 1, unitPriceMinor: 39_900 }],
    totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 39_900, currency: "CNY" },
    requestedFrom: at(0),
    requestedUntil: at(2),
  });
  const placed = await api.post("/v1/orders", order, orderTaker);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body.orderId as string;
}

describe("intake: service windows, asked of dispatch", () => {
  it("find room for a visit and book it for a service order, until the window is full", async () => {
    const cleaner = `cleaner-${randomUUID().slice(0, 8)}`;
    const member = { storeId, name: "Li Na", roles: ["service-staff"], skills: [{ skill: "cleaning", level: 2 }], regions: ["Jing'an"], capacity: 3, shift: { start: "00:00", end: "24:00", days: [1, 2, 3, 4, 5, 6, 7] }, timezone: "Asia/Shanghai" };
    expect((await api.put(`/v1/staff/${cleaner}`, member, as("m-1", "store-manager"))).status).toBe(200);
    const freeWindows = `/v1/stores/${storeId}/free-windows?skill=cleaning&from=${encodeURIComponent(at(0))}&until=${encodeURIComponent(at(4))}`;
    expect(await api.get(freeWindows, as("cs-1", "customer-service"))).toMatchObject({
      status: 200,
      body: { windows: [{ start: at(0), end: at(2), capacity: 1, booked: 0 }, { start: at(2), end: at(4), capacity: 1, booked: 0 }] },
    });

    const [first, second] = [await serviceOrder(), await serviceOrder()];
    const booked = await api.post(`/v1/orders/${first}/service-booking`, { skill: "cleaning", windowStart: at(0) }, orderTaker);
    expect(booked).toMatchObject({ status: 200, body: { orderId: first, storeId, skill: "cleaning", windowStart: at(0), windowEnd: at(2) } });
    // Booking again is the same booking; the window is now full for anyone else.
    expect((await api.post(`/v1/orders/${first}/service-booking`, { skill: "cleaning", windowStart: at(0) }, orderTaker)).body.bookingId).toBe(booked.body.bookingId);
    const full = await api.post(`/v1/orders/${second}/service-booking`, { skill: "cleaning", windowStart: at(0) }, as("cs-1", "customer-service"));
    expectProblem(full, 409, "dispatch.window-full");
    expect(full.body.detail).toContain(`next free windows: ${at(2)}`);
    expect((await api.get(freeWindows, as("d-1", "dispatcher"))).body.windows.map((w: { start: string }) => w.start)).toEqual([at(2)]);
  });

  it("refuse callers without the role, wrong fields one by one, and orders that have no visit to book", async () => {
    const orderId = await serviceOrder();
    expectProblem(await api.get(`/v1/stores/${storeId}/free-windows?skill=cleaning&from=${encodeURIComponent(at(0))}&until=${encodeURIComponent(at(2))}`, as("r-1", "rider")), 403, "caller.not-permitted");
    expectProblem(await api.post(`/v1/orders/${orderId}/service-booking`, { skill: "cleaning", windowStart: at(0) }, as("d-1", "dispatcher")), 403, "caller.not-permitted");

    const wrongQuery = await api.get(`/v1/stores/${storeId}/free-windows?from=tomorrow&until=${encodeURIComponent(at(2))}`, orderTaker);
    expectProblem(wrongQuery, 400);
    expect(wrongQuery.body.errors).toEqual([
      { field: "skill", message: "is required" },
      { field: "from", message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T09:00:00+08:00" },
    ]);
    // Dispatch's own limits come back naming the field.
    const tooLong = await api.get(`/v1/stores/${storeId}/free-windows?skill=cleaning&from=${encodeURIComponent(at(0))}&until=${encodeURIComponent(at(24 * 40))}`, orderTaker);
    expect(tooLong).toMatchObject({ status: 400, body: { errors: [{ field: "until", message: "must be at most 31 days after from" }] } });

    expect((await api.post(`/v1/orders/${orderId}/service-booking`, { skill: " ", windowStart: "at noon", extra: 1 }, orderTaker)).body.errors).toEqual([
      { field: "skill", message: "must not be empty" },
      { field: "windowStart", message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-05-01T09:00:00+08:00" },
      { field: "extra", message: "is not a known field" },
    ]);
    const offWindow = await api.post(`/v1/orders/${orderId}/service-booking`, { skill: "cleaning", windowStart: at(0.5) }, orderTaker);
    expect(offWindow).toMatchObject({ status: 400, body: { errors: [{ field: "windowStart", message: "must be the start of a window (every 120 minutes)" }] } });

    expectProblem(await api.post(`/v1/orders/${randomUUID()}/service-booking`, { skill: "cleaning", windowStart: at(0) }, orderTaker), 404, "order.not-found");
    const goods = await api.post("/v1/orders", await demoOrder(), orderTaker);
    expectProblem(await api.post(`/v1/orders/${goods.body.orderId}/service-booking`, { skill: "cleaning", windowStart: at(0) }, orderTaker), 409, "order.not-a-service");
  });
});
