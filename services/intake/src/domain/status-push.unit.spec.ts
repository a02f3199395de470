import { describe, expect, it } from "vitest";
import { afterPushAttempt, customerVisibleStatuses } from "./status-push.ts";

const policy = { maxAttempts: 4, backoffMs: 1_000, maxBackoffMs: 3_000 };

describe("status push-back", () => {
  it("retries a failed push with doubling waits, capped, and gives up after the last attempt", () => {
    expect(afterPushAttempt(policy, 1, "HTTP 500")).toEqual({ state: "pending", retryInMs: 1_000, error: "HTTP 500" });
    expect(afterPushAttempt(policy, 2, "HTTP 500")).toEqual({ state: "pending", retryInMs: 2_000, error: "HTTP 500" });
    expect(afterPushAttempt(policy, 3, "ECONNREFUSED")).toEqual({ state: "pending", retryInMs: 3_000, error: "ECONNREFUSED" });
    expect(afterPushAttempt(policy, 4, "HTTP 503")).toEqual({ state: "failed", error: "HTTP 503" });
    expect(afterPushAttempt(policy, 2, undefined)).toEqual({ state: "delivered" });
  });

  it("pushes what the buyer sees, not internal steps", () => {
    for (const status of ["confirmed", "shipped", "delivered", "cancelled", "closed"]) expect(customerVisibleStatuses.has(status), status).toBe(true);
    for (const status of ["credit-checked", "reserved", "assigned", "picked", "packed", "settled"]) expect(customerVisibleStatuses.has(status), status).toBe(false);
  });
});
