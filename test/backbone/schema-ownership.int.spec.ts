import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { archiveService } from "../../services/archive/src/service.ts";
import { billingService } from "../../services/billing/src/service.ts";
import { loadServiceConfig, startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testServiceConfig, type TestNamespace } from "@oms/testing";

/**
 * ARCHITECTURE.md: each service owns one schema and touches no other. Each connects as
 * its own role, which owns its schema and is granted nothing else — so the database,
 * not only the code, keeps billing out of the archive's tables.
 */
let namespace: TestNamespace;
const running: RunningService[] = [];

beforeAll(async () => {
  namespace = await createTestNamespace();
  running.push(await startService(billingService, testServiceConfig("billing", namespace)));
  running.push(await startService(archiveService, testServiceConfig("archive", namespace)));
});

afterAll(async () => {
  for (const service of running) await service.stop();
  await namespace?.drop();
});

async function asRoleOf(service: "billing" | "archive", sql: string): Promise<unknown> {
  const config = loadServiceConfig(service, { DATABASE_URL: namespace.databaseUrl });
  const client = new pg.Client({ connectionString: config.serviceDatabaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("schema ownership", () => {
  it("lets a service read and write its own schema", async () => {
    await expect(asRoleOf("billing", "SELECT count(*) FROM billing.settlements")).resolves.toBeDefined();
  });

  it("refuses a service another service's tables, for reading and for writing", async () => {
    await expect(asRoleOf("billing", "SELECT count(*) FROM archive.dossier_entries")).rejects.toThrow(/permission denied/);
    await expect(asRoleOf("archive", "DELETE FROM billing.settlements")).rejects.toThrow(/permission denied/);
    await expect(asRoleOf("billing", "CREATE TABLE archive.sneaky (id int)")).rejects.toThrow(/permission denied/);
  });
});
