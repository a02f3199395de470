import { domainErrorOf } from "@oms/errors";

export interface WaveOptions {
  /** How long a person gathers the items of a step before taking them all. */
  windowMs: number;
  /** The most items one wave takes (the rest wait for the next). */
  maxItems: number;
}

/** One item's answer in a wave: taken, or refused with the error its step alone would have met. */
export interface WaveAnswer {
  refusal?: { kind: string; code: string; message: string } | undefined;
}

type SendWave<Step, Item> = (step: Step, items: Item[]) => Promise<WaveAnswer[]>;

interface Waiting<Item> {
  item: Item;
  since: number;
  resolve(heldMs: number): void;
  reject(error: unknown): void;
}

/**
 * People working in waves, as warehouse clerks and finance do: the items that come up for
 * a step within `windowMs` of the first go out together in one bulk call (a round of the
 * shelves, a carrier's collection, a day's settled orders closed). Each item still gets
 * its own answer: `take` resolves with how long the person held it before the wave (the
 * person's time, not the system's) or rejects with its refusal, as the one-by-one call would.
 */
export class PeopleWaves<Step extends string, Item> {
  readonly #send: SendWave<Step, Item>;
  readonly #options: WaveOptions;
  readonly #gathering = new Map<Step, { waiting: Waiting<Item>[]; timer: NodeJS.Timeout }>();

  constructor(send: SendWave<Step, Item>, options: WaveOptions) {
    if (!(options.windowMs >= 0) || !(options.maxItems >= 1)) throw new Error(`a wave needs windowMs >= 0 and maxItems >= 1, got ${JSON.stringify(options)}`);
    this.#send = send;
    this.#options = options;
  }

  take(step: Step, item: Item): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      let wave = this.#gathering.get(step);
      if (!wave) {
        wave = { waiting: [], timer: setTimeout(() => this.#goRound(step), this.#options.windowMs) };
        this.#gathering.set(step, wave);
      }
      wave.waiting.push({ item, since: Date.now(), resolve, reject });
      if (wave.waiting.length >= this.#options.maxItems) this.#goRound(step);
    });
  }

  #goRound(step: Step): void {
    const wave = this.#gathering.get(step);
    if (!wave) return;
    clearTimeout(wave.timer);
    this.#gathering.delete(step);
    const sentAt = Date.now();
    this.#send(
      step,
      wave.waiting.map((w) => w.item),
    ).then(
      (answers) =>
        wave.waiting.forEach((waiting, i) => {
          const answer = answers[i];
          if (!answer) waiting.reject(new Error(`the wave's answer has no outcome for its item ${i + 1}`));
          else if (answer.refusal) waiting.reject(domainErrorOf(answer.refusal.kind, answer.refusal.code, answer.refusal.message));
          else waiting.resolve(sentAt - waiting.since);
        }),
      // The wave failed as a whole (the service restarting): each item is retried on its own.
      (error: unknown) => wave.waiting.forEach((waiting) => waiting.reject(error)),
    );
  }
}
