import { describe, expect, it } from "vitest";
import { callerHeaders } from "@oms/testing";
import { customersOwnChannels, storeChannels } from "../../services/intake/src/domain/order-submission.ts";
import { IntakeRecorder, orderTakerOf, submissionHeaders } from "./intake-load.ts";
import type { OrderSubmissionBody } from "./order-factory.ts";

const order = (n: number) => ({ channel: "web", channelOrderId: `w-${n}`, totals: { grandTotalMinor: 100 } });
const answer = (status: number, orderId = "") => ({ status, body: orderId ? { orderId } : {}, headers: {} });

describe("intake recorder", () => {
  it("times accepted answers only, and counts by kind the window's requests that were not accepted", () => {
    const recorder = new IntakeRecorder();
    recorder.measureWindow(10_000, 20_000);
    recorder.record(10_000, 12, order(1), answer(201, "o-1"));
    recorder.record(11_000, 3, order(2), answer(503));
    recorder.record(12_000, 2, order(3), answer(429));
    recorder.record(13_000, 5_000, order(4), undefined, new Error("timeout after 5000 ms"));
    recorder.record(14_000, 4, order(5), answer(503));
    expect(recorder.latency.percentiles()).toMatchObject({ count: 1, max: 12 });
    expect(Object.fromEntries(recorder.failedInWindow)).toEqual({ "503": 2, "429": 1, "no answer": 1 });
  });

  it("leaves the warm-up's failures out of the window's, as it leaves out their latency", () => {
    const recorder = new IntakeRecorder();
    recorder.measureWindow(10_000, 20_000);
    recorder.record(9_000, 3, order(1), answer(503));
    recorder.record(20_000, 3, order(2), undefined, new Error("socket hang up"));
    expect(recorder.failedInWindow.size).toBe(0);
    expect(recorder.statuses.get(503)).toBe(1);
  });
});

describe("who submits the load's orders", () => {
  const order = (channel: string, customerId?: string) =>
    ({ channel, storeId: "store-sh-jingan", customer: { ...(customerId ? { customerId } : {}) } }) as unknown as OrderSubmissionBody;

  it("is the store's order taker on every store channel intake keeps for staff, for the customer the order names", () => {
    for (const channel of storeChannels) {
      expect(submissionHeaders(order(channel, "bench-c7"))).toEqual(callerHeaders("staff:order-taker-store-sh-jingan:order-taker@store-sh-jingan"));
    }
    expect(orderTakerOf("store-sh-pudong")).toBe("staff:order-taker-store-sh-pudong:order-taker@store-sh-pudong");
  });

  it("is the customer on the online channels, or nobody (the guest checkout) for an order naming no one", () => {
    for (const channel of customersOwnChannels) {
      expect(submissionHeaders(order(channel, "bench-c7"))).toEqual(callerHeaders("customer:bench-c7"));
      expect(submissionHeaders(order(channel))).toEqual({});
    }
  });
});
