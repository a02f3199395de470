import type { HumanApi } from "./human-api.ts";
import { humanSteps, type HumanStep } from "./human-steps.ts";
import type { OrderTracker, StatusReached, TrackedOrder } from "./order-tracker.ts";
import { buysOnCredit } from "./step-settings.ts";

/**
 * Plays the people of the step table for the orders it is given: when the tracker
 * reports that an order reached a step's status, the person acts after a think time.
 * A failed command is retried (a service may be restarting) until the order shows the
 * step's effect or the retry budget runs out. It records, per order, when the simulated
 * people held it, so the pipeline time can leave that out.
 */
export interface SimulatorOptions {
  api: HumanApi;
  tracker: OrderTracker;
  /** Think time per step, uniformly in [min, max] ms. */
  thinkMs: [number, number];
  /** How long one step keeps retrying a failing command. */
  retryBudgetMs: number;
  /** The longest pause between two attempts (backoff doubles from 200 ms up to this). Default 2 s. */
  maxRetryDelayMs?: number;
  steps?: HumanStep[];
}

export interface StepFigures {
  name: string;
  offered: boolean;
  done: number;
  retries: number;
  failed: number;
  /** Given up because the order ended meanwhile (closed, cancelled): nothing left to do. */
  moot: number;
  /** Why attempts failed, by kind of message (ids blanked), most frequent first in reports. */
  errors: Record<string, number>;
  lastError?: string;
}

/**
 * A stretch during which a simulated person held an order: from the moment they could
 * notice the change (its event reached the bench) until their first command left, or from
 * a command until the wave it waited for went round. `to` is unset while the person is
 * still thinking, or was when the simulator stopped.
 */
export interface HeldByPerson {
  from: number;
  to?: number;
}

/**
 * What endOf reads of an order: a tracked one, or one the invariant checker read from the
 * schemas, which says whether the order waited for its customer's confirmation. The
 * customer decides the end of an order bought on credit (their assessment).
 */
export type EndOfInput =
  | TrackedOrder
  | (Pick<TrackedOrder, "orderId" | "kind" | "fulfillmentMethod" | "prepaid" | "paymentMethod" | "customerId"> & { awaitedConfirmation?: boolean });

export class HumanSimulator {
  readonly #options: SimulatorOptions;
  readonly #steps: HumanStep[];
  readonly #offered = new Map<HumanStep, boolean>();
  readonly #figures = new Map<HumanStep, StepFigures>();
  /**
   * Order id → every stretch a simulated person held it. They overlap (the assignee
   * acknowledges while the clerk picks), so only their union is people's time
   * (test/bench/src/pipeline-time.ts).
   */
  readonly heldByPeople = new Map<string, HeldByPerson[]>();
  readonly #orders = new Set<string>();
  /** Order id → the end a rule gave it while its person was still retrying a step (HumanStep.overtakenBy). */
  readonly #overtaken = new Map<string, string>();
  #pending = 0;
  #stopped = false;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(options: SimulatorOptions) {
    this.#options = options;
    this.#steps = options.steps ?? humanSteps;
    options.tracker.onStatus((reached) => this.#onStatus(reached));
  }

  /** Asks the running system which steps it offers; call once before the load. */
  async probe(): Promise<void> {
    for (const step of this.#steps) {
      const offered = await step.offered(this.#options.api).catch(() => false);
      this.#offered.set(step, offered);
      this.#figures.set(step, { name: step.name, offered, done: 0, retries: 0, failed: 0, moot: 0, errors: {} });
    }
  }

  /** Orders the simulator plays the people of (those the load placed). */
  follow(orderId: string): void {
    this.#orders.add(orderId);
    const { tracker } = this.#options;
    const order = tracker.orders.get(orderId);
    if (!order) return;
    // The order may have been seen on the topic before intake's answer reached us: its
    // people could notice the change when the bench received it, not only from now on.
    // (The tracker dates every change it reports; `at` stands in for one it did not.)
    const seen = (status: string, at: number) => ({ order, status, at, seenAt: tracker.seenAt(orderId, status) ?? at });
    for (const [status, at] of order.reachedAt) this.#onStatus(seen(status, at));
    if (order.settlementPrepared) this.#onStatus(seen("settlement.prepared", order.settlementPrepared));
  }

  /**
   * Where the people leave this order today: the `when` of the first step it needs that
   * the system does not offer yet; the end a step leads to when it ends the order (a
   * customer who cancels); or "closed" when every step is offered. The id matters: which
   * customers cancel or stay silent is drawn from it; so does the customer, whose credit
   * decides an order bought on credit.
   */
  endOf(order: EndOfInput): string {
    const overtaken = this.#overtaken.get(order.orderId);
    if (overtaken) return overtaken;
    const awaitedConfirmation = "reachedAt" in order ? order.reachedAt.has("awaiting-confirmation") : order.awaitedConfirmation === true;
    const sample = { ...order, status: "", reachedAt: new Map(), grandTotalMinor: 0, currency: "" } as TrackedOrder;
    // Bought on credit, it waits on hold after its confirmation until its credit is decided.
    const heldForCredit = buysOnCredit(order) ? ["on-hold"] : [];
    const path = [...(awaitedConfirmation ? ["awaiting-confirmation"] : []), ...heldForCredit, "assigned", "picked", "packed", "shipped", "delivered", "completed", "settled"];
    for (const status of path) {
      const steps = this.#steps.filter((s) => s.when === status);
      const needed = steps.filter((s) => s.applies(sample));
      if (needed.some((s) => !this.#offered.get(s))) return status;
      const ending = needed.find((s) => endedStatuses.has(s.leadsTo));
      if (ending) return ending.leadsTo;
      // A person who never takes their step ends the order by the system's rule.
      const left = steps.map((s) => s.endsWithout?.(sample)).find((end) => end !== undefined);
      if (left) return left;
    }
    return "closed";
  }

  get pending(): number {
    return this.#pending;
  }

  /** A copy: later attempts do not change what was reported. */
  figures(): StepFigures[] {
    return structuredClone([...this.#figures.values()]);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /**
   * The person's time starts when the change reached the bench (`seenAt`), not when the
   * system made it (`at`): the relay, Kafka and the consumer in between are the system's.
   */
  #onStatus({ order, status, seenAt }: StatusReached): void {
    if (this.#stopped || !this.#orders.has(order.orderId)) return;
    for (const step of this.#steps) {
      if (step.when !== status || !this.#offered.get(step) || !step.applies(order)) continue;
      const [min, max] = this.#options.thinkMs;
      const think = min + Math.random() * (max - min);
      const thinking: HeldByPerson = { from: seenAt };
      if (step.holdsOrder?.(order) ?? true) this.#held(order.orderId, thinking);
      this.#pending++;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        void this.#perform(step, order, thinking);
      }, think);
      this.#timers.add(timer);
    }
  }

  #held(orderId: string, stretch: HeldByPerson): void {
    const stretches = this.heldByPeople.get(orderId);
    if (stretches) stretches.push(stretch);
    else this.heldByPeople.set(orderId, [stretch]);
  }

  /** Retries after the first attempt are the system's time: it refused or did not answer. */
  async #perform(step: HumanStep, order: TrackedOrder, thinking: HeldByPerson): Promise<void> {
    const figures = this.#figures.get(step)!;
    const deadline = Date.now() + this.#options.retryBudgetMs;
    let delay = 200;
    try {
      for (let attempt = 1; !this.#stopped; attempt++) {
        if (attempt > 1 && order.reachedAt.has(step.leadsTo)) {
          figures.done++; // an earlier attempt did land; only its answer was lost
          return;
        }
        // Ended meanwhile; a step that starts at the end (a refund on a closed order) goes on.
        if (attempt > 1 && endedStatuses.has(order.status) && order.status !== step.when) {
          figures.moot++;
          if (step.overtakenBy === order.status) this.#overtaken.set(order.orderId, order.status);
          return;
        }
        const sentAt = Date.now();
        if (attempt === 1) thinking.to = sentAt;
        try {
          const held = await step.act(this.#options.api, order);
          // A clerk holding the order for their next wave is people's time, like thinking.
          if (held && held.heldMs > 0 && (step.holdsOrder?.(order) ?? true)) this.#held(order.orderId, { from: sentAt, to: sentAt + held.heldMs });
          figures.done++;
          return;
        } catch (error) {
          figures.lastError = (error as Error).message?.slice(0, 300);
          const kind = errorKind(error);
          figures.errors[kind] = (figures.errors[kind] ?? 0) + 1;
          if (Date.now() + delay > deadline) {
            figures.failed++;
            return;
          }
          figures.retries++;
          await new Promise((resolve) => setTimeout(resolve, delay));
          delay = Math.min(delay * 2, this.#options.maxRetryDelayMs ?? 2_000);
        }
      }
    } finally {
      this.#pending--;
    }
  }
}

const endedStatuses = new Set(["closed", "cancelled", "rejected"]);

/** An error message with ids and numbers blanked, so that the same failure counts as one kind. */
function errorKind(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  return message
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\/\S*)?/gi, "<id>")
    .replace(/\d+/g, "N")
    .slice(0, 160);
}

/** The two most frequent reasons a step's command was refused, for the table. */
export function topErrors(errors: Record<string, number>): string {
  return Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([kind, count]) => `${count.toLocaleString("en-US")}× ${kind.replace(/\|/g, "/")}`)
    .join("; ");
}
