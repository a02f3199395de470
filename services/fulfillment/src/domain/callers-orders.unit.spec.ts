import { describe, expect, it } from "vitest";
import { NotFoundError } from "@oms/errors";
import type { OrderCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { reservationIdOf, settlementIdOf, taskIdOf } from "./ids.ts";
import type { Order } from "./order.ts";
import { anOrder } from "./order-fixture.ts";

const tmall = { kind: "platform", id: "tmall", role: "platform" } as const;
const pinduoduo = { kind: "platform", id: "pinduoduo", role: "platform" } as const;

/** A shipped order of the channel given, ready for its delivery. */
function shippedOn(channel: string): Order {
  return anOrder({
    channel,
    status: "shipped",
    paymentMethod: "third-party",
    prepaid: true,
    reservationId: reservationIdOf("o-1"),
    taskId: taskIdOf("o-1"),
    settlementId: settlementIdOf("o-1"),
  });
}

const deliveryBy = (actor: OrderCommand["actor"]): OrderCommand => ({
  type: "RecordDelivery",
  actor,
  acceptancePeriodHours: 72,
  delivery: { deliveredAt: "2026-11-20T10:00:00.000Z", place: "front door", method: "courier", deliveredBy: actor.id, proofKind: "signature", proofRef: "sig-1", collectedMinor: 0 },
});

const refusalOf = (command: OrderCommand, order: Order): unknown => {
  try {
    decide(command, order);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe("a platform reaches the orders that came in on it only (ADR 022, twenty-seventh session)", () => {
  it("records the delivery of its own channel's order", () => {
    expect(decide(deliveryBy(tmall), shippedOn("marketplace:tmall"))).toContainEqual(expect.objectContaining({ type: "DeliveryRecorded" }));
  });

  it("is answered as for an order nobody placed on another marketplace's, the site's or a counter order, before anything about the delivery is judged", () => {
    for (const channel of ["marketplace:pinduoduo", "website", "app", "pos", "phone"]) {
      const refusal = refusalOf(deliveryBy(tmall), shippedOn(channel));
      expect(refusal, channel).toBeInstanceOf(NotFoundError);
      expect(refusal).toMatchObject({ code: "order.not-found", message: "order not found" });
    }
    // Even a delivery that would be wrong in itself (no proof, an order not yet shipped) says nothing more of another's order.
    const incomplete = { ...deliveryBy(pinduoduo), delivery: { ...(deliveryBy(pinduoduo) as { delivery: object }).delivery, proofRef: "" } } as OrderCommand;
    expect(refusalOf(incomplete, { ...shippedOn("marketplace:tmall"), status: "reserved" })).toMatchObject({ code: "order.not-found" });
  });

  it("holds every other step a platform takes on an order to the same rule: cancelling and confirming another's are unknown orders too", () => {
    const cancel: OrderCommand = { type: "CancelOrder", reason: "customer changed their mind", actor: tmall };
    expect(refusalOf(cancel, { ...shippedOn("website"), status: "confirmed" })).toBeInstanceOf(NotFoundError);
    expect(refusalOf(cancel, { ...shippedOn("marketplace:tmall"), status: "confirmed" })).toBeUndefined();
    expect(refusalOf({ type: "ConfirmOrder", actor: pinduoduo }, { ...shippedOn("marketplace:tmall"), status: "awaiting-confirmation" })).toBeInstanceOf(NotFoundError);
  });
});

describe("a fact another service reports is no platform reaching the order (second reading)", () => {
  it("records a carrier's shipment exception, reported through the warehouse, on an order of any channel", () => {
    // The warehouse lets a carrier's platform raise an exception on goods it carries (report-shipment-exception.ts);
    // its event names the carrier as the actor, and it comes in as a fact about the order, not a carrier's request.
    const carrier = { kind: "platform", id: "sf-express", role: "carrier" } as const;
    for (const channel of ["website", "pos", "marketplace:tmall"]) {
      const events = decide(
        { type: "RecordShipmentException", kind: "delayed", cause: "typhoon", nextStep: "redeliver tomorrow", newEta: "2026-11-21T10:00:00.000Z", at: "2026-11-20T10:00:00.000Z", actor: carrier },
        shippedOn(channel),
      );
      expect(events, channel).toContainEqual(expect.objectContaining({ type: "ExceptionRaised" }));
    }
  });

  it("still answers a carrier's own step on an order not of its channel as for an unknown order", () => {
    const carrier = { kind: "platform", id: "sf-express", role: "carrier" } as const;
    expect(refusalOf(deliveryBy(carrier), shippedOn("website"))).toMatchObject({ code: "order.not-found" });
  });
});
