import { describe, expect, it } from "vitest";
import type { ApplyCorrection, OrderCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { evolveAll } from "./evolve.ts";
import { reservationIdOf, taskIdOf } from "./ids.ts";
import type { Order } from "./order.ts";
import { anOrder } from "./order-fixture.ts";

const system = { kind: "system", id: "warehouse", role: "system" } as const;
const supervisor = { kind: "staff", id: "s-9", role: "supervisor" } as const;

const order = (overrides: Partial<Order> = {}): Order => anOrder({ channel: "phone", channelOrderId: "P-1", ...overrides });


const correction = (fields: string[], overrides: Partial<ApplyCorrection> = {}): ApplyCorrection => ({
  type: "ApplyCorrection",
  actor: supervisor,
  correctionId: "corr-1",
  fields,
  region: "Xuhui",
  requestedFrom: "2026-12-01T09:00:00+08:00",
  requestedUntil: "2026-12-01T12:00:00+08:00",
  ...overrides,
});

function run(start: Order, commands: OrderCommand[]) {
  let current: Order | undefined = start;
  const events = [];
  for (const command of commands) {
    const decided = decide(command, current);
    current = evolveAll(current, decided);
    events.push(...decided);
  }
  return { order: current!, events };
}

describe("an approved correction", () => {
  it("takes the new region and window, and has dispatch re-plan the open delivery task", () => {
    const reserved = run(order({ reservationId: reservationIdOf("o-1") }), [{ type: "RecordStockReserved", reservationId: reservationIdOf("o-1"), actor: system }]).order;
    expect(reserved).toMatchObject({ status: "reserved", taskId: taskIdOf("o-1") });
    const { order: after, events } = run(reserved, [correction(["customer.address"])]);
    expect(after).toMatchObject({ region: "Xuhui", requestedFrom: "2026-12-01T09:00:00+08:00", status: reserved.status });
    expect(events).toContainEqual(
      expect.objectContaining({ type: "AssignmentReplanRequested", taskId: taskIdOf("o-1"), region: "Xuhui", reason: "corrected customer.address", correctionId: "corr-1" }),
    );
  });

  it("re-plans nothing when only the contact or the notes changed", () => {
    const { events } = run(order({ status: "assigned", taskId: taskIdOf("o-1") }), [correction(["customer.phone", "notes"])]);
    expect(events.map((e) => e.type)).toEqual(["CorrectionApplied"]);
  });

  it("has no task to re-plan before one was asked for, and none once the goods reached the customer", () => {
    expect(run(order(), [correction(["requestedFrom"])]).events.map((e) => e.type)).toEqual(["CorrectionApplied"]);
    const delivered = run(order({ status: "delivered", taskId: taskIdOf("o-1") }), [correction(["customer.address"])]);
    expect(delivered.events.map((e) => e.type)).toEqual(["CorrectionApplied"]);
  });

  it("changes nothing on a finished order", () => {
    for (const status of ["closed", "cancelled", "rejected"] as const) {
      expect(decide(correction(["customer.address"]), order({ status, taskId: taskIdOf("o-1") }))).toEqual([]);
    }
  });
});
