import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsFromDirectory } from "@oms/postgres";
import { loadDemoChain } from "@oms/service-kit";
import { useMigratedDatabase } from "@oms/testing";
import { catalogueOfChain } from "../../app/commands/seed-demo-catalogue.ts";
import { catalogueRepository } from "./catalogue-repository.ts";

const database = useMigratedDatabase("intake-catalogue-test", await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "intake"));

describe("intake's catalogue on the database", () => {
  it("reads back every term of a store it wrote, its rule on split shipments and its hours included", async () => {
    const { stores, priceList } = catalogueOfChain(await loadDemoChain());
    const flagship = stores[0]!;
    const written = [
      { ...flagship, storeId: "store-splits", partialShipments: true },
      { ...flagship, storeId: "store-whole", partialShipments: false, businessHours: { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5], timeZone: "Asia/Shanghai" } },
    ];
    await catalogueRepository.upsertStores(database.pool, written);
    await catalogueRepository.upsertPriceList(database.pool, priceList);

    const loaded = await catalogueRepository.loadAll(database.pool);
    for (const store of written) expect(loaded.stores.find((s) => s.storeId === store.storeId)).toEqual(store);
    expect(loaded.priceList).toHaveLength(priceList.length);
  });
});
