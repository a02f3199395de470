import type pg from "pg";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "@oms/observability";
import { TimerPoller } from "./poller.ts";

const quietLogger = { error() {}, warn() {}, info() {} } as unknown as Logger;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the timer poller while the database is down", () => {
  it("waits longer after each failed pass, up to 30 s, instead of knocking every second", async () => {
    const passesAt: number[] = [];
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const pool = {
      connect: async () => {
        passesAt.push(Date.now());
        throw refused;
      },
    } as unknown as pg.Pool;
    const poller = new TimerPoller({ pool, logger: quietLogger, handlers: {}, intervalMs: 1_000 });
    const started = Date.now();

    poller.start();
    await vi.advanceTimersByTimeAsync(120_000);
    await poller.stop();

    const waits = passesAt.map((at, i) => at - (passesAt[i - 1] ?? started));
    expect(waits).toEqual([0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it("stops as soon as the pass in flight ends, without sitting out a wait", async () => {
    let failPass!: () => void;
    const pool = {
      connect: () =>
        new Promise((_resolve, reject) => {
          failPass = () => reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
        }),
    } as unknown as pg.Pool;
    const poller = new TimerPoller({ pool, logger: quietLogger, handlers: {}, intervalMs: 1_000 });
    poller.start();

    let stopped = false;
    void poller.stop().then(() => (stopped = true));
    failPass();
    await vi.advanceTimersByTimeAsync(0);

    expect(stopped).toBe(true);
  });
});
