import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createTestNamespace, eventually, type TestNamespace } from "@oms/testing";
import { StatisticsKeeper } from "./statistics.ts";

let namespace: TestNamespace;
let client: pg.Client;

beforeAll(async () => {
  namespace = await createTestNamespace();
  client = new pg.Client({ connectionString: namespace.databaseUrl });
  await client.connect();
  await client.query("CREATE TABLE grows (id int PRIMARY KEY, note text)");
});

afterAll(async () => {
  await client?.end();
  await namespace?.drop();
});

async function analyzeCount(): Promise<number> {
  const { rows } = await client.query<{ n: number }>("SELECT analyze_count::int AS n FROM pg_stat_user_tables WHERE relname = 'grows'");
  return rows[0]?.n ?? 0;
}

describe("the bench's statistics keeper", () => {
  it("analyzes the database when started and again each period, and reports it once stopped", async () => {
    const errors: Error[] = [];
    const keeper = new StatisticsKeeper(namespace.databaseUrl, { everyMs: 300, onError: (error) => errors.push(error) });
    expect(keeper.note()).toBeUndefined();
    await client.query("INSERT INTO grows SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
    keeper.start();
    // The planner's view follows the table: what the cached plans are made from.
    await eventually(async () => ((await client.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = 'grows'")).rows[0]!.reltuples === 1000 ? true : undefined));
    await eventually(async () => ((await analyzeCount()) >= 2 ? true : undefined));
    await keeper.stop();
    const afterStop = await analyzeCount();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await analyzeCount()).toBe(afterStop);
    expect(errors).toEqual([]);
    expect(keeper.note()).toMatch(/analyzed when the warm-up ended and every 0.3 s after \(\d+ times/);
  });
});
