import { callerHeaders } from "@oms/testing";
import type { JsonClient, JsonResponse } from "./http-client.ts";
import { PerSecond, Samples } from "./latency-stats.ts";
import { runOpenLoop, type OpenLoopResult, type OpenLoopSummary } from "./open-loop.ts";
import type { OrderFactory, OrderSubmissionBody } from "./order-factory.ts";

/**
 * Places orders on intake's public API at a fixed rate (open loop) and records what the
 * load driver saw: every accepted order id with when its request was due, the
 * acceptance latency measured from that due time, and every other answer by status.
 * The fault harness's invariants compare the system against exactly this record.
 */
export interface AcceptedOrder {
  orderId: string;
  channel: string;
  channelOrderId: string;
  /** Epoch ms when the request was due (the start of the order's pipeline). */
  dueAt: number;
  /** What intake answered: 201 new, 200 the same order again. */
  status: number;
  grandTotalMinor: number;
}

export class IntakeRecorder {
  readonly accepted = new Map<string, AcceptedOrder>();
  readonly latency = new Samples();
  perSecond: PerSecond;
  readonly statuses = new Map<number, number>();
  readonly errors = new Map<string, number>();
  /** Requests that got no answer we could read (timeouts, refused connections): not known to be accepted or not. */
  readonly unanswered: { channel: string; channelOrderId: string }[] = [];
  /**
   * Requests due in the window that were not accepted, by their answer's status or "no
   * answer". The latency figures hold accepted answers only, so a run that refused or lost
   * requests cannot meet the latency target on its fast answers alone.
   */
  readonly failedInWindow = new Map<string, number>();
  #window = { from: 0, to: Number.POSITIVE_INFINITY };

  constructor() {
    this.perSecond = new PerSecond(Date.now());
  }

  /**
   * Only requests due in [from, to) (epoch ms) count for latency; the others (a warm-up)
   * are recorded as accepted or not, nothing more. The per-second series starts at `from`.
   */
  measureWindow(from: number, to: number): void {
    this.#window = { from, to };
    this.perSecond = new PerSecond(from);
  }

  record(dueAtEpoch: number, latencyMs: number, order: { channel: string; channelOrderId: string; totals: { grandTotalMinor: number } }, response?: JsonResponse, error?: Error): AcceptedOrder | undefined {
    const measured = dueAtEpoch >= this.#window.from && dueAtEpoch < this.#window.to;
    if (error || !response) {
      const key = (error?.message ?? "no response").replace(/\d+/g, "N").slice(0, 120);
      this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
      this.unanswered.push({ channel: order.channel, channelOrderId: order.channelOrderId });
      if (measured) this.#failed("no answer");
      return undefined;
    }
    this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
    const ok = response.status === 201 || response.status === 200;
    if (ok && measured) {
      this.latency.add(latencyMs);
      this.perSecond.add(dueAtEpoch + latencyMs, latencyMs);
    }
    if (!ok) {
      if (measured) this.#failed(String(response.status));
      return undefined;
    }
    const orderId = String((response.body as { orderId?: unknown }).orderId ?? "");
    if (!orderId) return undefined;
    const accepted: AcceptedOrder = {
      orderId,
      channel: order.channel,
      channelOrderId: order.channelOrderId,
      dueAt: dueAtEpoch,
      status: response.status,
      grandTotalMinor: order.totals.grandTotalMinor,
    };
    this.accepted.set(orderId, accepted);
    return accepted;
  }

  #failed(kind: string): void {
    this.failedInWindow.set(kind, (this.failedInWindow.get(kind) ?? 0) + 1);
  }
}

export interface IntakeLoadOptions {
  client: JsonClient;
  factory: OrderFactory;
  recorder: IntakeRecorder;
  rate: number;
  durationMs: number;
  onAccepted?: (order: AcceptedOrder) => void;
  /** Answers other than 200/201 (for the fault harness: a 5xx while a service is down is worth a line). */
  onRefused?: (status: number, body: unknown) => void;
  /** How an order is sent; one POST by default (the fault harness retries like a real client). */
  submit?: (order: OrderSubmissionBody) => Promise<JsonResponse>;
  onSent?: (order: OrderSubmissionBody) => void;
  /** Beyond this many requests in flight, new ones are dropped (counted) rather than queued. */
  maxOutstanding?: number;
  signal?: AbortSignal;
}

/** The store channels (the counter's and the order takers'): their orders are taken by the store's staff (ADR 022, twenty-sixth session). */
const storeChannels: ReadonlySet<string> = new Set(["pos", "phone", "email"]);

/**
 * Who submits an order, as what they are: on the store channels, the order taker of the order's
 * store, for the customer they answer (the gateway refuses a customer's own order there); on the
 * online channels its customer, signed in, when it names one (the gateway refuses an order naming
 * an account from anyone but that customer, staff or a marketplace: ADR 022's twenty-fifth-session
 * addendum), and nobody, the guest checkout, when it names none. One token per caller, remembered,
 * as a signed-in app and the store's desk keep theirs.
 */
export function submissionHeaders(order: OrderSubmissionBody): Record<string, string> {
  if (storeChannels.has(order.channel)) return callerHeaders(orderTakerOf(order.storeId));
  const customerId = order.customer.customerId;
  return customerId ? callerHeaders(`customer:${customerId}`) : {};
}

/** The order taker at a store's desk: held to that store, as the store's own staff are. */
export function orderTakerOf(storeId: string): string {
  return `staff:order-taker-${storeId}:order-taker@${storeId}`;
}

/** One POST of the order, as whoever submits it (submissionHeaders: the store's order taker or the customer). */
export function submitOrder(client: JsonClient, order: OrderSubmissionBody): Promise<JsonResponse> {
  return client.post("/v1/orders", order, submissionHeaders(order));
}

export function placeOrders(options: IntakeLoadOptions): Promise<OpenLoopSummary> {
  return sendOrders({
    ...options,
    submit: options.submit ?? ((order) => submitOrder(options.client, order)),
    onResult: (order, result) => {
      const accepted = options.recorder.record(result.dueAtEpoch, result.latencyMs, order, result.value, result.error);
      if (accepted) options.onAccepted?.(accepted);
      else if (result.value) options.onRefused?.(result.value.status, result.value.body);
    },
  });
}

/**
 * The factory's orders sent at a fixed rate (open loop), each result handed over with the
 * order it answers and the epoch ms its request was due. placeOrders records them here;
 * the bench's generator thread hands them to its main thread.
 */
export function sendOrders(options: {
  factory: OrderFactory;
  rate: number;
  durationMs: number;
  submit: (order: OrderSubmissionBody) => Promise<JsonResponse>;
  onResult: (order: OrderSubmissionBody, result: OpenLoopResult<JsonResponse> & { dueAtEpoch: number }) => void;
  onSent?: (order: OrderSubmissionBody) => void;
  maxOutstanding?: number;
  signal?: AbortSignal;
}): Promise<OpenLoopSummary> {
  const orders = new Map<number, OrderSubmissionBody>();
  const origin = performance.timeOrigin;
  return runOpenLoop<JsonResponse>({
    rate: options.rate,
    durationMs: options.durationMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxOutstanding ? { maxOutstanding: options.maxOutstanding } : {}),
    send: (index) => {
      const order = options.factory.next();
      orders.set(index, order);
      options.onSent?.(order);
      return options.submit(order);
    },
    onResult: (result) => {
      const order = orders.get(result.index)!;
      orders.delete(result.index);
      options.onResult(order, { ...result, dueAtEpoch: origin + result.dueAt });
    },
  });
}

/**
 * Sends an order the way a careful client does when the server is in trouble: the same
 * body (same channel order id) again after a refused connection, a timeout or a 5xx,
 * with backoff, until an answer that is final or the budget runs out. Intake answers a
 * repeat with the order it already accepted, so retrying never makes two orders.
 */
export async function submitWithRetries(client: JsonClient, order: OrderSubmissionBody, budgetMs: number): Promise<JsonResponse> {
  const deadline = Date.now() + budgetMs;
  let delay = 200;
  for (;;) {
    let outcome: JsonResponse | Error;
    try {
      outcome = await submitOrder(client, order);
      if (outcome.status < 500 && outcome.status !== 429) return outcome;
    } catch (error) {
      outcome = error as Error;
    }
    if (Date.now() + delay > deadline) {
      if (outcome instanceof Error) throw outcome;
      return outcome;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 2_000);
  }
}
