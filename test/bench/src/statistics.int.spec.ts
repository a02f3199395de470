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

const reltuples = async () => (await client.query<{ n: number }>("SELECT reltuples::int AS n FROM pg_class WHERE relname = 'grows'")).rows[0]!.n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the bench's statistics keeper", () => {
  it("analyzes a table as autovacuum would, once a tenth of it has changed, each period until stopped, and reports it", async () => {
    const errors: Error[] = [];
    const keeper = new StatisticsKeeper(namespace.databaseUrl, { everyMs: 300, onError: (error) => errors.push(error) });
    expect(keeper.note()).toBeUndefined();
    await client.query("INSERT INTO grows SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
    keeper.start();
    // The planner's view follows the table: what the cached plans are made from.
    await eventually(async () => ((await reltuples()) === 1000 ? true : undefined));
    expect(await analyzeCount()).toBe(1);
    // 20 rows more is under autovacuum's threshold (50 + a tenth of 1,000): left alone for several periods.
    await client.query("INSERT INTO grows SELECT g, 'row ' || g FROM generate_series(1001, 1020) g");
    await sleep(1_500);
    expect(await analyzeCount()).toBe(1);
    await client.query("INSERT INTO grows SELECT g, 'row ' || g FROM generate_series(1021, 1600) g");
    await eventually(async () => ((await reltuples()) === 1600 ? true : undefined));
    await keeper.stop();
    expect(await analyzeCount()).toBe(2);
    await client.query("INSERT INTO grows SELECT g, 'row ' || g FROM generate_series(1601, 3000) g");
    await sleep(700);
    expect(await analyzeCount()).toBe(2);
    expect(errors).toEqual([]);
    expect(keeper.note()).toMatch(/analyzed as autovacuum would \(by its rule and at its pace\) halfway through the warm-up and every 0.3 s after \(\d+ passes, 2 tables analyzed/);
  });
});
