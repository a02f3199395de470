import { describe, expect, it } from "vitest";
import { overdueShipmentViewOf } from "./warehouse-views.ts";

const late = { orderId: "o-1", step: "ship", dueAt: "2026-12-07T12:00:00.000Z", level: 1, overdueSince: "2026-12-07T12:00:01.000Z", priority: 0, fulfillmentMethod: "ship" };

describe("a late shipment as the gateway shows it", () => {
  it("names an exchange's replacement by its case (ADR 030's fifth addendum), an order's shipment by its reservation alone", () => {
    expect(overdueShipmentViewOf({ ...late, reservationId: "", caseId: "case-1" })).toEqual({ ...late, reservationId: "", caseId: "case-1" });
    const order = overdueShipmentViewOf({ ...late, reservationId: "o-1/reservation/1", caseId: "" });
    expect(order).toEqual({ ...late, reservationId: "o-1/reservation/1" });
    expect(order).not.toHaveProperty("caseId");
  });
});
