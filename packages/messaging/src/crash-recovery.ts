import type { Consumer } from "kafkajs";

export interface CrashRecoveryOptions {
  /** Leaves the crashed consumer, builds a new one (which `watch`es itself) and starts it. */
  restart: () => Promise<void>;
  /** True once the owner stops on purpose: nothing is rebuilt then. */
  stopped: () => boolean;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Hears each crash or failed restart, and when the next attempt comes. */
  onFailure?: (error: unknown, retryInMs: number) => void;
}

/**
 * kafkajs restarts a consumer after retriable failures itself, but gives up for good on a
 * non-retriable one (e.g. no group coordinator after a broker restart) while the process
 * stays up. This rebuilds it after a capped, doubling delay, and again after each failed
 * attempt, until it runs or its owner stops. A new consumer in the same group goes on from
 * the group's committed offsets.
 */
export class CrashRecovery {
  readonly #options: CrashRecoveryOptions;
  #failures = 0;

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
    const delay = Math.min(this.#options.maxDelayMs, this.#options.firstDelayMs * 2 ** this.#failures++);
    this.#options.onFailure?.(error, delay);
    setTimeout(() => void this.#attempt(), delay).unref();
  }

  async #attempt(): Promise<void> {
    if (this.#options.stopped()) return;
    try {
      await this.#options.restart();
      this.#failures = 0;
    } catch (error) {
      this.#retryLater(error);
    }
  }
}
