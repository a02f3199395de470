import { afterAll, beforeAll } from "vitest";
import type pg from "pg";
import { createPool, runMigrations, type Migration } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "./namespace.ts";

export interface MigratedDatabase {
  readonly namespace: TestNamespace;
  readonly pool: pg.Pool;
}

/**
 * A test file's own namespace (database and topic prefix) with a pool on its `public`
 * schema and the given migrations applied: made before the file's tests, dropped after
 * them. Call it at the top of the file; read `namespace` and `pool` in tests and hooks.
 */
export function useMigratedDatabase(applicationName: string, migrations: Migration[]): MigratedDatabase {
  let namespace: TestNamespace | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    namespace = await createTestNamespace();
    pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName });
    await runMigrations(pool, "public", migrations);
  });
  afterAll(async () => {
    await pool?.end();
    await namespace?.drop();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the test database's ${what} is not there yet: read it inside a test or hook, not while the file loads`);
    return value;
  };
  return {
    get namespace() {
      return ready(namespace, "namespace");
    },
    get pool() {
      return ready(pool, "pool");
    },
  };
}
