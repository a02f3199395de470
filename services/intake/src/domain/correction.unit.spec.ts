import { describe, expect, it } from "vitest";
import type { events } from "@oms/contracts";
import { ForbiddenError, IllegalStateError, ValidationError } from "@oms/errors";
import { assertCorrectable, correctedOrder, decideCorrection, fieldsOf, previousValuesOf } from "./correction.ts";
import type { Store } from "./store-catalogue.ts";

const store = {
  storeId: "store-a",
  name: "Jing'an flagship",
  currency: "CNY",
  serviceAreas: ["Jing'an", "Xuhui"],
  orderKinds: ["goods", "service"],
  fulfillmentMethods: ["ship", "pickup", "on-site"],
  shippingFeeMinor: 1_200,
  freeShippingFromMinor: 20_000,
  taxRateBasisPoints: 0,
  reviewThresholdMinor: 500_000,
  reviewLineQuantityAbove: 50,
} as Store;

const address = { line1: "88 Nanjing West Road", line2: "", city: "Shanghai", district: "Jing'an", postalCode: "", country: "CN" };

const order: events.CanonicalOrder = {
  orderId: "o-1",
  storeId: "store-a",
  channel: "phone",
  channelOrderId: "P-1",
  kind: "goods",
  fulfillmentMethod: "ship",
  region: "Jing'an",
  customer: { customerId: "c-1", name: "Zhou Lan", phone: "+86 138 0013 8000", email: "", address, vip: false },
  lines: [],
  totals: undefined,
  paymentMethod: "third-party",
  prepaid: true,
  orderedAt: "2026-11-23T10:00:00Z",
  requestedFrom: "2026-11-25T09:00:00+08:00",
  requestedUntil: "2026-11-25T18:00:00+08:00",
  tags: [],
  notes: "",
  confirmedByChannel: false,
  partialShipmentAllowed: false,
  sealedContact: Buffer.alloc(0),
};

/** When the corrections are asked for: the day the order was placed, before any window of these tests. */
const beforeTheWindow = new Date("2026-11-23T12:00:00Z");

const fieldsIn = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.fields.map((f) => f.field);
    throw error;
  }
  return [];
};

describe("a correction's changes", () => {
  it("moves the order to the new district, spelled as the store spells it", () => {
    const corrected = correctedOrder(order, { address: { line1: "1 Hengshan Road", city: "Shanghai", district: "xuhui", country: "CN" } }, store, beforeTheWindow);
    expect(corrected.region).toBe("Xuhui");
    expect(corrected.customer?.address).toMatchObject({ line1: "1 Hengshan Road", district: "xuhui", line2: "", postalCode: "" });
    expect(corrected.customer?.name).toBe("Zhou Lan");
  });

  it("refuses, field by field, an address the store does not serve, an implausible phone and a window that ends before it starts", () => {
    expect(
      fieldsIn(() =>
        correctedOrder(
          order,
          { phone: "12", address: { ...address, district: "Pudong" }, requestedUntil: "2026-11-25T08:00:00+08:00" },
          store,
          beforeTheWindow,
        ),
      ),
    ).toEqual(["changes.phone", "changes.address.district", "changes.requestedUntil"]);
    expect(fieldsIn(() => correctedOrder(order, {}, store, beforeTheWindow))).toEqual(["changes"]);
  });

  it("refuses a new time that has already passed, judged by the window's end", () => {
    const later = new Date("2026-11-25T04:00:00Z"); // 12:00 in Shanghai on the 25th
    expect(fieldsIn(() => correctedOrder(order, { requestedFrom: "2026-11-25T08:00:00+08:00", requestedUntil: "2026-11-25T11:00:00+08:00" }, store, later))).toEqual([
      "changes.requestedUntil",
    ]);
    expect(fieldsIn(() => correctedOrder(order, { requestedFrom: "2026-11-25T08:00:00+08:00" }, store, later))).toEqual([]);
    // Contact details can be corrected whatever the time.
    expect(fieldsIn(() => correctedOrder(order, { phone: "+86 139 0000 0000" }, store, new Date("2027-01-01T00:00:00Z")))).toEqual([]);
  });

  it("refuses a new pick-up or visit time outside the store's hours", () => {
    const hours = { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5, 6], timeZone: "Asia/Shanghai" };
    const pickup = { ...order, fulfillmentMethod: "pickup" };
    const sunday = { requestedFrom: "2026-11-29T10:00:00+08:00", requestedUntil: "2026-11-29T12:00:00+08:00" };
    expect(fieldsIn(() => correctedOrder(pickup, sunday, { ...store, businessHours: hours } as Store, beforeTheWindow))).toEqual(["changes.requestedFrom"]);
    expect(fieldsIn(() => correctedOrder(pickup, { requestedFrom: "2026-11-30T10:00:00+08:00", requestedUntil: "2026-11-30T12:00:00+08:00" }, { ...store, businessHours: hours } as Store, beforeTheWindow))).toEqual([]);
    expect(fieldsIn(() => correctedOrder(order, sunday, { ...store, businessHours: hours } as Store, beforeTheWindow))).toEqual([]);
  });

  it("lets a pick-up customer live anywhere", () => {
    expect(correctedOrder({ ...order, fulfillmentMethod: "pickup" }, { address: { ...address, district: "Pudong" } }, store, beforeTheWindow).region).toBe("Pudong");
  });

  it("keeps what it replaces, for the audit", () => {
    expect(previousValuesOf(order, fieldsOf({ phone: "1", address, notes: "x" }))).toEqual({
      "customer.phone": "+86 138 0013 8000",
      "customer.address": address,
      region: "Jing'an",
      notes: "",
    });
  });
});

describe("when an order can be corrected", () => {
  it("takes any change before the goods leave, and only contact and notes after", () => {
    expect(() => assertCorrectable("o-1", "packed", ["customer.address", "requestedFrom"])).not.toThrow();
    expect(() => assertCorrectable("o-1", "shipped", ["customer.phone", "notes"])).not.toThrow();
    expect(() => assertCorrectable("o-1", "shipped", ["customer.address"])).toThrow(expect.objectContaining({ code: "correction.too-late" }));
  });

  it("takes nothing once the order is finished", () => {
    for (const status of ["closed", "cancelled", "rejected"]) {
      expect(() => assertCorrectable("o-1", status, ["notes"])).toThrow(IllegalStateError);
    }
  });
});

describe("a supervisor's decision", () => {
  const pending = { status: "pending" as const, requestedBy: "staff:order-taker-1" };

  it("needs a second person to approve", () => {
    expect(() => decideCorrection(pending, { type: "approve", note: "" }, "staff:order-taker-1")).toThrow(ForbiddenError);
    expect(decideCorrection(pending, { type: "approve", note: "ok" }, "staff:supervisor-1")).toEqual({ type: "apply", note: "ok" });
    // Withdrawing one's own request is not approving it.
    expect(decideCorrection(pending, { type: "reject", reason: "typo" }, "staff:order-taker-1")).toEqual({ type: "reject", reason: "typo" });
  });

  it("is taken once: the same decision again changes nothing, the other one is refused", () => {
    expect(decideCorrection({ ...pending, status: "applied" }, { type: "approve", note: "" }, "staff:s")).toEqual({ type: "unchanged" });
    expect(() => decideCorrection({ ...pending, status: "applied" }, { type: "reject", reason: "no" }, "staff:s")).toThrow(IllegalStateError);
  });
});
