import pg from "pg";

/**
 * Keeps the run's database statistics where autovacuum keeps a working database's. The
 * run starts from empty tables, and this machine kind's Postgres runs with autovacuum off,
 * so nothing analyzes them: every connection keeps the plans it made while the tables
 * were empty — sequential scans, and hash joins over whole tables — for the whole run (a
 * 300-order run read the timeline sequentially 391 times, 2.2 million rows). In production
 * autovacuum analyzes a table each time a tenth of it has changed and the cached plans
 * are made again; the keeper does what autovacuum would, halfway through the warm-up and
 * then every `everyMs` (autovacuum's naptime, the least time between its rounds in a
 * database): by autovacuum's rule (50 rows plus a tenth of the table changed since its
 * last analysis) and at its pace (its default cost delay), table by table. Its cost counts
 * in Postgres's CPU as autovacuum's would. The first pass, the one a working database
 * never needs (its tables were analyzed long ago), and every connection's plans made again
 * after it, held intake up at the start of the measured window when it came at the
 * warm-up's end (p50 139 ms in that second at 1,000/s, 14 ms without); an unthrottled
 * ANALYZE of the whole database stalled intake for three seconds; rounds every 15 s, four
 * times autovacuum's rate, each made intake at 2,000/s fall short for a second
 * (docs/performance.md).
 */
export const autovacuumNaptimeMs = 60_000;

export class StatisticsKeeper {
  readonly #databaseUrl: string;
  readonly #everyMs: number;
  readonly #onError: (error: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> = Promise.resolve();
  #runs = 0;
  #totalMs = 0;
  #tables = 0;

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
      `The database was analyzed as autovacuum would (by its rule and at its pace) halfway through the warm-up and every ${this.#everyMs / 1000} s after ` +
      `(${this.#runs} passes, ${this.#tables} tables analyzed, ${this.#totalMs} ms in all): ` +
      "this machine's Postgres runs with autovacuum off, and without statistics every connection kept the sequential-scan plans it made while the tables were empty."
    );
  }

  async #analyze(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#databaseUrl, application_name: "oms-bench-analyze" });
    await client.connect();
    try {
      const started = performance.now();
      // autovacuum's defaults: autovacuum_vacuum_cost_delay 2 ms, the cost limit 200, and
      // autovacuum_analyze_threshold 50 + autovacuum_analyze_scale_factor 0.1.
      await client.query("SET vacuum_cost_delay = '2ms'");
      await client.query("SET vacuum_cost_limit = 200");
      const due = await client.query<{ name: string }>(
        `SELECT format('%I.%I', s.schemaname, s.relname) AS name
         FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
         WHERE s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0)`,
      );
      for (const { name } of due.rows) await client.query(`ANALYZE ${name}`);
      this.#runs += 1;
      this.#tables += due.rows.length;
      this.#totalMs += Math.round(performance.now() - started);
    } finally {
      await client.end();
    }
  }
}
