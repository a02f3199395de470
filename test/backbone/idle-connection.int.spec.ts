import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Producer } from "kafkajs";
import { testKafka } from "@oms/testing";

/**
 * kafkajs 2.2.4, unpatched, re-arms a 1 ms timer on every broker connection for as long as
 * the connection lives, even with nothing to send: seven idle services spent a third of a
 * core on it. The patch in patches/ stops that loop; this proves it stays stopped.
 */

let producer: Producer;
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(warning.name);

beforeAll(async () => {
  process.on("warning", onWarning);
  producer = testKafka("idle-connection-test").producer();
  // Connecting sends requests through the connection's request queue, as every request does.
  await producer.connect();
});

afterAll(async () => {
  process.off("warning", onWarning);
  await producer?.disconnect();
});

/** setTimeout calls made by kafkajs's request queue during `ms` of idleness. */
async function requestQueueTimersDuring(ms: number): Promise<number> {
  const realSetTimeout = globalThis.setTimeout;
  let fromRequestQueue = 0;
  const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void, delay?: number) => {
    if (new Error().stack?.includes("requestQueue")) fromRequestQueue += 1;
    return realSetTimeout(callback, delay);
  }) as typeof setTimeout);
  try {
    await new Promise((resolve) => realSetTimeout(resolve, ms));
  } finally {
    spy.mockRestore();
  }
  return fromRequestQueue;
}

describe("an idle Kafka connection", () => {
  it("arms no timer while nothing is pending, so Node warns of no negative timeout", async () => {
    // Unpatched, this is ~300: a timer every millisecond.
    expect(await requestQueueTimersDuring(300)).toBe(0);
    expect(warnings).not.toContain("TimeoutNegativeWarning");
  });
});
