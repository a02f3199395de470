import pg from "pg";

/**
 * What the services ask of Postgres, sampled each second from its statistics views:
 * commits per second in the run's database, and which service's connections are busy
 * (by application_name, which every service's pool sets to its name). Commits per
 * accepted order is the figure batching brings down. Also the server's checkpoints: one
 * starting is followed by a surge of full-page images in the WAL, which every commit
 * waits behind, so a report says how many started while it measured.
 */
export interface PostgresActivitySample {
  at: number;
  commits: number;
  rollbacks: number;
  /** Connections running a statement right now, by service. */
  active: Record<string, number>;
  /** Checkpoints the server has started since its statistics were reset: by time, and requested (WAL filled, or asked). */
  checkpoints: { timed: number; requested: number };
}

/** Postgres 17 moved the checkpointer's counts out of pg_stat_bgwriter. */
const checkpointQueries = {
  bgwriter: "SELECT checkpoints_timed AS timed, checkpoints_req AS requested FROM pg_stat_bgwriter",
  checkpointer: "SELECT num_timed AS timed, num_requested AS requested FROM pg_stat_checkpointer",
};

export class PostgresActivitySampler {
  readonly samples: PostgresActivitySample[] = [];
  readonly #client: pg.Client;
  readonly #database: string;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #checkpointQuery = checkpointQueries.bgwriter;

  constructor(serverUrl: string, database: string) {
    this.#client = new pg.Client({ connectionString: serverUrl, application_name: "oms-bench-sampler" });
    this.#client.on("error", () => {});
    this.#database = database;
  }

  async start(intervalMs = 1000): Promise<void> {
    await this.#client.connect();
    const { rows } = await this.#client.query<{ present: boolean }>("SELECT to_regclass('pg_catalog.pg_stat_checkpointer') IS NOT NULL AS present");
    if (rows[0]?.present) this.#checkpointQuery = checkpointQueries.checkpointer;
    this.#timer = setInterval(() => void this.#sample(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    while (this.#busy) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.#client.end().catch(() => {});
  }

  async #sample(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      // Statistics are per transaction snapshot unless cleared; read fresh numbers each time.
      await this.#client.query("SELECT pg_stat_clear_snapshot()");
      const totals = await this.#client.query<{ commits: string; rollbacks: string }>(
        "SELECT xact_commit AS commits, xact_rollback AS rollbacks FROM pg_stat_database WHERE datname = $1",
        [this.#database],
      );
      const checkpoints = await this.#client.query<{ timed: string; requested: string }>(this.#checkpointQuery);
      const active = await this.#client.query<{ name: string; busy: number }>(
        `SELECT coalesce(nullif(application_name, ''), usename::text, '?') AS name, count(*)::int AS busy
         FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid() GROUP BY 1`,
        [this.#database],
      );
      this.samples.push({
        at: Date.now(),
        commits: Number(totals.rows[0]?.commits ?? 0),
        rollbacks: Number(totals.rows[0]?.rollbacks ?? 0),
        active: Object.fromEntries(active.rows.map((r) => [r.name, r.busy])),
        checkpoints: { timed: Number(checkpoints.rows[0]?.timed ?? 0), requested: Number(checkpoints.rows[0]?.requested ?? 0) },
      });
    } catch {
      // A sample missed (Postgres busy or restarting) is only a gap in the series.
    } finally {
      this.#busy = false;
    }
  }

  /** Commits per second over [from, to], the share of busy-connection samples per service, and the checkpoints started in it. */
  summary(
    from: number,
    to: number,
  ): { commitsPerSecond: number; rollbacksPerSecond: number; busyShareByService: Record<string, number>; checkpointsStarted: { timed: number; requested: number } } {
    const within = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = within[0];
    const last = within.at(-1);
    const seconds = first && last && last.at > first.at ? (last.at - first.at) / 1000 : 0;
    const busy = new Map<string, number>();
    let total = 0;
    for (const s of within) {
      for (const [name, count] of Object.entries(s.active)) {
        busy.set(name, (busy.get(name) ?? 0) + count);
        total += count;
      }
    }
    return {
      commitsPerSecond: seconds ? Math.round((last!.commits - first!.commits) / seconds) : 0,
      rollbacksPerSecond: seconds ? Math.round((last!.rollbacks - first!.rollbacks) / seconds) : 0,
      busyShareByService: Object.fromEntries([...busy].sort((a, b) => b[1] - a[1]).map(([name, count]) => [name, Math.round((count / Math.max(1, total)) * 1000) / 10])),
      checkpointsStarted: {
        timed: first && last ? last.checkpoints.timed - first.checkpoints.timed : 0,
        requested: first && last ? last.checkpoints.requested - first.checkpoints.requested : 0,
      },
    };
  }
}
