import pg from "pg";

/**
 * Keeps the run's database statistics where autovacuum keeps a working database's. The
 * run starts from empty tables, and this machine kind's Postgres runs with autovacuum off,
 * so nothing analyzes them: every connection keeps the plans it made while the tables
 * were empty — sequential scans, and hash joins over whole tables — for the whole run (a
 * 300-order run read the timeline sequentially 391 times, 2.2 million rows). In production
 * autovacuum analyzes a table each time it grows by a tenth and the cached plans are made
 * again; here the tables grow five-fold during a run, so the keeper analyzes when the
 * warm-up ends and then every `everyMs`, its own cost counted in Postgres's CPU like
 * autovacuum's would be.
 */
export class StatisticsKeeper {
  readonly #databaseUrl: string;
  readonly #everyMs: number;
  readonly #onError: (error: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #runs = 0;
  #totalMs = 0;

  constructor(databaseUrl: string, options: { everyMs: number; onError: (error: Error) => void }) {
    this.#databaseUrl = databaseUrl;
    this.#everyMs = options.everyMs;
    this.#onError = options.onError;
  }

  /** Analyzes now and then every `everyMs` until stopped. */
  start(): void {
    if (this.#timer) return;
    const pass = () => {
      this.#running = this.#analyze().catch((error: unknown) => this.#onError(error as Error));
    };
    pass();
    this.#timer = setInterval(pass, this.#everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** For the report; undefined when it never ran. */
  note(): string | undefined {
    if (this.#runs === 0) return undefined;
    return (
      `The database was analyzed when the warm-up ended and every ${this.#everyMs / 1000} s after (${this.#runs} times, ${this.#totalMs} ms in all): ` +
      "this machine's Postgres runs with autovacuum off, and without statistics every connection kept the sequential-scan plans it made while the tables were empty."
    );
  }

  async #analyze(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#databaseUrl, application_name: "oms-bench-analyze" });
    await client.connect();
    try {
      const started = performance.now();
      await client.query("ANALYZE");
      this.#runs += 1;
      this.#totalMs += Math.round(performance.now() - started);
    } finally {
      await client.end();
    }
  }
}
