import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createLogger } from "@oms/observability";
import { testInfrastructure } from "@oms/testing";
import { deleteAllKeys, dispatchKeys } from "./keys.ts";
import { connectRedis } from "./redis-client.ts";
import { WorkloadCounters } from "./workload-counters.ts";

// The counters on the real Redis, under a prefix of this file's own.
const keys = dispatchKeys(`counters-${randomUUID().slice(0, 8)}`);
let redis: Redis;
let counters: WorkloadCounters;

beforeAll(async () => {
  redis = await connectRedis(testInfrastructure().redisUrl, createLogger({ service: "test", level: "error", pretty: false }));
  counters = new WorkloadCounters(redis, keys);
});

afterAll(async () => {
  await deleteAllKeys(redis, keys);
  await redis?.quit();
});

describe("workload counters", () => {
  it("replace a store's counts with a rebuild's read when nothing was counted meanwhile", async () => {
    const generation = await counters.generation("s-1");
    expect(await counters.replaceIfUnchanged("s-1", new Map([["a", 2], ["b", 0]]), generation)).toBe(true);
    expect(await counters.read("s-1")).toEqual(new Map([["a", 2], ["b", 0]]));
    expect(await counters.addOneEach("s-1", ["a", "b", "a"])).toEqual([3, 1, 4]);
  });

  it("refuse a rebuild whose read an increment overtook, keeping the increment", async () => {
    await counters.replaceIfUnchanged("s-2", new Map([["a", 1]]), await counters.generation("s-2"));
    // The rebuild reads the generation, then Postgres (one task for a)…
    const generation = await counters.generation("s-2");
    // …meanwhile an assignment committed after that read counts in Redis…
    expect(await counters.addOneEach("s-2", ["a"])).toEqual([2]);
    // …so writing what the rebuild read would lose it.
    expect(await counters.replaceIfUnchanged("s-2", new Map([["a", 1]]), generation)).toBe(false);
    expect(await counters.read("s-2")).toEqual(new Map([["a", 2]]));
  });
});
