import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callerHeaders } from "@oms/testing";
import { clerk, intakeInFrontOfWarehouse, storeId } from "./intake-warehouse-fixture.ts";

// Intake in front of the real warehouse (with the demo chain's stock): staff say when a SKU is
// expected back (ADR 030's second addendum), and the store's stock view shows it.
const { world } = intakeInFrontOfWarehouse();

const path = (sku: string, store = storeId) => `/v1/stores/${store}/stock/${sku}/expected-restock`;
const manager = callerHeaders(`staff:sm-1:store-manager@${storeId}`);

describe("intake: an expected restock date, asked of the warehouse", () => {
  it("records the date the store's stock then shows, answers a retry as it stands, and clears it only by the removal", async () => {
    const recorded = await world.api.put(path("VASE-GLASS-L"), { date: "2030-01-15" }, clerk);
    expect(recorded).toMatchObject({
      status: 200,
      body: { storeId, sku: "VASE-GLASS-L", expectedRestockDate: "2030-01-15", changed: true, waitingReplacements: 0, levels: [{ location: "C-01-01", expectedRestockDate: "2030-01-15" }] },
    });
    const stock = await world.api.get(`/v1/stores/${storeId}/stock?sku=VASE-GLASS-L`, clerk);
    expect(stock.body.levels).toEqual([expect.objectContaining({ sku: "VASE-GLASS-L", location: "C-01-01", expectedRestockDate: "2030-01-15" })]);
    expect(await world.api.put(path("VASE-GLASS-L"), { date: "2030-01-15" }, manager)).toMatchObject({ status: 200, body: { expectedRestockDate: "2030-01-15", changed: false } });

    const cleared = await world.api.post(`${path("VASE-GLASS-L")}/removal`, { reason: "the supplier cancelled the delivery" }, manager);
    expect(cleared).toMatchObject({ status: 200, body: { changed: true, levels: [{ location: "C-01-01" }] } });
    expect(cleared.body.expectedRestockDate).toBeUndefined();
    expect((await world.api.get(`/v1/stores/${storeId}/stock?sku=VASE-GLASS-L`, clerk)).body.levels[0].expectedRestockDate).toBeUndefined();
  });

  it("passes on the warehouse's refusals as problems naming what is wrong: a past date, a SKU the store does not stock, a store the warehouse does not know", async () => {
    const past = await world.api.put(path("KETTLE-1L7"), { date: "2020-01-01" }, clerk);
    expect(past).toMatchObject({ status: 400, body: { code: "stock.invalid-restock-date", errors: [{ field: "date", message: expect.stringContaining("over in every time zone") }] } });
    expect(await world.api.put(path("NO-SUCH-SKU"), { date: "2030-01-15" }, clerk)).toMatchObject({ status: 404, body: { code: "stock.sku-not-stocked" } });
    const headOffice = callerHeaders("staff:sm-hq:store-manager");
    expect(await world.api.put(path("KETTLE-1L7", "store-nowhere"), { date: "2030-01-15" }, headOffice)).toMatchObject({ status: 404, body: { code: "store.unknown" } });
  });

  it("keeps a date for a product the store has never stocked at the location the manager names, with nothing on hand there", async () => {
    const sku = `NEW-${randomUUID().slice(0, 8).toUpperCase()}`;
    const recorded = await world.api.put(path(sku), { date: "2030-02-01", location: "N-01-01" }, manager);
    expect(recorded).toMatchObject({
      status: 200,
      body: { sku, expectedRestockDate: "2030-02-01", changed: true, levels: [{ location: "N-01-01", onHand: 0, reserved: 0, expectedRestockDate: "2030-02-01" }] },
    });
    const stock = await world.api.get(`/v1/stores/${storeId}/stock?sku=${sku}`, clerk);
    expect(stock.body.levels).toEqual([expect.objectContaining({ sku, location: "N-01-01", onHand: 0, expectedRestockDate: "2030-02-01" })]);
  });
});
