import type { Consumer } from "kafkajs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CrashRecovery } from "./crash-recovery.ts";

/** As much of a kafkajs consumer as crash recovery hears: its CRASH event. */
function crashingConsumer() {
  let onCrash: ((event: { payload: { error: Error; restart: boolean } }) => void) | undefined;
  const consumer = {
    events: { CRASH: "consumer.crash" },
    on: (_event: string, listener: typeof onCrash) => {
      onCrash = listener;
    },
  };
  return {
    consumer: consumer as unknown as Consumer,
    /** kafkajs gave up on it for good (a non-retriable failure). */
    crash: () => onCrash?.({ payload: { error: new Error("The group coordinator is not available"), restart: false } }),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("rebuilding a consumer that kafkajs gave up on", () => {
  it("backs off up to the cap when every start crashes, although each restart resolves", async () => {
    const delays: number[] = [];
    const recovery: CrashRecovery = new CrashRecovery({
      // Like kafkajs: run() catches the failed join, reports it as a crash and resolves.
      restart: async () => {
        const next = crashingConsumer();
        recovery.watch(next.consumer);
        next.crash();
      },
      stopped: () => false,
      firstDelayMs: 1_000,
      maxDelayMs: 30_000,
      onFailure: (_error, retryInMs) => delays.push(retryInMs),
    });
    const first = crashingConsumer();
    recovery.watch(first.consumer);

    first.crash();
    for (let attempt = 0; attempt < 7; attempt++) await vi.advanceTimersByTimeAsync(delays.at(-1)!);

    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("starts from the first delay again for a crash that comes after the consumer ran a good while", async () => {
    const delays: number[] = [];
    let current = crashingConsumer();
    const recovery: CrashRecovery = new CrashRecovery({
      restart: async () => {
        current = crashingConsumer();
        recovery.watch(current.consumer);
      },
      stopped: () => false,
      firstDelayMs: 1_000,
      maxDelayMs: 30_000,
      healthyAfterMs: 60_000,
      onFailure: (_error, retryInMs) => delays.push(retryInMs),
    });
    recovery.watch(current.consumer);

    current.crash();
    await vi.advanceTimersByTimeAsync(1_000); // rebuilt; runs
    current.crash(); // too soon to count as healthy
    await vi.advanceTimersByTimeAsync(2_000 + 60_000); // rebuilt, then a minute of running
    current.crash();

    expect(delays).toEqual([1_000, 2_000, 1_000]);
  });

  it("rebuilds nothing once its owner stopped", async () => {
    let stopped = false;
    const restart = vi.fn(async () => {});
    const recovery = new CrashRecovery({ restart, stopped: () => stopped, firstDelayMs: 1_000, maxDelayMs: 30_000 });
    const first = crashingConsumer();
    recovery.watch(first.consumer);

    first.crash();
    stopped = true;
    await vi.advanceTimersByTimeAsync(5_000);

    expect(restart).not.toHaveBeenCalled();
  });
});
