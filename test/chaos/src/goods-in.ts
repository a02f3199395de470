import type { HumanApi } from "../../support/human-api.ts";

/** A stock line goods can come in at. */
export interface StockLine {
  storeId: string;
  sku: string;
  location: string;
}

export interface GoodsInFigures {
  receipts: number;
  sends: number;
  retries: number;
  /** Sends that gave up after the retry budget (the receipt may or may not be booked: the invariant judges). */
  gaveUp: number;
}

const clerk = { kind: "staff", id: "chaos-goods-in", role: "warehouse-clerk" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A goods-in clerk working through the faults: every `everyMs` a delivery of a few units
 * comes in at a stock line, and its receipt is sent twice (a double click), each send
 * retried with the same receipt id until it is answered, as a clerk's app would after a
 * timeout. The stock invariant then holds every receipt to one booking and every unit
 * received to its receipt — with the warehouse killed, Postgres restarted and the broker
 * gone under it.
 */
export class GoodsInClerk {
  readonly #api: HumanApi;
  readonly #lines: readonly StockLine[];
  readonly #options: { everyMs: number; retryBudgetMs: number; runId: string };
  readonly #sending = new Set<Promise<void>>();
  readonly #figures: GoodsInFigures = { receipts: 0, sends: 0, retries: 0, gaveUp: 0 };
  #timer: NodeJS.Timeout | undefined;

  constructor(api: HumanApi, lines: readonly StockLine[], options: { everyMs: number; retryBudgetMs: number; runId: string }) {
    this.#api = api;
    this.#lines = lines;
    this.#options = options;
  }

  start(): void {
    if (this.#lines.length === 0 || this.#timer) return;
    this.#timer = setInterval(() => this.#deliver(), this.#options.everyMs);
  }

  /** No new deliveries; waits for the receipts on their way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all([...this.#sending]);
  }

  figures(): GoodsInFigures {
    return { ...this.#figures };
  }

  #deliver(): void {
    const n = this.#figures.receipts++;
    const line = this.#lines[n % this.#lines.length]!;
    const receipt = { ...line, receiptId: `${this.#options.runId}/goods-in/${n}`, quantity: 1 + (n % 5), caller: clerk };
    for (const delay of [0, 300]) {
      const sending = sleep(delay).then(() => this.#send(receipt));
      this.#sending.add(sending);
      void sending.finally(() => this.#sending.delete(sending));
    }
  }

  async #send(receipt: Parameters<HumanApi["warehouse"]["receiveStock"]>[0]): Promise<void> {
    const deadline = Date.now() + this.#options.retryBudgetMs;
    let delay = 200;
    this.#figures.sends++;
    for (;;) {
      try {
        await this.#api.warehouse.receiveStock(receipt);
        return;
      } catch {
        // Down, restarting, or its database is: the clerk sends the same receipt again.
        if (Date.now() + delay > deadline) {
          this.#figures.gaveUp++;
          return;
        }
        this.#figures.retries++;
        await sleep(delay);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }
}
