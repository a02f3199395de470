import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "@oms/postgres";
import { createTestNamespace, eventually, type TestNamespace } from "@oms/testing";

/** What a service is told when the server drops one of its pool's idle connections (a restart, a failover). */
let namespace: TestNamespace;

beforeAll(async () => {
  namespace = await createTestNamespace();
});
afterAll(async () => {
  await namespace?.drop();
});

describe("a pool's dropped connections", () => {
  it("are reported as the server's error alone, without the connection object pg-pool hangs on it", async () => {
    const reported: Error[] = [];
    const pool = createPool({ url: namespace.databaseUrl, schema: "public", applicationName: "pool-errors-test", onConnectionError: (error) => reported.push(error) });
    try {
      await pool.query("SELECT 1"); // leaves one idle connection in the pool
      const admin = new pg.Client({ connectionString: namespace.databaseUrl });
      await admin.connect();
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pool-errors-test' AND datname = current_database()");
      await admin.end();

      const [error] = await eventually(async () => (reported.length > 0 ? reported : undefined), 10_000, 20);
      expect((error as { code?: string }).code).toBe("57P01"); // admin_shutdown: terminated by pg_terminate_backend
      expect(error).not.toHaveProperty("client");
      expect(JSON.stringify(error)).not.toContain("pool-errors-test");
      // The pool replaced the connection and goes on working.
      expect((await pool.query<{ n: number }>("SELECT 2 AS n")).rows[0]!.n).toBe(2);
    } finally {
      await pool.end();
    }
  });
});
