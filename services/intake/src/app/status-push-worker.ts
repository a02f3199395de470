import type pg from "pg";
import type { Logger } from "@oms/observability";
import type { PlatformDirectory } from "../adapters/pg/platform-repository.ts";
import { statusCallbackRepository, type StatusCallback } from "../adapters/pg/status-callback-repository.ts";
import { platformSignature } from "../domain/marketplaces/platform-signature.ts";
import { afterPushAttempt, defaultStatusPushPolicy, type StatusPushPolicy } from "../domain/status-push.ts";

export interface StatusPushOptions extends StatusPushPolicy {
  /** How often the worker looks for due pushes. */
  pollMs: number;
  /** How long one push may take. */
  timeoutMs: number;
}

export const defaultStatusPushOptions: StatusPushOptions = { ...defaultStatusPushPolicy, pollMs: 1_000, timeoutMs: 5_000 };

export interface StatusPushWorker {
  start(): void;
  /** Finishes the pushes under way and stops polling. */
  stop(): Promise<void>;
}

/**
 * Pushes queued status changes to each marketplace's callback URL, signed like the
 * platform signs its orders (X-Platform-Timestamp, X-Platform-Signature over
 * `${timestamp}.${body}` with the platform's secret). The queue is the durable table:
 * a restart loses nothing, and several instances share it through leases.
 */
export function statusPushWorker(
  deps: { pool: pg.Pool; platforms: PlatformDirectory; secrets: ReadonlyMap<string, string>; logger: Logger },
  options: StatusPushOptions = defaultStatusPushOptions,
): StatusPushWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const push = async (callback: StatusCallback): Promise<string | undefined> => {
    const url = (await deps.platforms.routingOf(callback.platform))?.callbackUrl;
    const secret = deps.secrets.get(callback.platform);
    if (!url) return "no-callback-url";
    if (!secret) return "no-secret";
    const body = JSON.stringify({
      channelOrderId: callback.channelOrderId,
      orderId: callback.orderId,
      status: callback.status,
      reason: callback.reason,
      // A cancellation's code from fulfillment's closed list, the same words to every marketplace (no adapter has a
      // vocabulary of its own for statuses); absent on one published before the list, as on every other status.
      ...(callback.reasonCode ? { reasonCode: callback.reasonCode } : {}),
      // A shipment's parcel, which the platform needs to mark the order shipped.
      ...(callback.trackingNumber ? { carrier: callback.carrier, trackingNumber: callback.trackingNumber } : {}),
      occurredAt: callback.occurredAt.toISOString(),
      eventId: callback.eventId,
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-platform-timestamp": timestamp, "x-platform-signature": platformSignature(secret, timestamp, body) },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.body?.cancel();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      // The error's name or code only: messages may carry the URL's credentials.
      const cause = (error as { cause?: { code?: string } }).cause;
      return cause?.code ?? (error as Error).name ?? "fetch-failed";
    }
  };

  const pollOnce = async () => {
    const due = await statusCallbackRepository.claimDue(deps.pool, 20, options.timeoutMs * 2);
    await Promise.all(
      due.map(async (callback) => {
        const attempt = callback.attempts + 1;
        const outcome = afterPushAttempt(options, attempt, await push(callback));
        await statusCallbackRepository.recordAttempt(deps.pool, callback.eventId, outcome);
        const log = { orderId: callback.orderId, platform: callback.platform, status: callback.status, attempt };
        if (outcome.state === "failed") deps.logger.warn({ ...log, error: outcome.error }, "gave up pushing a status to the platform");
        else if (outcome.state === "pending") deps.logger.info({ ...log, error: outcome.error, retryInMs: outcome.retryInMs }, "status push failed; will retry");
      }),
    );
  };

  const loop = () => {
    if (stopped) return;
    running = pollOnce()
      .catch((error: unknown) => deps.logger.error({ err: error }, "status push poll failed"))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(loop, options.pollMs);
      });
  };

  return {
    start() {
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
