import { describe, expect, it } from "vitest";
import { eventually, callerHeaders } from "@oms/testing";
import type { HttpAnswer } from "../../services/intake/src/test-fixtures.ts";
import { clerk, intakeInFrontOfWarehouse } from "./intake-warehouse-fixture.ts";

// A clerk's waves through the gateway, taken by the real warehouse; fulfillment follows each order.
const { world, statusOf, assignedOrder } = intakeInFrontOfWarehouse();

const outcomesOf = (answer: HttpAnswer) =>
  (answer.body.outcomes as { reservationId: string; reservation?: { status: string }; problem?: { status: number; code: string } }[]).map((o) => [
    o.reservationId,
    o.reservation?.status ?? `${o.problem?.status} ${o.problem?.code}`,
  ]);

describe("intake: a warehouse clerk's waves", () => {
  it("picks, packs and ships a wave of reservations in one request each; every order follows to shipped", async () => {
    const orders = [await assignedOrder(), await assignedOrder(), await assignedOrder()];
    const reservations = orders.map((o) => o.reservationId);

    // The shipment requests reach the warehouse a moment after the assignments: the clerk picks what the pick list shows.
    await eventually(async () => {
      const { body } = await world.api.get("/v1/stores/store-sh-jingan/pick-list?limit=500", clerk);
      const listed = new Set((body.entries as { reservationId: string }[]).map((e) => e.reservationId));
      return reservations.every((id) => listed.has(id)) || undefined;
    });
    const picked = await world.api.post("/v1/reservation-waves/pick", { reservations: reservations.map((reservationId) => ({ reservationId })) }, clerk);
    expect(outcomesOf(picked)).toEqual(reservations.map((id) => [id, "picked"]));
    expect(picked.body.outcomes[0]).toEqual({ reservationId: reservations[0], reservation: { reservationId: reservations[0], orderId: orders[0]!.orderId, storeId: "store-sh-jingan", status: "picked" } });
    const packed = await world.api.post("/v1/reservation-waves/pack", { reservations: reservations.map((reservationId, i) => ({ reservationId, parcels: i + 1 })) }, clerk);
    expect(outcomesOf(packed)).toEqual(reservations.map((id) => [id, "packed"]));
    const shipped = await world.api.post(
      "/v1/reservation-waves/ship",
      { reservations: reservations.map((reservationId, i) => ({ reservationId, carrier: "SF Express", trackingNumber: `SF55500${i}` })) },
      clerk,
    );
    expect(outcomesOf(shipped)).toEqual(reservations.map((id) => [id, "shipped"]));

    for (const [i, { orderId }] of orders.entries()) {
      const order = await statusOf(orderId, "shipped");
      expect(order.body.trackingNumber).toBe(`SF55500${i}`);
      expect(order.body.timeline.find((t: { what: string }) => t.what === "shipment.picked")).toMatchObject({ actor: "staff:w-1" });
    }
  });

  it("answers each reservation of a wave on its own: the ones that cannot take the step get their problem, the rest are taken", async () => {
    const [ready, early] = [await assignedOrder(), await assignedOrder()];
    await eventually(async () => {
      const answer = await world.api.post(`/v1/reservations/${encodeURIComponent(ready.reservationId)}/pick`, undefined, clerk);
      return answer.status === 200 ? answer : undefined;
    });

    const answer = await world.api.post(
      "/v1/reservation-waves/pack",
      { reservations: [{ reservationId: ready.reservationId, parcels: 1 }, { reservationId: early.reservationId, parcels: 1 }, { reservationId: "no-such/reservation/1", parcels: 1 }] },
      clerk,
    );

    expect(answer.status).toBe(200);
    expect(outcomesOf(answer)).toEqual([
      [ready.reservationId, "packed"],
      [early.reservationId, "409 reservation.not-picked"],
      ["no-such/reservation/1", "404 reservation.not-found"],
    ]);
    expect(answer.body.outcomes[1].problem).toMatchObject({ type: "https://oms.example/problems/illegal-state", detail: expect.stringContaining("only a picked reservation can be packed") });
  });

  it("checks the caller, then the wave's fields, before any step is taken", async () => {
    const { reservationId } = await assignedOrder();
    const wave = { reservations: [{ reservationId }] };

    expect(await world.api.post("/v1/reservation-waves/pick", wave, callerHeaders("staff:r-7:rider"))).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(await world.api.post("/v1/reservation-waves/pick", { reservations: [] }, callerHeaders("customer:c-42"))).toMatchObject({ status: 403 });
    expect((await world.api.post("/v1/reservation-waves/pick", { reservations: [] }, clerk)).body.errors).toEqual([
      { field: "reservations", message: "must have at least 1 item" },
    ]);
    expect((await world.api.post("/v1/reservation-waves/pack", { reservations: [{ reservationId }, { reservationId, parcels: 1 }] }, clerk)).body.errors).toEqual([
      { field: "reservations[0].parcels", message: "is required" },
    ]);
    expect((await world.api.post("/v1/reservation-waves/pick", { reservations: [{ reservationId }, { reservationId }] }, clerk)).body.errors).toEqual([
      { field: "reservations[1].reservationId", message: `${reservationId} is already in the wave` },
    ]);
    const tooMany = { reservations: Array.from({ length: 201 }, (_, i) => ({ reservationId: `r-${i}`, carrier: "SF Express", trackingNumber: `SF${i}` })) };
    expect((await world.api.post("/v1/reservation-waves/ship", tooMany, clerk)).body.errors).toEqual([{ field: "reservations", message: expect.stringContaining("200") }]);

    const { body } = await world.api.get(`/v1/stores/store-sh-jingan/pick-list?limit=500`, clerk);
    expect((body.entries as { reservationId: string }[]).map((e) => e.reservationId)).toContain(reservationId);
  });
});
