import { describe, expect, it } from "vitest";
import { IllegalStateError } from "@oms/errors";
import { answeredOrThrow } from "./transaction-batcher.ts";

describe("answeredOrThrow", () => {
  it("answers each request with its value or its own refusal, in order", () => {
    const refusal = new IllegalStateError("order.not-closable", "order o-2 is assigned");
    expect(answeredOrThrow([{ status: "fulfilled", value: "o-1 closed" }, { status: "rejected", reason: refusal }])).toEqual([
      { ok: true, value: "o-1 closed" },
      { ok: false, refusal },
    ]);
  });

  it("fails the whole call on anything but a refusal", () => {
    const gone = Object.assign(new Error("terminating connection"), { code: "57P01" });
    expect(() => answeredOrThrow([{ status: "fulfilled", value: 1 }, { status: "rejected", reason: gone }])).toThrow(gone);
  });
});
