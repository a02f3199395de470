import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestNamespace, eventually, TEST_DATABASE_PREFIX, testInfrastructure, type TestNamespace } from "@oms/testing";
import { PostgresActivitySampler } from "./postgres-activity.ts";

let namespace: TestNamespace;
let sampler: PostgresActivitySampler;

beforeAll(async () => {
  namespace = await createTestNamespace();
  sampler = new PostgresActivitySampler(testInfrastructure().serverUrl, `${TEST_DATABASE_PREFIX}${namespace.name}`);
  await sampler.start(100);
});

afterAll(async () => {
  await sampler?.stop();
  await namespace?.drop();
});

describe("the bench's Postgres activity sampler", () => {
  it("counts the commits in the run's database and the checkpoints the server starts in a window", async () => {
    await eventually(async () => expect(sampler.samples.length).toBeGreaterThan(1));
    const from = Date.now();
    const client = new pg.Client({ connectionString: namespace.databaseUrl });
    await client.connect();
    try {
      for (let i = 0; i < 5; i++) await client.query("SELECT 1");
      await client.query("CHECKPOINT");
    } finally {
      await client.end();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const summary = sampler.summary(from - 150, Date.now());
    expect(summary.checkpointsStarted.requested).toBeGreaterThanOrEqual(1);
    expect(summary.commitsPerSecond).toBeGreaterThan(0);
  });
});
