import { describe, expect, it } from "vitest";
import { ValidationError } from "@oms/errors";
import type { PriceListItem, Store } from "./store-catalogue.ts";
import { substitute } from "./substitution.ts";

const store = {
  storeId: "store-a",
  name: "Jing'an flagship",
  currency: "CNY",
  serviceAreas: ["Jing'an"],
  orderKinds: ["goods"],
  fulfillmentMethods: ["ship"],
  shippingFeeMinor: 1_200,
  freeShippingFromMinor: 20_000,
  taxRateBasisPoints: 600,
  reviewThresholdMinor: 500_000,
  reviewLineQuantityAbove: 50,
} as Store;

const priceList = new Map<string, PriceListItem>(
  [
    { sku: "KETTLE", description: "Kettle 1.7 L", kind: "goods" as const, unitPriceMinor: 19_900, handling: [], skills: [] },
    { sku: "KETTLE-S", description: "Kettle 1.0 L", kind: "goods" as const, unitPriceMinor: 9_900, handling: [], skills: [] },
    { sku: "KETTLE-XL", description: "Kettle 2.0 L", kind: "goods" as const, unitPriceMinor: 29_900, handling: [], skills: [] },
    { sku: "CLEAN", description: "Deep clean", kind: "service" as const, unitPriceMinor: 39_900, handling: [], skills: [] },
  ].map((i) => [i.sku, i]),
);

const line = (sku: string, quantity: number, unitPriceMinor: number) => ({ lineId: sku, sku, description: sku, quantity, unitPriceMinor, lineTotalMinor: quantity * unitPriceMinor, specialRequests: "" });

// One kettle, free shipping (199.00 ≥ 200.00? no: shipping 12.00), tax 6 %.
const order = {
  lines: [line("KETTLE", 1, 19_900)],
  totals: { linesMinor: 19_900, discountMinor: 0, shippingFeeMinor: 1_200, serviceFeeMinor: 0, taxMinor: 1_194, grandTotalMinor: 22_294, currency: "CNY" },
  fulfillmentMethod: "ship" as const,
  prepaid: true,
};

describe("pricing a substitution", () => {
  it("costs the customer nothing more for a dearer substitute: the chain takes the difference as a discount", () => {
    const result = substitute(order, [{ sku: "KETTLE", substituteSku: "KETTLE-XL" }], store, priceList);
    expect(result.lines).toEqual([expect.objectContaining({ sku: "KETTLE-XL", quantity: 1, unitPriceMinor: 29_900, lineTotalMinor: 29_900, description: "Kettle 2.0 L" })]);
    expect(result.totals).toMatchObject({ linesMinor: 29_900, discountMinor: 10_000, grandTotalMinor: 22_294 });
    expect(result).toMatchObject({ absorbedMinor: 10_000, refundDueMinor: 0 });
  });

  it("refunds a prepaid customer the difference of a cheaper one, and never adds a shipping fee", () => {
    const result = substitute(order, [{ sku: "KETTLE", substituteSku: "KETTLE-S" }], store, priceList);
    // 99.00 + 12.00 shipping (no more than before) + 5.94 tax
    expect(result.totals).toMatchObject({ linesMinor: 9_900, discountMinor: 0, shippingFeeMinor: 1_200, taxMinor: 594, grandTotalMinor: 11_694 });
    expect(result).toMatchObject({ refundDueMinor: 22_294 - 11_694, absorbedMinor: 0 });
    const freeBefore = { ...order, totals: { ...order.totals, shippingFeeMinor: 0, grandTotalMinor: 21_094 } };
    expect(substitute(freeBefore, [{ sku: "KETTLE", substituteSku: "KETTLE-S" }], store, priceList).totals.shippingFeeMinor).toBe(0);
  });

  it("owes nothing back to a customer who pays on delivery: they pay the new total", () => {
    expect(substitute({ ...order, prepaid: false }, [{ sku: "KETTLE", substituteSku: "KETTLE-S", quantity: 2 }], store, priceList)).toMatchObject({
      refundDueMinor: 0,
      lines: [expect.objectContaining({ quantity: 2, lineTotalMinor: 19_800 })],
    });
  });

  it("takes on a dearer substitute's difference only for the units it replaces", () => {
    // Two kettles at 199.00; the customer takes one 2.0 L kettle at 299.00 instead: 100.00 is the chain's, the second kettle's 199.00 comes back.
    const two = { ...order, lines: [line("KETTLE", 2, 19_900)], totals: { ...order.totals, linesMinor: 39_800, shippingFeeMinor: 0, taxMinor: 2_388, grandTotalMinor: 42_188 } };
    const result = substitute(two, [{ sku: "KETTLE", substituteSku: "KETTLE-XL", quantity: 1 }], store, priceList);
    expect(result).toMatchObject({ absorbedMinor: 10_000, substitutions: [{ sku: "KETTLE", substituteSku: "KETTLE-XL", quantity: 1 }] });
    expect(result.totals).toMatchObject({ linesMinor: 29_900, discountMinor: 10_000, taxMinor: 1_194, grandTotalMinor: 21_094 });
    expect(result.refundDueMinor).toBe(42_188 - 21_094);
  });

  it("sells units beyond those replaced at their price, and refuses them where they would cost a prepaid customer more than they paid", () => {
    const more = [{ sku: "KETTLE", substituteSku: "KETTLE-XL", quantity: 100 }];
    const onDelivery = substitute({ ...order, prepaid: false }, more, store, priceList);
    // The first unit replaces the kettle (100.00 taken on by the chain); the other 99 are bought.
    expect(onDelivery).toMatchObject({ absorbedMinor: 10_000, refundDueMinor: 0 });
    expect(onDelivery.totals).toMatchObject({ linesMinor: 2_990_000, discountMinor: 10_000 });
    try {
      substitute(order, more, store, priceList);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields).toEqual([{ field: "substitutions", message: expect.stringMatching(/where the customer paid 22294 .*take fewer units/) }]);
    }
  });

  it("answers each substitution with the quantity it came to, also where the substitute is already a line of the order", () => {
    const withVase = { ...order, lines: [line("KETTLE-S", 3, 9_900), line("KETTLE", 1, 19_900)], prepaid: false };
    expect(substitute(withVase, [{ sku: "KETTLE", substituteSku: "KETTLE-S" }], store, priceList).substitutions).toEqual([{ sku: "KETTLE", substituteSku: "KETTLE-S", quantity: 1 }]);
  });

  it("names each wrong substitution", () => {
    try {
      substitute(order, [{ sku: "VASE", substituteSku: "CLEAN" }, { sku: "KETTLE", substituteSku: "KETTLE" }, { sku: "KETTLE", substituteSku: "NOPE" }], store, priceList);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields.map((f) => f.field)).toEqual([
        "substitutions[0].sku",
        "substitutions[0].substituteSku",
        "substitutions[1].substituteSku",
        "substitutions[2].substituteSku",
        "substitutions[2].sku",
      ]);
    }
  });
});

describe("substituting to a withdrawn item", () => {
  it("is refused: the item is no longer on sale (ADR 028)", () => {
    const withdrawn = new Map(priceList);
    withdrawn.set("KETTLE-S", { ...priceList.get("KETTLE-S")!, withdrawn: { reason: "recalled" } });
    expect(() => substitute(order, [{ sku: "KETTLE", substituteSku: "KETTLE-S" }], store, withdrawn)).toThrow(
      expect.objectContaining({ fields: [{ field: "substitutions[0].substituteSku", message: "is no longer on sale (withdrawn: recalled)" }] }),
    );
  });
});
