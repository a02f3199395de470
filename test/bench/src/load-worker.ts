// The bench's load generator, in a thread of its own (see threaded-load.ts for why).
import { parentPort, workerData } from "node:worker_threads";
import { JsonClient } from "../../support/http-client.ts";
import { sendOrders, submitOrder } from "../../support/intake-load.ts";
import { OrderFactory } from "../../support/order-factory.ts";
import type { LoadOutcome, LoadWorkerInput, LoadWorkerMessage } from "./threaded-load.ts";

const input = workerData as LoadWorkerInput;
const port = parentPort!;
const abort = new AbortController();
port.on("message", (message: { type: "abort" }) => {
  if (message.type === "abort") abort.abort();
});

const client = new JsonClient(input.intakeUrl, { maxSockets: input.maxSockets });
const factory = new OrderFactory(input.chain, input.mix, input.runId, input.seed);
let outcomes: LoadOutcome[] = [];
const post = (message: LoadWorkerMessage) => port.postMessage(message);
// Outcomes travel in batches: one message per request would cost the main thread more than the recording itself.
const flusher = setInterval(() => {
  if (outcomes.length === 0) return;
  post({ type: "outcomes", outcomes });
  outcomes = [];
}, input.flushEveryMs);

try {
  const summary = await sendOrders({
    factory,
    rate: input.rate,
    durationMs: input.durationMs,
    signal: abort.signal,
    submit: (order) => submitOrder(client, order),
    onResult: (order, result) => {
      const orderId = (result.value?.body as { orderId?: unknown } | undefined)?.orderId;
      outcomes.push({
        dueAtEpoch: result.dueAtEpoch,
        latencyMs: result.latencyMs,
        channel: order.channel,
        channelOrderId: order.channelOrderId,
        grandTotalMinor: order.totals.grandTotalMinor,
        ...(result.value ? { status: result.value.status, orderId: typeof orderId === "string" ? orderId : "" } : {}),
        ...(result.error ? { error: result.error.message } : {}),
      });
    },
  });
  clearInterval(flusher);
  post({ type: "outcomes", outcomes });
  post({ type: "done", summary });
} catch (error) {
  clearInterval(flusher);
  post({ type: "failed", message: (error as Error).stack ?? String(error) });
} finally {
  client.close();
}
