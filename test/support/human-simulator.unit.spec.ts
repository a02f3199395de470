import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HumanSimulator } from "./human-simulator.ts";
import type { HumanApi } from "./human-api.ts";
import { humanStepsWith, type HumanStep } from "./human-steps.ts";
import { cancelsBeforeShipping, staysSilent } from "./step-settings.ts";
import type { OrderTracker, StatusReached, TrackedOrder } from "./order-tracker.ts";

/**
 * A tracker that reports what the test tells it to, as the real one does from the topics:
 * `at` is the event's time, `seenAt` when the bench received it.
 */
function fakeTracker() {
  const listeners: ((reached: StatusReached) => void)[] = [];
  const orders = new Map<string, TrackedOrder>();
  const seen = new Map<string, number>();
  return {
    tracker: {
      orders,
      onStatus: (l: (r: StatusReached) => void) => listeners.push(l),
      seenAt: (orderId: string, status: string) => seen.get(`${orderId} ${status}`),
    } as unknown as OrderTracker,
    reach(order: TrackedOrder, status: string, at = Date.now(), seenAt = at) {
      order.status = status;
      order.reachedAt.set(status, at);
      seen.set(`${order.orderId} ${status}`, seenAt);
      for (const l of listeners) l({ order, status, at, seenAt });
    },
  };
}

const order = (overrides: Partial<TrackedOrder> = {}): TrackedOrder => ({
  orderId: "0a000000-0000-4000-8000-000000000001",
  kind: "goods",
  customerId: "c-zhou",
  fulfillmentMethod: "ship",
  paymentMethod: "third-party",
  prepaid: true,
  grandTotalMinor: 100,
  currency: "CNY",
  status: "",
  reachedAt: new Map(),
  tasksRequested: new Set(),
  assignees: new Map(),
  acknowledged: new Set(),
  firstAssignees: new Map(),
  ...overrides,
});

const step = (overrides: Partial<HumanStep>): HumanStep => ({
  name: "test step",
  when: "assigned",
  leadsTo: "picked",
  who: "clerk",
  applies: () => true,
  offered: async () => true,
  act: async () => {},
  ...overrides,
});

const api = {} as HumanApi;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("human simulator", () => {
  it("leaves an order where the first step the system does not offer yet would be needed", async () => {
    const offered = (names: string[]) => humanStepsWith({ silentCustomers: 0 }).map((s) => ({ ...s, offered: async () => !names.includes(s.name) }));
    const { tracker } = fakeTracker();
    const all = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 0, steps: offered([]) });
    await all.probe();
    expect(all.endOf(order())).toBe("closed");
    const noPicking = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 0, steps: offered(["warehouse clerk picks"]) });
    await noPicking.probe();
    expect(noPicking.endOf(order())).toBe("assigned");
    // A service order never needs the warehouse.
    expect(noPicking.endOf(order({ kind: "service", fulfillmentMethod: "on-site" }))).toBe("closed");
  });

  it("ends a cancelling customer's order cancelled, and leaves it to the clerk only when cancelling is not offered", async () => {
    const settings = { silentCustomers: 0, cancellingCustomers: 0.5 };
    const cancelling = order({ orderId: "0a000000-0000-4000-8000-000000000001" });
    const keeping = order({ orderId: "0a00ffff-0000-4000-8000-000000000001" });
    expect([cancelsBeforeShipping(cancelling, 0.5), cancelsBeforeShipping(keeping, 0.5)]).toEqual([true, false]);
    const { tracker } = fakeTracker();
    const steps = (withheld: string[]) => humanStepsWith(settings).map((s) => ({ ...s, offered: async () => !withheld.includes(s.name) }));
    const all = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 0, steps: steps([]) });
    await all.probe();
    expect(all.endOf(cancelling)).toBe("cancelled");
    expect(all.endOf({ ...cancelling, kind: "service", fulfillmentMethod: "on-site" })).toBe("cancelled");
    expect(all.endOf(keeping)).toBe("closed");
    // Nobody picks an order whose customer is about to cancel it.
    const picks = humanStepsWith(settings).find((s) => s.name === "warehouse clerk picks")!;
    expect([picks.applies(cancelling), picks.applies(keeping)]).toEqual([false, true]);
    const noCancelling = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 0, steps: steps(["customer cancels before it ships"]) });
    await noCancelling.probe();
    expect(noCancelling.endOf(cancelling)).toBe("assigned");
  });

  it("ends an order its customer never confirms, or nobody collects, cancelled by the store's rules", async () => {
    // Digits 24–27 of the id draw the customer who never confirms, 28–31 the pick-up nobody collects.
    const settings = { silentCustomers: 0, unansweredConfirmations: 0.5, uncollectedPickups: 0.5 };
    const { tracker } = fakeTracker();
    const steps = humanStepsWith(settings).map((s) => ({ ...s, offered: async () => true }));
    const simulator = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 0, steps });
    await simulator.probe();
    const silent = order({ orderId: "5b1d2c3e-0000-4000-8000-00000a00ffff" });
    const answering = order({ orderId: "5b1d2c3e-0000-4000-8000-0000ff00ffff" });
    // Only an order that waited for its confirmation can be cancelled for want of one.
    const { orderId, kind, fulfillmentMethod, prepaid, paymentMethod, customerId } = silent;
    expect(simulator.endOf({ orderId, kind, fulfillmentMethod, prepaid, paymentMethod, customerId, awaitedConfirmation: true })).toBe("cancelled");
    expect(simulator.endOf(silent)).toBe("closed");
    silent.reachedAt.set("awaiting-confirmation", 1);
    expect(simulator.endOf(silent)).toBe("cancelled");
    answering.reachedAt.set("awaiting-confirmation", 1);
    expect(simulator.endOf(answering)).toBe("closed");
    const uncollected = order({ orderId: "5b1d2c3e-0000-4000-8000-0000ffff0a00", fulfillmentMethod: "pickup" });
    const collected = order({ orderId: "5b1d2c3e-0000-4000-8000-0000ffffff00", fulfillmentMethod: "pickup" });
    expect([simulator.endOf(uncollected), simulator.endOf(collected)]).toEqual(["cancelled", "closed"]);
    const counter = humanStepsWith(settings).find((s) => s.name === "counter clerk hands the order over")!;
    expect([counter.applies(uncollected), counter.applies(collected)]).toEqual([false, true]);
  });

  it("ends a poor customer's on-credit order cancelled by billing's refusal, a good one's closed once finance confirms the payment, and has a clerk approve the unassessed", async () => {
    const settings = { silentCustomers: 0, credit: { good: ["b2b-good"], poor: ["b2b-poor"] } };
    const { tracker, reach } = fakeTracker();
    const withheld = (names: string[]) => humanStepsWith(settings).map((s) => ({ ...s, offered: async () => !names.includes(s.name) }));
    const simulator = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 0, steps: withheld([]) });
    await simulator.probe();
    const onCredit = (customerId: string) => order({ customerId, paymentMethod: "on-credit", prepaid: false });
    expect(simulator.endOf(onCredit("b2b-poor"))).toBe("cancelled");
    // Only on credit: the same customer's prepaid order goes on as any other.
    expect(simulator.endOf({ ...onCredit("b2b-poor"), prepaid: true })).toBe("closed");
    expect(simulator.endOf(onCredit("b2b-good"))).toBe("closed");
    expect(simulator.endOf(onCredit("never-assessed"))).toBe("closed");
    const clerk = "finance approves an unassessed customer's credit by hand";
    const steps = humanStepsWith(settings);
    expect(["b2b-good", "b2b-poor", "never-assessed"].map((c) => steps.find((s) => s.name === clerk)!.applies(onCredit(c)))).toEqual([false, false, true]);
    // The good customer's order is paid after acceptance, as a bank transfer is; without that step it stays completed.
    const unpaid = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 0, steps: withheld(["finance confirms the customer's bank transfer"]) });
    await unpaid.probe();
    expect(unpaid.endOf(onCredit("b2b-good"))).toBe("completed");
    // With no clerk to decide by hand, an unassessed customer's order stays on hold; the assessed ones do not need one.
    const noClerk = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 0, steps: withheld([clerk]) });
    await noClerk.probe();
    expect([noClerk.endOf(onCredit("never-assessed")), noClerk.endOf(onCredit("b2b-good")), noClerk.endOf(onCredit("b2b-poor"))]).toEqual(["on-hold", "closed", "cancelled"]);
    // The clerk approves the unassessed customer's order when it is held, as finance.
    const approved: unknown[] = [];
    const clerkApi = { orders: { approveCredit: async (request: unknown) => void approved.push(request) } } as unknown as HumanApi;
    const acting = new HumanSimulator({ api: clerkApi, tracker, thinkMs: [0, 0], retryBudgetMs: 1_000, steps: withheld([]) });
    await acting.probe();
    const held = [onCredit("never-assessed"), { ...onCredit("b2b-good"), orderId: "0a000000-0000-4000-8000-000000000002" }];
    for (const o of held) {
      acting.follow(o.orderId);
      reach(o, "on-hold");
    }
    await sleep(30);
    expect(approved).toEqual([expect.objectContaining({ orderId: held[0]!.orderId, caller: expect.objectContaining({ role: "finance" }) })]);
  });

  it("acts after the think time, on followed orders only, and counts the wait as the people's", async () => {
    const { tracker, reach } = fakeTracker();
    const acted: string[] = [];
    const simulator = new HumanSimulator({ api, tracker, thinkMs: [40, 40], retryBudgetMs: 1_000, steps: [step({ act: async (_, o) => void acted.push(o.orderId) })] });
    await simulator.probe();
    const followed = order();
    const stranger = order({ orderId: "0b000000-0000-4000-8000-000000000002" });
    simulator.follow(followed.orderId);
    reach(followed, "assigned");
    reach(stranger, "assigned");
    await sleep(20);
    expect(acted).toEqual([]);
    await sleep(60);
    expect(acted).toEqual([followed.orderId]);
    expect(simulator.heldByPeople.get(followed.orderId)).toHaveLength(1);
    expect(simulator.heldByPeople.has(stranger.orderId)).toBe(false);
    expect(simulator.figures()[0]).toMatchObject({ done: 1, retries: 0, failed: 0 });
  });

  describe("on a fake clock", () => {
    beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
    afterEach(() => void vi.useRealTimers());
    /** The stretches relative to the clock's start. */
    const stretchesOf = (simulator: HumanSimulator, orderId: string) => simulator.heldByPeople.get(orderId)?.map((s) => [s.from - 1_000_000, s.to === undefined ? "open" : s.to - 1_000_000]);

    it("holds an order from when its change reached the bench, not from the event's time, until the command leaves", async () => {
      const { tracker, reach } = fakeTracker();
      const simulator = new HumanSimulator({ api, tracker, thinkMs: [40, 40], retryBudgetMs: 1_000, steps: [step({})] });
      await simulator.probe();
      const target = order();
      simulator.follow(target.orderId);
      // The relay, Kafka and the consumer took 3 s: the system's time, not the clerk's.
      reach(target, "assigned", Date.now() - 3_000, Date.now());
      await vi.advanceTimersByTimeAsync(100);
      expect(stretchesOf(simulator, target.orderId)).toEqual([[0, 40]]);
    });

    it("records each step's stretch apart, so that people acting side by side can be counted once", async () => {
      const { tracker, reach } = fakeTracker();
      const acknowledges = step({ name: "acknowledge", when: "task.assigned", leadsTo: "task.acknowledged" });
      const picks = step({ name: "pick", when: "assigned", act: async () => ({ heldMs: 30 }) });
      const simulator = new HumanSimulator({ api, tracker, thinkMs: [40, 40], retryBudgetMs: 1_000, steps: [acknowledges, picks] });
      await simulator.probe();
      const target = order();
      simulator.follow(target.orderId);
      reach(target, "task.assigned");
      await vi.advanceTimersByTimeAsync(10);
      reach(target, "assigned");
      await vi.advanceTimersByTimeAsync(100);
      // The acknowledgement, the pick's thinking, and the wave the pick waited for.
      expect(stretchesOf(simulator, target.orderId)).toEqual([
        [0, 40],
        [10, 50],
        [50, 80],
      ]);
    });

    it("takes no time off an order for a step beside its way (an acknowledgement while the clerk picks)", async () => {
      const { tracker, reach } = fakeTracker();
      const acknowledges = step({ name: "acknowledge", when: "task.assigned", leadsTo: "task.acknowledged", holdsOrder: (o) => o.kind === "service" });
      const simulator = new HumanSimulator({ api, tracker, thinkMs: [40, 40], retryBudgetMs: 1_000, steps: [acknowledges] });
      await simulator.probe();
      const [goods, service] = [order(), order({ orderId: "0a000000-0000-4000-8000-000000000002", kind: "service" })];
      for (const o of [goods, service]) simulator.follow(o.orderId);
      reach(goods, "task.assigned");
      reach(service, "task.assigned");
      await vi.advanceTimersByTimeAsync(100);
      expect(stretchesOf(simulator, goods.orderId)).toBeUndefined();
      expect(stretchesOf(simulator, service.orderId)).toEqual([[0, 40]]);
    });

    it("dates an order's earlier changes from when the bench saw them, and leaves open the stretch of a person still thinking when it stops", async () => {
      const { tracker, reach } = fakeTracker();
      const simulator = new HumanSimulator({ api, tracker, thinkMs: [1_000, 1_000], retryBudgetMs: 1_000, steps: [step({})] });
      await simulator.probe();
      const target = order();
      tracker.orders.set(target.orderId, target);
      reach(target, "assigned", Date.now() - 500, Date.now());
      await vi.advanceTimersByTimeAsync(200);
      simulator.follow(target.orderId); // intake's answer reached the bench after the event
      await vi.advanceTimersByTimeAsync(300);
      simulator.stop();
      expect(stretchesOf(simulator, target.orderId)).toEqual([[0, "open"]]);
    });
  });

  it("retries a refused command until it lands, and stops once the order shows the step's effect", async () => {
    const { tracker, reach } = fakeTracker();
    let calls = 0;
    const target = order();
    const simulator = new HumanSimulator({
      api,
      tracker,
      thinkMs: [0, 0],
      retryBudgetMs: 5_000,
      steps: [
        step({
          act: async () => {
            calls++;
            // The first answer is lost although the command landed.
            if (calls === 1) {
              target.reachedAt.set("picked", Date.now());
              throw new Error("deadline exceeded");
            }
          },
        }),
      ],
    });
    await simulator.probe();
    simulator.follow(target.orderId);
    reach(target, "assigned");
    await sleep(400);
    expect(calls).toBe(1);
    expect(simulator.figures()[0]).toMatchObject({ done: 1, retries: 1, errors: { "deadline exceeded": 1 } });
    expect(simulator.pending).toBe(0);
  });

  it("keeps retrying a step that starts once the order has ended (a refund on a closed order), and gives up others the end made moot", async () => {
    const { tracker, reach } = fakeTracker();
    const calls = { refund: 0, pick: 0 };
    const failingOnce = (name: keyof typeof calls) => async () => {
      if (++calls[name] === 1) throw new Error("unavailable");
    };
    const simulator = new HumanSimulator({
      api,
      tracker,
      thinkMs: [0, 0],
      retryBudgetMs: 5_000,
      steps: [step({ name: "refund", when: "closed", leadsTo: "refunded", act: failingOnce("refund") }), step({ name: "pick", act: failingOnce("pick") })],
    });
    await simulator.probe();
    const target = order();
    simulator.follow(target.orderId);
    reach(target, "assigned");
    reach(target, "closed");
    await sleep(400);
    expect(calls).toEqual({ refund: 2, pick: 1 });
    expect(simulator.figures().map((f) => [f.name, f.done, f.moot])).toEqual([
      ["refund", 1, 0],
      ["pick", 0, 1],
    ]);
  });

  it("expects the end a rule gave an order while its person was still retrying a step the rule can overtake, and no other", async () => {
    const { tracker, reach } = fakeTracker();
    const failing = async () => {
      throw new Error("unavailable");
    };
    const handOver = step({ name: "hand over", when: "packed", leadsTo: "delivered", act: failing, overtakenBy: "cancelled" });
    const pick = step({ name: "pick", act: failing });
    const simulator = new HumanSimulator({ api, tracker, thinkMs: [0, 0], retryBudgetMs: 5_000, steps: [pick, handOver] });
    await simulator.probe();
    const collected = order({ orderId: "0a000000-0000-4000-8000-0000000000c1", fulfillmentMethod: "pickup" });
    const picking = order({ orderId: "0a000000-0000-4000-8000-0000000000c2" });
    for (const target of [collected, picking]) simulator.follow(target.orderId);
    expect(simulator.endOf(collected)).toBe("closed");
    reach(collected, "packed");
    reach(picking, "assigned");
    await sleep(100);
    // The pick-up hold ran out while the hand-over was failing: cancelled by rule, as it should be.
    reach(collected, "cancelled");
    // A pick the end made moot is no rule's overtaking: its order is still expected closed.
    reach(picking, "cancelled");
    await sleep(600);
    expect(simulator.figures().map((f) => [f.name, f.moot])).toEqual([
      ["pick", 1],
      ["hand over", 1],
    ]);
    expect(simulator.endOf(collected)).toBe("cancelled");
    expect(simulator.endOf({ ...collected, reachedAt: new Map() })).toBe("cancelled");
    expect(simulator.endOf(picking)).toBe("closed");
  });

  it("picks silent customers by order id, the same way every time", () => {
    // Spread like random UUIDs (Knuth's multiplicative hash).
    const ids = Array.from({ length: 1_000 }, (_, i) => `${(Math.imul(i + 1, 2654435761) >>> 0).toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`);
    const silent = ids.filter((orderId) => staysSilent({ orderId }, 0.2)).length;
    expect(silent).toBeGreaterThan(150);
    expect(silent).toBeLessThan(250);
    expect(ids.filter((orderId) => staysSilent({ orderId }, 0)).length).toBe(0);
    expect(staysSilent({ orderId: ids[3]! }, 0.2)).toBe(staysSilent({ orderId: ids[3]! }, 0.2));
    // Cancelling customers are drawn from other digits of the id: a share of their own, whoever is silent.
    const cancelling = ids.filter((orderId) => cancelsBeforeShipping({ orderId }, 0.1));
    expect(cancelling.length).toBeGreaterThan(60);
    expect(cancelling.length).toBeLessThan(140);
    const silentAndCancelling = cancelling.filter((orderId) => staysSilent({ orderId }, 0.2)).length;
    expect(silentAndCancelling).toBeGreaterThan(0);
    expect(silentAndCancelling).toBeLessThan(cancelling.length);
  });
});
