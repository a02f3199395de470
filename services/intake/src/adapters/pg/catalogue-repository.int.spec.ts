import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsFromDirectory } from "@oms/postgres";
import { loadDemoChain } from "@oms/service-kit";
import { useMigratedDatabase } from "@oms/testing";
import { catalogueOfChain } from "../../app/commands/seed-demo-catalogue.ts";
import { storeOfProfile } from "../../domain/store-profile.ts";
import { cachedStoreCatalogue, catalogueRepository } from "./catalogue-repository.ts";

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

  it("offers each store the chain's list at its own prices, from memory: one load serves every order until the next (ADR 028, addendum)", async () => {
    const { profiles, priceList } = catalogueOfChain(await loadDemoChain());
    const [dearer, other] = [{ ...profiles[0]!, storeId: "store-dearer" }, { ...profiles[0]!, storeId: "store-chain-priced" }];
    await catalogueRepository.upsertStores(database.pool, [dearer, other]);
    await catalogueRepository.upsertPriceList(database.pool, priceList);
    const [priced, removed] = [priceList[0]!, priceList[1]!];
    await database.pool.query(
      `INSERT INTO store_prices (store_id, sku, unit_price_minor, version, updated_by, removed_at, removed_reason)
       VALUES ($1, $2, $3, 1, 'staff:sm-1', NULL, NULL), ($1, $4, 1, 2, 'staff:sm-1', now(), 'clearance over')`,
      [dearer.storeId, priced.sku, priced.unitPriceMinor + 4_000, removed.sku],
    );

    let queries = 0;
    const counted = new Proxy(database.pool, {
      get: (pool, name) => (name === "query" ? (...args: unknown[]) => (queries++, (pool.query as (...a: unknown[]) => unknown).apply(pool, args)) : Reflect.get(pool, name)),
    });
    const catalogue = cachedStoreCatalogue(counted, { maxAgeMs: 60_000 });
    const atDearer = await catalogue.offerOf(dearer.storeId);
    const loads = queries;
    expect(atDearer.priceList.get(priced.sku)).toMatchObject({ unitPriceMinor: priced.unitPriceMinor + 4_000, chainUnitPriceMinor: priced.unitPriceMinor });
    // A removed price is the chain's again; another store charges the chain's list itself.
    expect(atDearer.priceList.get(removed.sku)).toEqual(removed);
    expect((await catalogue.offerOf(other.storeId)).priceList.get(priced.sku)).toEqual(priced);
    for (let order = 0; order < 5; order++) await catalogue.offerOf(dearer.storeId);
    expect(queries).toBe(loads);
  });
});
