import type { ConsumerLagSampler } from "../../support/consumer-lag.ts";
import type { HumanSimulator } from "../../support/human-simulator.ts";
import type { IntakeRecorder } from "../../support/intake-load.ts";
import type { OpenLoopSummary } from "../../support/open-loop.ts";
import type { OrderTracker } from "../../support/order-tracker.ts";
import type { ProgressLine } from "../../support/progress.ts";
import type { BenchOptions } from "./options.ts";
import { placeOrdersInWorker, type LoadWorkerInput } from "./threaded-load.ts";

/** What the load generator needs besides the rate and duration. */
export type GeneratorSettings = Pick<LoadWorkerInput, "intakeUrl" | "maxSockets" | "chain" | "mix" | "runId" | "seed">;

interface PhaseContext {
  options: BenchOptions;
  recorder: IntakeRecorder;
  simulator: HumanSimulator;
  tracker: OrderTracker;
  lag: ConsumerLagSampler;
  progress: ProgressLine;
  signal: AbortSignal;
}

const lagLine = (lag: ConsumerLagSampler) =>
  Object.entries(lag.samples.at(-1)?.lag ?? {})
    .map(([name, value]) => `${name.slice(0, 4)}:${value}`)
    .join(" ");

/**
 * Warm-up and measured load as one open loop (no gap between them); the window is the
 * measured part. `atWarmupMiddle` runs halfway through the warm-up, beside the load, so
 * that what it sets off (the first analysis of tables that started empty) is over before
 * the window opens.
 */
export async function runLoadPhase(
  context: PhaseContext & { generator: GeneratorSettings; say: (message: string) => void; atWarmupMiddle?: () => void; onGeneratorStarted?: () => void },
): Promise<{ summary: OpenLoopSummary; window: { from: number; to: number } }> {
  const { options, recorder, simulator, tracker, progress } = context;
  const totalMs = (options.warmupS + options.durationS) * 1000;
  const start = Date.now();
  const window = { from: start + options.warmupS * 1000, to: start + totalMs };
  recorder.measureWindow(window.from, window.to);
  context.say(`load: ${options.rate} orders/s, ${options.warmupS} s warm-up + ${options.durationS} s measured`);
  let lastCount = 0;
  let lastAt = start;
  const ticker = setInterval(() => {
    const now = Date.now();
    const count = recorder.accepted.size;
    const rate = Math.round(((count - lastCount) * 1000) / Math.max(1, now - lastAt));
    lastCount = count;
    lastAt = now;
    const elapsed = (now - start) / 1000;
    const phase = now < window.from ? "warm-up" : "load";
    const closed = [...tracker.orders.values()].filter((o) => o.status === "closed").length;
    progress.update(
      Math.min(1, (now - start) / totalMs),
      `${phase} ${Math.floor(elapsed)}/${options.warmupS + options.durationS} s`,
      `accepted ${rate}/s (${count}) | people busy ${simulator.pending} | closed ${closed} | lag ${lagLine(context.lag)}`,
    );
  }, 500);
  const warmupTimer = setTimeout(() => context.atWarmupMiddle?.(), (window.from - start) / 2);
  try {
    const summary = await placeOrdersInWorker({
      ...context.generator,
      recorder,
      rate: options.rate,
      durationMs: totalMs,
      signal: context.signal,
      onAccepted: (order) => simulator.follow(order.orderId),
      onStarted: context.onGeneratorStarted,
    });
    return { summary, window };
  } finally {
    clearInterval(ticker);
    clearTimeout(warmupTimer);
  }
}

/**
 * Waits until every measured order got where the people leave it, or the drain time is up;
 * answers when it stopped waiting (epoch ms), the moment the orders still on their way are judged at.
 */
export async function runDrain(context: PhaseContext & { window: { from: number; to: number } }): Promise<number> {
  const { options, recorder, simulator, tracker, progress, window } = context;
  const measured = [...recorder.accepted.values()].filter((o) => o.dueAt >= window.from && o.dueAt < window.to).map((o) => o.orderId);
  const deadline = Date.now() + options.drainS * 1000;
  const remaining = () =>
    measured.filter((id) => {
      const order = tracker.orders.get(id);
      if (!order) return true;
      const end = simulator.endOf(order);
      if (!order.reachedAt.has(end)) return true;
      return end === "assigned" && order.settlementPrepared === undefined;
    }).length;
  for (;;) {
    const left = remaining();
    const fraction = measured.length === 0 ? 1 : 1 - left / measured.length;
    progress.update(fraction, "drain", `${left} of ${measured.length} measured orders not at their end yet | people busy ${simulator.pending} | lag ${lagLine(context.lag)}`);
    const now = Date.now();
    if (left === 0 || now > deadline || context.signal.aborted) return now;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
