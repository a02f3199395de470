import { describe, expect, it } from "vitest";
import { stopGracefully, type StoppableService } from "./graceful-stop.ts";

/**
 * A service as far as stopping goes: an outbox of committed rows, a relay whose final
 * flush publishes what is committed by then, and parts that note when they stopped.
 */
function serviceModel() {
  const steps: string[] = [];
  const committed: string[] = [];
  const published: string[] = [];
  let accepting = true;
  const step = (name: string, also?: () => void) => async () => {
    also?.();
    steps.push(name);
  };
  const service: StoppableService = {
    grpc: { close: step("grpc") },
    http: { close: step("http", () => (accepting = false)) },
    consumers: [{ stop: step("consumer") }, { stop: step("consumer") }],
    inboxPruner: { stop: step("inbox-pruner") },
    timers: { stop: step("timers") },
    stopWork: step("work"),
    relay: { stop: step("relay", () => published.push(...committed.splice(0))) },
    producer: { disconnect: step("producer") },
    pool: { end: step("pool") },
  };
  return { service, steps, committed, published, isAccepting: () => accepting };
}

describe("stopping a service gracefully", () => {
  it("publishes what the service commits while it closes (intake draining its acceptances)", async () => {
    const model = serviceModel();
    model.service.close = async () => {
      model.committed.push("order.received of a drained acceptance");
    };

    await stopGracefully(model.service);

    expect(model.published).toEqual(["order.received of a drained acceptance"]);
    expect(model.committed).toEqual([]);
  });

  it("stops taking requests before the service drains what it holds", async () => {
    const model = serviceModel();
    let acceptingWhileDraining: boolean | undefined;
    model.service.close = async () => {
      acceptingWhileDraining = model.isAccepting();
    };

    await stopGracefully(model.service);

    expect(acceptingWhileDraining).toBe(false);
  });

  it("stops taking work, then what runs inside, then flushes the outbox, then lets go of producer and pool", async () => {
    const model = serviceModel();
    model.service.close = async () => {
      model.steps.push("close");
    };

    await stopGracefully(model.service);

    expect(model.steps).toEqual(["grpc", "http", "consumer", "consumer", "inbox-pruner", "timers", "work", "close", "relay", "producer", "pool"]);
  });
});
