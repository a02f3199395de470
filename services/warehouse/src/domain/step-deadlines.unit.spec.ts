import { describe, expect, it } from "vitest";
import type { Reservation } from "./reservation.ts";
import type { ShipmentEvent } from "./shipment.ts";
import {
  awaitedStep,
  deadlineWorkOf,
  decideOverdue,
  defaultStepDeadlineSettings,
  dueAtOf,
  shipmentStepOf,
  stepsMetBy,
  type StepDeadline,
} from "./step-deadlines.ts";

const reservation = (status: Reservation["status"], fulfillmentMethod = "ship"): Reservation => ({
  reservationId: "o-1/reservation/1",
  orderId: "o-1",
  storeId: "store-1",
  status,
  priority: 1,
  lines: [{ sku: "SKU-1", location: "A-1", quantity: 1 }],
  fulfillmentMethod,
});

const reservationId = "o-1/reservation/1";
const due = new Date("2026-12-06T10:00:00Z");
const now = new Date("2026-12-06T10:00:01Z");
const settings = { escalateAfterMs: 30 * 60_000 };
const open = (step: StepDeadline["step"], more: Partial<StepDeadline> = {}): StepDeadline => ({ step, dueAt: due, level: 0, ...more });

describe("the step a reservation waits for", () => {
  it("is pick when ready to pick, pack when picked, ship when packed", () => {
    expect(awaitedStep(reservation("ready-to-pick"))).toBe("pick");
    expect(awaitedStep(reservation("picked"))).toBe("pack");
    expect(awaitedStep(reservation("packed"))).toBe("ship");
  });

  it("is none before fulfillment asks for the goods, once they left, and once released", () => {
    for (const status of ["reserved", "shipped", "handed-over", "released"] as const) expect(awaitedStep(reservation(status))).toBeUndefined();
  });

  it("is none for a packed pick-up order: its customer collects it, on fulfillment's hold period", () => {
    expect(awaitedStep(reservation("packed", "pickup"))).toBeUndefined();
  });
});

describe("the time nodes the steps start and meet", () => {
  const picked: ShipmentEvent = { type: "ShipmentPicked", reservationId };
  const packed: ShipmentEvent = { type: "ShipmentPacked", reservationId, parcels: 1, label: "L" };

  it("start the pick when fulfillment asks for the goods, and each next step as the last is done", () => {
    expect(deadlineWorkOf([{ event: { type: "ShipmentRequested", reservationId, fulfillmentMethod: "ship" }, after: reservation("ready-to-pick") }])).toEqual({
      started: [{ reservation: reservation("ready-to-pick"), step: "pick" }],
      met: [],
    });
    expect(deadlineWorkOf([{ event: picked, after: reservation("picked") }])).toEqual({
      started: [{ reservation: reservation("picked"), step: "pack" }],
      met: [{ reservationId, step: "pick" }],
    });
    const shipped: ShipmentEvent = { type: "ShipmentDispatched", reservationId, shipmentId: "s", carrier: "SF", trackingNumber: "T", lines: [] };
    expect(deadlineWorkOf([{ event: shipped, after: reservation("shipped") }])).toEqual({ started: [], met: [{ reservationId, step: "ship" }] });
  });

  it("start no ship deadline for a pick-up order, and meet every step at the counter", () => {
    expect(deadlineWorkOf([{ event: packed, after: reservation("packed", "pickup") }])).toEqual({ started: [], met: [{ reservationId, step: "pack" }] });
    expect(stepsMetBy({ type: "HandedOver", reservationId, lines: [] })).toEqual(["pick", "pack", "ship"]);
  });

  it("record a step started and done in one batch as both, so that it is met and never warned about", () => {
    const work = deadlineWorkOf([
      { event: picked, after: reservation("picked") },
      { event: packed, after: reservation("packed") },
    ]);
    expect(work.started.map((s) => s.step)).toEqual(["pack", "ship"]);
    expect(work.met.map((m) => m.step)).toEqual(["pick", "pack"]);
  });

  it("are due the step's allowance after the reservation could take it", () => {
    const from = new Date("2026-12-06T09:00:00Z");
    expect(dueAtOf("pick", from, defaultStepDeadlineSettings).toISOString()).toBe("2026-12-06T10:00:00.000Z");
    expect(dueAtOf("pack", from, defaultStepDeadlineSettings).toISOString()).toBe("2026-12-06T09:30:00.000Z");
    expect(dueAtOf("ship", from, defaultStepDeadlineSettings).toISOString()).toBe("2026-12-06T11:00:00.000Z");
  });
});

describe("a step's deadline coming due", () => {
  it("warns the store's warehouse clerks when the step is still not done, and schedules the escalation", () => {
    expect(decideOverdue({ step: "pick", level: 1 }, open("pick"), reservation("ready-to-pick"), now, settings)).toEqual({
      kind: "flag",
      level: 1,
      responsibleRole: "warehouse-clerk",
      escalatedToRole: "",
      escalateAt: new Date(now.getTime() + settings.escalateAfterMs),
    });
  });

  it("escalates to the store manager when the step is still not done at the escalation", () => {
    expect(decideOverdue({ step: "pack", level: 2 }, open("pack", { level: 1 }), reservation("picked"), now, settings)).toEqual({
      kind: "flag",
      level: 2,
      responsibleRole: "warehouse-clerk",
      escalatedToRole: "store-manager",
    });
  });

  it("does nothing for a step done in time, at either level", () => {
    expect(decideOverdue({ step: "ship", level: 1 }, open("ship", { metAt: due }), reservation("shipped"), now, settings)).toEqual({ kind: "nothing", why: "met" });
    expect(decideOverdue({ step: "ship", level: 2 }, open("ship", { level: 1, metAt: now }), reservation("shipped"), now, settings)).toEqual({ kind: "nothing", why: "met" });
  });

  it("does nothing for a released reservation, whether its node was called off or not", () => {
    expect(decideOverdue({ step: "pick", level: 1 }, open("pick", { calledOffAt: due }), reservation("released"), now, settings)).toMatchObject({ kind: "nothing" });
    expect(decideOverdue({ step: "pick", level: 1 }, open("pick"), reservation("released"), now, settings)).toEqual({ kind: "nothing", why: "released" });
  });

  it("does nothing the second time a level comes due (a timer fired again, a replay)", () => {
    expect(decideOverdue({ step: "pick", level: 1 }, open("pick", { level: 1 }), reservation("ready-to-pick"), now, settings)).toEqual({ kind: "nothing", why: "flagged-already" });
    expect(decideOverdue({ step: "pick", level: 2 }, open("pick", { level: 2 }), reservation("ready-to-pick"), now, settings)).toEqual({ kind: "nothing", why: "flagged-already" });
    // An escalation is never followed by a second warning.
    expect(decideOverdue({ step: "pick", level: 1 }, open("pick", { level: 2 }), reservation("ready-to-pick"), now, settings)).toEqual({ kind: "nothing", why: "flagged-already" });
  });

  it("does nothing for a step the reservation no longer waits for, nor for a node never recorded", () => {
    expect(decideOverdue({ step: "pick", level: 1 }, open("pick"), reservation("packed"), now, settings)).toEqual({ kind: "nothing", why: "not-awaited" });
    expect(decideOverdue({ step: "pick", level: 1 }, undefined, undefined, now, settings)).toEqual({ kind: "nothing", why: "no-deadline" });
  });

  it("refuses a timer naming a level or a step that does not exist", () => {
    expect(() => decideOverdue({ step: "pick", level: 3 }, open("pick"), reservation("ready-to-pick"), now, settings)).toThrow(expect.objectContaining({ code: "shipment-deadline.invalid-level" }));
    expect(() => shipmentStepOf("label")).toThrow(/must be one of pick, pack, ship/);
    expect(shipmentStepOf("pack")).toBe("pack");
  });
});
