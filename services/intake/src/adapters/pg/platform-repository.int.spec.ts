import path from "node:path";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { migrationsFromDirectory, withTransaction } from "@oms/postgres";
import { useMigratedDatabase } from "@oms/testing";
import { platformAdministration } from "./platform-administration.ts";
import { platformRepository } from "./platform-repository.ts";

const database = useMigratedDatabase("intake-platforms-test", await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "intake"));

/**
 * The pool as a reader sees it, except that the first statement reading `platform_store_routes`
 * waits until the platforms' row was read and `meanwhile` (another transaction) committed: a
 * PUT landing between the reads of a platform's row and of its routes.
 */
function interleaved(pool: pg.Pool, meanwhile: () => Promise<void>): pg.Pool {
  let rowRead: () => void = () => undefined;
  const rowWasRead = new Promise<void>((resolve) => (rowRead = resolve));
  let written: Promise<void> | undefined;
  const sqlOf = (text: unknown) => (typeof text === "string" ? text : ((text as { text?: string }).text ?? ""));
  const wrap =
    (target: { query: (...args: unknown[]) => Promise<unknown> }) =>
    async (...args: unknown[]) => {
      const sql = sqlOf(args[0]);
      if (sql.includes("platform_store_routes")) await (written ??= rowWasRead.then(meanwhile));
      const result = await target.query(...args);
      if (/FROM platforms\b/.test(sql)) rowRead();
      return result;
    };
  return {
    query: wrap(pool as never),
    connect: async () => {
      const client = await pool.connect();
      return new Proxy(client, {
        get(target, name) {
          if (name === "query") return wrap(target as never);
          const value = Reflect.get(target, name) as unknown;
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
  } as unknown as pg.Pool;
}

describe("marketplaces' settings read from the database", () => {
  it("reads a platform's row, routes and items as of one moment: a change committed meanwhile is seen whole or not at all", async () => {
    const platform = "tmall-snapshot";
    const settings = (storeId: string) => ({ platform, defaultStoreId: storeId, storesByDistrict: { Xuhui: storeId }, skuByItemId: { [`TM-${storeId}`]: "KETTLE-1L7" } });
    const republish = (storeId: string) => () =>
      withTransaction(database.pool, async (tx) => {
        const current = await platformAdministration.lockPlatform(tx, platform);
        await platformAdministration.writePlatform(tx, settings(storeId), current?.version, "staff:hq-1");
      });
    await republish("store-old")();

    const loaded = (await platformRepository.loadAll(interleaved(database.pool, republish("store-new")))).find((p) => p.platform === platform)!;
    const views = [[loaded.defaultStoreId, ...loaded.storesByDistrict.values(), ...[...loaded.skuByItemId.keys()].map((id) => id.replace("TM-", ""))]];
    const stored = (await platformAdministration.getPlatform(interleaved(database.pool, republish("store-other")), platform))!;
    views.push([stored.settings.defaultStoreId, ...Object.values(stored.settings.storesByDistrict), ...Object.keys(stored.settings.skuByItemId).map((id) => id.replace("TM-", ""))]);
    for (const view of views) expect(new Set(view).size, `one version's settings, not parts of two: ${view.join(", ")}`).toBe(1);
  });
});
