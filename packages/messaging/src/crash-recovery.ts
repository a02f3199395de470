import type { Consumer } from "kafkajs";

export interface CrashRecoveryOptions {
  /** Leaves the crashed consumer, builds a new one (which `watch`es itself) and starts it. */
  restart: () => Promise<void>;
  /** True once the owner stops on purpose: nothing is rebuilt then. */
  stopped: () => boolean;
  firstDelayMs: number;
  maxDelayMs: number;
  /**
   * How long a rebuilt consumer must run without crashing before its next crash starts the
   * backoff from `firstDelayMs` again (default: `2 × maxDelayMs`).
   */
  healthyAfterMs?: number;
  /** Hears each crash or failed restart, and when the next attempt comes. */
  onFailure?: (error: unknown, retryInMs: number) => void;
}

/**
 * kafkajs restarts a consumer after retriable failures itself, but gives up for good on a
 * non-retriable one (e.g. no group coordinator after a broker restart) while the process
 * stays up. This rebuilds it after a capped, doubling delay, and again after each failed
 * attempt, until it runs or its owner stops. A new consumer in the same group goes on from
 * the group's committed offsets.
 *
 * A restart that resolves has not proved anything: kafkajs catches a failure to join the
 * group inside `run()`, reports it as a crash and resolves all the same. So the delay
 * goes back to `firstDelayMs` only for a crash that comes `healthyAfterMs` after the last
 * attempt; a crash on every start keeps backing off up to `maxDelayMs`.
 */
export class CrashRecovery {
  readonly #options: CrashRecoveryOptions;
  #failures = 0;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;

  constructor(options: CrashRecoveryOptions) {
    this.#options = options;
  }

  watch(consumer: Consumer): void {
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.#options.stopped()) return;
      this.#retryLater(payload.error);
    });
  }

  #retryLater(error: unknown): void {
    const { firstDelayMs, maxDelayMs, healthyAfterMs = 2 * maxDelayMs } = this.#options;
    if (Date.now() - this.#lastAttemptAt >= healthyAfterMs) this.#failures = 0;
    const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(this.#failures++, 30));
    this.#options.onFailure?.(error, delay);
    setTimeout(() => void this.#attempt(), delay).unref();
  }

  async #attempt(): Promise<void> {
    if (this.#options.stopped()) return;
    // Before the restart: a crash reported while it runs counts as this attempt failing.
    this.#lastAttemptAt = Date.now();
    try {
      await this.#options.restart();
    } catch (error) {
      this.#retryLater(error);
    }
  }
}
