import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PeopleWaves } from "./people-waves.ts";

type Step = "pick" | "pack" | "ship";
type Item = { reservationId: string; parcels?: number; carrier?: string; trackingNumber?: string };

describe("the waves of the simulated people", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends what comes up for a step within the window in one round, each answered with how long the clerk held it", async () => {
    const rounds: [Step, string[]][] = [];
    const waves = new PeopleWaves<Step, Item>(async (step, items) => {
      rounds.push([step, items.map((i) => i.reservationId)]);
      return items.map(() => ({}));
    }, { windowMs: 100, maxItems: 10 });

    const first = waves.take("pick", { reservationId: "r-1" });
    vi.advanceTimersByTime(40);
    const second = waves.take("pick", { reservationId: "r-2" });
    const packed = waves.take("pack", { reservationId: "r-0", parcels: 2 });
    expect(rounds).toEqual([]);
    await vi.advanceTimersByTimeAsync(60);

    expect(rounds).toEqual([["pick", ["r-1", "r-2"]]]);
    expect([await first, await second]).toEqual([100, 60]);
    await vi.advanceTimersByTimeAsync(40);
    expect(rounds).toEqual([["pick", ["r-1", "r-2"]], ["pack", ["r-0"]]]);
    expect(await packed).toBe(100);
  });

  it("goes round at once when the wave is full, and rejects each refused reservation with its own error", async () => {
    const sent: Item[][] = [];
    const waves = new PeopleWaves<Step, Item>(async (_step, items) => {
      sent.push(items);
      return items.map((i) => (i.reservationId === "r-2" ? { refusal: { kind: "illegal-state", code: "reservation.not-packed", message: "reservation r-2 is picked" } } : {}));
    }, { windowMs: 1_000, maxItems: 2 });

    const answers = Promise.allSettled([waves.take("ship", { reservationId: "r-1", carrier: "SF", trackingNumber: "SF1" }), waves.take("ship", { reservationId: "r-2", carrier: "SF", trackingNumber: "SF2" })]);

    expect(sent).toEqual([[{ reservationId: "r-1", carrier: "SF", trackingNumber: "SF1" }, { reservationId: "r-2", carrier: "SF", trackingNumber: "SF2" }]]);
    const [shipped, refused] = await answers;
    expect(shipped).toEqual({ status: "fulfilled", value: 0 });
    expect(refused).toMatchObject({ status: "rejected", reason: { kind: "illegal-state", code: "reservation.not-packed", message: "reservation r-2 is picked" } });
  });

  it("rejects every reservation of a round that failed as a whole, so each is retried on its own", async () => {
    const waves = new PeopleWaves<Step, Item>(async () => Promise.reject(new Error("14 UNAVAILABLE: warehouse restarting")), { windowMs: 10, maxItems: 5 });

    const answers = Promise.allSettled([waves.take("pick", { reservationId: "r-1" }), waves.take("pick", { reservationId: "r-2" })]);
    await vi.advanceTimersByTimeAsync(10);

    expect((await answers).map((a) => a.status === "rejected" && (a.reason as Error).message)).toEqual(["14 UNAVAILABLE: warehouse restarting", "14 UNAVAILABLE: warehouse restarting"]);
  });
});
