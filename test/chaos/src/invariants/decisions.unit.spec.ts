import { describe, expect, it } from "vitest";
import { EventTypes, Topics } from "@oms/contracts";
import { eachDecisionPublishedOnce } from "./orders.ts";
import { contextOf, eventOf, messageOf } from "./test-fixtures.ts";

/**
 * "Every decision published exactly once": a redelivered event may appear twice on a topic
 * under its own id, but a decision taken again (a new event id) must be caught — per
 * order, or per reservation for the stock a split order gives back part by part.
 */
describe("invariant: every decision published exactly once", () => {
  const released = (orderId: string, reservationId: string) => eventOf(EventTypes.StockReleased, { reservationId, reason: "order cancelled" }, orderId, "warehouse");
  const releaseAsked = (orderId: string, reservationId: string) => eventOf(EventTypes.StockReleaseRequested, { reservationId, reason: "order cancelled" }, orderId);
  const cancelled = (orderId: string) => eventOf(EventTypes.OrderCancelled, { reason: "changed their mind", refundDue: true }, orderId);

  it("passes a split order giving back each part once, and a republished copy", async () => {
    const parts = ["o-1/reservation/1/part/1", "o-1/reservation/1/part/2"];
    const cancellation = cancelled("o-1");
    const outcome = await eachDecisionPublishedOnce(
      contextOf({
        [Topics.fulfillmentOrder]: [cancellation, cancellation, ...parts.map((p) => releaseAsked("o-1", p))].map((e) => messageOf(e)),
        [Topics.warehouseStock]: parts.map((p) => messageOf(released("o-1", p))),
      }),
    );
    expect(outcome).toMatchObject({ ok: true, details: [] });
    expect(outcome.figure).toBe("6 events on the topics, 5 distinct, 1 republished copies (harmless), 0 decisions made twice");
  });

  it("catches an order cancelled twice and a reservation released or asked to be released twice", async () => {
    const first = [cancelled("o-2"), releaseAsked("o-2", "o-2/reservation/1")];
    const again = [cancelled("o-2"), releaseAsked("o-2", "o-2/reservation/1")];
    const warehouse = [released("o-2", "o-2/reservation/1"), released("o-2", "o-2/reservation/1")];
    const outcome = await eachDecisionPublishedOnce(
      contextOf({ [Topics.fulfillmentOrder]: [...first, ...again].map((e) => messageOf(e)), [Topics.warehouseStock]: warehouse.map((e) => messageOf(e)) }),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.details.map((d) => d.replace(/ \(.*\)$/, "")).sort()).toEqual([
      "o-2 OrderCancelled decided 2 times",
      "o-2 StockReleaseRequested o-2/reservation/1 decided 2 times",
      "o-2 StockReleased o-2/reservation/1 decided 2 times",
    ]);
  });

  it("passes a backorder asking again for stock under each new reservation, and catches one reservation asked for twice", async () => {
    const asked = (orderId: string, reservationId: string) =>
      eventOf(EventTypes.StockReservationRequested, { reservationId, lines: [], priority: 0, route: false, district: "", excludedStoreIds: [], splitAllowed: false }, orderId);
    const retried = await eachDecisionPublishedOnce(
      contextOf({ [Topics.fulfillmentOrder]: ["o-3/reservation/1", "o-3/reservation/2", "o-3/reservation/3"].map((r) => messageOf(asked("o-3", r))) }),
    );
    expect(retried).toMatchObject({ ok: true, details: [] });
    const twice = await eachDecisionPublishedOnce(contextOf({ [Topics.fulfillmentOrder]: [asked("o-4", "o-4/reservation/1"), asked("o-4", "o-4/reservation/1")].map((e) => messageOf(e)) }));
    expect(twice.details.map((d) => d.replace(/ \(.*\)$/, ""))).toEqual(["o-4 StockReservationRequested o-4/reservation/1 decided 2 times"]);
  });
});
