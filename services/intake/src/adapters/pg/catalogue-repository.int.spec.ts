import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsFromDirectory } from "@oms/postgres";
import { loadDemoChain } from "@oms/service-kit";
import { useMigratedDatabase } from "@oms/testing";
import { catalogueOfChain } from "../../app/commands/seed-demo-catalogue.ts";
import { storeOfProfile } from "../../domain/store-profile.ts";
import { catalogueRepository } from "./catalogue-repository.ts";

const database = useMigratedDatabase("intake-catalogue-test", await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "intake"));

describe("intake's catalogue on the database", () => {
  it("reads back every term of a store it wrote, its rule on split shipments and its hours included", async () => {
    const { profiles, priceList } = catalogueOfChain(await loadDemoChain());
    const flagship = profiles[0]!;
    const written = [
      { ...flagship, storeId: "store-splits", partialShipments: true },
      { ...flagship, storeId: "store-whole", partialShipments: false, businessHours: { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5] } },
    ];
    await catalogueRepository.upsertStores(database.pool, written);
    await catalogueRepository.upsertPriceList(database.pool, priceList);

    const loaded = await catalogueRepository.loadAll(database.pool);
    for (const store of written) expect(loaded.stores.find((s) => s.storeId === store.storeId)).toEqual(storeOfProfile(store));
    expect(loaded.priceList).toHaveLength(priceList.length);
  });

  it("leaves a store or an item someone administered as it is when seeding again (ADR 028)", async () => {
    const { profiles, priceList } = catalogueOfChain(await loadDemoChain());
    const store = { ...profiles[0]!, storeId: "store-administered" };
    const item = { ...priceList[0]!, sku: "ITEM-ADMINISTERED" };
    await catalogueRepository.upsertStores(database.pool, [store]);
    await catalogueRepository.upsertPriceList(database.pool, [item]);
    await database.pool.query("UPDATE stores SET version = 1, name = 'Renamed' WHERE store_id = $1", [store.storeId]);
    await database.pool.query("UPDATE price_list SET version = 1, unit_price_minor = 1 WHERE sku = $1", [item.sku]);

    await catalogueRepository.upsertStores(database.pool, [store]);
    await catalogueRepository.upsertPriceList(database.pool, [item]);
    const loaded = await catalogueRepository.loadAll(database.pool);
    expect(loaded.stores.find((s) => s.storeId === store.storeId)?.name).toBe("Renamed");
    expect(loaded.priceList.find((i) => i.sku === item.sku)?.unitPriceMinor).toBe(1);
  });
});
