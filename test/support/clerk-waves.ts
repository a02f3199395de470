import type { warehouseApi } from "@oms/contracts";
import { domainErrorOf } from "@oms/errors";

export type WaveStep = "pick" | "pack" | "ship";
export type WaveItem = Pick<warehouseApi.WaveItem, "reservationId"> & Partial<warehouseApi.WaveItem>;

export interface WaveOptions {
  /** How long a clerk gathers reservations for a step before going round with them. */
  windowMs: number;
  /** The most reservations one round takes (the rest wait for the next). */
  maxItems: number;
}

type SendWave = (step: WaveStep, items: warehouseApi.WaveItem[]) => Promise<warehouseApi.WaveOutcome[]>;

interface Waiting {
  item: warehouseApi.WaveItem;
  since: number;
  resolve(heldMs: number): void;
  reject(error: unknown): void;
}

/**
 * The warehouse clerks working in waves, as clerks do: the reservations that come up for
 * a step within `windowMs` of the first go out together in one WorkWave call (a round of
 * the shelves, a cart packed, a carrier's collection). Each reservation still gets its
 * own answer: `take` resolves with how long the clerk held it before the round (the
 * clerk's time, not the system's) or rejects with its refusal, as the one-by-one call would.
 */
export class ClerkWaves {
  readonly #send: SendWave;
  readonly #options: WaveOptions;
  readonly #gathering = new Map<WaveStep, { waiting: Waiting[]; timer: NodeJS.Timeout }>();

  constructor(send: SendWave, options: WaveOptions) {
    if (!(options.windowMs >= 0) || !(options.maxItems >= 1)) throw new Error(`a wave needs windowMs >= 0 and maxItems >= 1, got ${JSON.stringify(options)}`);
    this.#send = send;
    this.#options = options;
  }

  take(step: WaveStep, item: WaveItem): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const full = { parcels: 0, carrier: "", trackingNumber: "", ...item };
      let wave = this.#gathering.get(step);
      if (!wave) {
        wave = { waiting: [], timer: setTimeout(() => this.#goRound(step), this.#options.windowMs) };
        this.#gathering.set(step, wave);
      }
      wave.waiting.push({ item: full, since: Date.now(), resolve, reject });
      if (wave.waiting.length >= this.#options.maxItems) this.#goRound(step);
    });
  }

  #goRound(step: WaveStep): void {
    const wave = this.#gathering.get(step);
    if (!wave) return;
    clearTimeout(wave.timer);
    this.#gathering.delete(step);
    const sentAt = Date.now();
    this.#send(
      step,
      wave.waiting.map((w) => w.item),
    ).then(
      (outcomes) =>
        wave.waiting.forEach((waiting, i) => {
          const outcome = outcomes[i];
          if (outcome?.reservation) waiting.resolve(sentAt - waiting.since);
          else if (outcome?.refusal) waiting.reject(domainErrorOf(outcome.refusal.kind, outcome.refusal.code, outcome.refusal.message));
          else waiting.reject(new Error(`the wave's answer has no outcome for reservation ${waiting.item.reservationId}`));
        }),
      // The round failed as a whole (the warehouse restarting): each reservation is retried on its own.
      (error: unknown) => wave.waiting.forEach((waiting) => waiting.reject(error)),
    );
  }
}
