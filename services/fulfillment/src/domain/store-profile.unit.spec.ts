import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import { assertTimeableDeadlines, type PublishedDeadlines } from "./store-profile.ts";

const published = (overrides: Partial<PublishedDeadlines> = {}): PublishedDeadlines => ({
  storeId: "store-new",
  version: 1,
  followUpHours: 12,
  escalationHours: 24,
  cancelHours: 36,
  ...overrides,
});

describe("assertTimeableDeadlines", () => {
  it("passes deadlines that come after the order and in order", () => {
    expect(assertTimeableDeadlines(published())).toEqual(published());
  });

  it("refuses deadlines it cannot time, or a publication naming the chain's defaults, naming the fields", () => {
    const refusal = (p: PublishedDeadlines) => {
      try {
        assertTimeableDeadlines(p);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect(error).toMatchObject({ code: "store-profile.invalid" });
        return (error as ValidationError).fields.map((f) => f.field);
      }
      return [];
    };
    expect(refusal(published({ followUpHours: 0, cancelHours: Number.NaN }))).toEqual(["store.confirmationFollowUpHours", "store.confirmationCancelHours"]);
    expect(refusal(published({ escalationHours: 40 }))).toEqual(["store.confirmationEscalationHours"]);
    expect(refusal(published({ escalationHours: 12 }))).toEqual(["store.confirmationEscalationHours"]);
    expect(refusal(published({ storeId: "*", version: 0 }))).toEqual(["store.storeId", "version"]);
    expect(refusal(published({ storeId: " " }))).toEqual(["store.storeId"]);
  });
});
