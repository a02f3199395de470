import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { dossierEntryOf } from "./dossier.ts";

const envelope = (overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
  eventId: "e-1",
  eventType: "oms.events.v1.OrderCreated",
  schemaVersion: 1,
  occurredAt: new Date("2025-03-01T08:00:00.000Z"),
  orderId: "o-1",
  storeId: "store-1",
  correlationId: "c-1",
  causationId: "e-0",
  traceparent: "",
  producer: "fulfillment",
  actor: { kind: "staff", id: "s-7", role: "order-taker" },
  payload: Buffer.from([1, 2, 3]),
  ...overrides,
});

describe("dossier entry", () => {
  it("files what the envelope says, with the topic it came from", () => {
    expect(dossierEntryOf({ envelope: envelope(), topic: "oms.fulfillment.order.v1" })).toEqual({
      eventId: "e-1",
      orderId: "o-1",
      storeId: "store-1",
      eventType: "oms.events.v1.OrderCreated",
      producer: "fulfillment",
      topic: "oms.fulfillment.order.v1",
      occurredAt: new Date("2025-03-01T08:00:00.000Z"),
      correlationId: "c-1",
      causationId: "e-0",
      actor: { kind: "staff", id: "s-7", role: "order-taker" },
    });
  });

  it("files event types this build does not know like any other", () => {
    const entry = dossierEntryOf({ envelope: envelope({ eventType: "oms.events.v9.Future" }), topic: "oms.aftersales.case.v1" });
    expect(entry.eventType).toBe("oms.events.v9.Future");
  });

  it("reads a missing actor as the producing system", () => {
    const entry = dossierEntryOf({ envelope: envelope({ actor: undefined }), topic: "oms.fulfillment.order.v1" });
    expect(entry.actor).toEqual({ kind: "system", id: "fulfillment", role: "system" });
  });

  it("refuses an event that names no order, field by field", () => {
    const file = () => dossierEntryOf({ envelope: envelope({ orderId: "", occurredAt: undefined }), topic: "" });
    expect(file).toThrow(ValidationError);
    try {
      file();
    } catch (error) {
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual(["orderId", "occurredAt", "topic"]);
      expect((error as ValidationError).code).toBe("archive.unfileable-event");
    }
  });
});
