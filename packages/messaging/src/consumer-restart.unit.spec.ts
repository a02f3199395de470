import type { Kafka } from "kafkajs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Logger } from "@oms/observability";
import { EventConsumer } from "./consumer.ts";
import type { EventConsumerOptions } from "./consumer-options.ts";

/** A kafkajs consumer that knows whether it runs; `hold` keeps one of its steps pending until released. */
function fakeConsumer(hold?: { step: "connect" | "disconnect"; until: Promise<void> }) {
  let onCrash: ((event: { payload: { error: Error; restart: boolean } }) => void) | undefined;
  const wait = (step: string) => (hold?.step === step ? hold.until : Promise.resolve());
  const fake = {
    running: false,
    events: { CRASH: "consumer.crash" },
    on: (_event: string, listener: typeof onCrash) => {
      onCrash = listener;
    },
    connect: () => wait("connect"),
    subscribe: async () => {},
    run: async () => {
      fake.running = true;
    },
    disconnect: async () => {
      await wait("disconnect");
      fake.running = false;
    },
    crash: () => onCrash?.({ payload: { error: new Error("The group coordinator is not available"), restart: false } }),
  };
  return fake;
}

const quietLogger = { error() {}, warn() {}, info() {} } as unknown as Logger;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a consumer stopped while it is being rebuilt after a crash", () => {
  it.each([
    ["the crashed consumer is still leaving", 0, "disconnect"],
    ["its replacement is still connecting", 1, "connect"],
  ] as const)("leaves nothing running when stopped while %s", async (_case, held, step) => {
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    const created: ReturnType<typeof fakeConsumer>[] = [];
    const kafka = {
      consumer: () => {
        const fake = fakeConsumer(created.length === held ? { step, until } : undefined);
        created.push(fake);
        return fake;
      },
    } as unknown as Kafka;
    const options = { kafka, pool: {}, producer: {}, logger: quietLogger, name: "restart-test", topics: ["oms.test.v1"], handle: async () => {} };
    const consumer = new EventConsumer(options as unknown as EventConsumerOptions);
    await consumer.start();

    created[0]!.crash();
    await vi.advanceTimersByTimeAsync(1_000); // the rebuild begins and waits on the held step
    const stopping = consumer.stop();
    release();
    await stopping;
    await vi.advanceTimersByTimeAsync(60_000);

    expect(created.map((fake) => fake.running)).toEqual(created.map(() => false));
  });
});
