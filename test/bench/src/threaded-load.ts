import { Worker } from "node:worker_threads";
import type { DemoChain } from "@oms/service-kit";
import type { AcceptedOrder, IntakeRecorder } from "../../support/intake-load.ts";
import type { OpenLoopSummary } from "../../support/open-loop.ts";
import type { OrderMix } from "../../support/order-factory.ts";

/**
 * The open-loop load generator runs in a worker thread of its own. In the bench process
 * the main thread also decodes every event the order tracker reads, plays the simulated
 * people and samples the machine; a generator sharing that event loop sent late whenever
 * it was busy (up to 150 ms behind at 1,000/s) and timed each answer only when it got round
 * to reading it, so the bench's own work was charged to intake's latency. In its own
 * thread (its own event loop and heap) a request leaves when it is due and its answer is
 * timed when it arrives; the main thread only records the outcomes, in batches.
 */
export interface LoadWorkerInput {
  intakeUrl: string;
  maxSockets: number;
  chain: DemoChain;
  mix: OrderMix;
  runId: string;
  seed: number;
  rate: number;
  durationMs: number;
  flushEveryMs: number;
}

/** One request's outcome as the generator saw it. */
export interface LoadOutcome {
  dueAtEpoch: number;
  latencyMs: number;
  channel: string;
  channelOrderId: string;
  grandTotalMinor: number;
  /** Set when intake answered; orderId is "" when the answer carried none. */
  status?: number;
  orderId?: string;
  error?: string;
}

export type LoadWorkerMessage =
  | { type: "outcomes"; outcomes: LoadOutcome[] }
  | { type: "done"; summary: OpenLoopSummary }
  | { type: "failed"; message: string };

export interface ThreadedLoadOptions extends Omit<LoadWorkerInput, "flushEveryMs"> {
  recorder: IntakeRecorder;
  onAccepted?: (order: AcceptedOrder) => void;
  /** Called once the generator's thread runs (a thread started later would inherit a priority set after it). */
  onStarted?: () => void;
  signal?: AbortSignal;
  /** How often the worker hands its outcomes over (ms). */
  flushEveryMs?: number;
}

/** Places orders like placeOrders (intake-load.ts), from a worker thread; resolves when every request has its answer. */
export function placeOrdersInWorker(options: ThreadedLoadOptions): Promise<OpenLoopSummary> {
  const { recorder, onAccepted, onStarted, signal, flushEveryMs = 100, ...rest } = options;
  const input: LoadWorkerInput = { ...rest, flushEveryMs };
  const worker = new Worker(new URL("./load-worker.ts", import.meta.url), { workerData: input });
  const stop = () => worker.postMessage({ type: "abort" });
  signal?.addEventListener("abort", stop, { once: true });
  return new Promise<OpenLoopSummary>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", stop);
      void worker.terminate();
      outcome();
    };
    worker.on("message", (message: LoadWorkerMessage) => {
      if (message.type === "outcomes") for (const outcome of message.outcomes) recordOutcome(recorder, outcome, onAccepted);
      else if (message.type === "done") finish(() => resolve(message.summary));
      else finish(() => reject(new Error(`the load generator failed: ${message.message}`)));
    });
    worker.once("online", () => {
      try {
        onStarted?.();
      } catch (error) {
        stop();
        finish(() => reject(error as Error));
      }
    });
    worker.on("error", (error) => finish(() => reject(error)));
    worker.on("exit", (code) => finish(() => reject(new Error(`the load generator stopped (exit code ${code}) before it was done`))));
  });
}

function recordOutcome(recorder: IntakeRecorder, outcome: LoadOutcome, onAccepted?: (order: AcceptedOrder) => void): void {
  const order = { channel: outcome.channel, channelOrderId: outcome.channelOrderId, totals: { grandTotalMinor: outcome.grandTotalMinor } };
  const response = outcome.status === undefined ? undefined : { status: outcome.status, body: { orderId: outcome.orderId }, headers: {} };
  const accepted = recorder.record(outcome.dueAtEpoch, outcome.latencyMs, order, response, outcome.error === undefined ? undefined : new Error(outcome.error));
  if (accepted) onAccepted?.(accepted);
}
