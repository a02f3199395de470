import pg from "pg";

/**
 * Postgres settings a run changes for its own duration (`--pg-setting name=value`), with
 * ALTER SYSTEM and a reload, and puts back as they were at the end. The machine's
 * Postgres is shared (CI runs against it as a session leaves it), so nothing a run changes
 * may outlive it; and only settings a reload applies are taken, so a run never needs a
 * restart of the server under the other users' feet.
 *
 * Why a run needs this: the server's defaults suit a laptop, not a deployment. At 2,000
 * orders a second the system writes ~24 MB of WAL a second, and the default max_wal_size
 * (1 GB) starts a checkpoint every ~25 s — each followed by a surge of full-page images —
 * where a deployment sizes it so checkpoints come by time (docs/operations.md).
 */
export interface ServerSetting {
  name: string;
  value: string;
}

export interface AppliedSettings {
  /** "max_wal_size=16GB (was 1GB)", one per setting, for the report. */
  readonly described: string[];
  restore(): Promise<void>;
}

/** Settings a reload applies: the server's own (sighup) and every session's defaults (user, superuser). */
const reloadableContexts = new Set(["sighup", "user", "superuser"]);

export function parseServerSetting(raw: string): ServerSetting {
  const match = /^([a-z_][a-z0-9_.]*)=(.+)$/i.exec(raw.trim());
  if (!match) throw new Error(`--pg-setting must be name=value (e.g. max_wal_size=16GB), got "${raw}"`);
  return { name: match[1]!.toLowerCase(), value: match[2]! };
}

export async function applyServerSettings(serverUrl: string, settings: readonly ServerSetting[]): Promise<AppliedSettings> {
  if (settings.length === 0) return { described: [], restore: async () => {} };
  const client = await connect(serverUrl);
  const undo: string[] = [];
  const described: string[] = [];
  const previousValues = new Map<string, string>();
  try {
    for (const { name, value } of settings) {
      const known = await client.query<{ context: string; current: string }>(
        "SELECT context, current_setting(name) AS current FROM pg_settings WHERE name = $1",
        [name],
      );
      const row = known.rows[0];
      if (!row) throw new Error(`--pg-setting ${name}: Postgres has no such setting`);
      if (!reloadableContexts.has(row.context)) {
        throw new Error(`--pg-setting ${name}: Postgres applies it only on a restart (context ${row.context}); a run changes only settings a reload applies`);
      }
      const previous = await client.query<{ setting: string }>(
        "SELECT setting FROM pg_file_settings WHERE name = $1 AND sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno DESC LIMIT 1",
        [name],
      );
      const before = previous.rows[0]?.setting;
      // Postgres checks the value itself and refuses a bad one naming the setting.
      await client.query(`ALTER SYSTEM SET ${client.escapeIdentifier(name)} = ${client.escapeLiteral(value)}`);
      undo.unshift(before === undefined ? `ALTER SYSTEM RESET ${client.escapeIdentifier(name)}` : `ALTER SYSTEM SET ${client.escapeIdentifier(name)} = ${client.escapeLiteral(before)}`);
      described.push(`${name}=${value} (was ${row.current})`);
      previousValues.set(name, row.current);
    }
    await client.query("SELECT pg_reload_conf()");
    await untilSessionsSee(serverUrl, previousValues);
  } catch (error) {
    await undoAll(client, undo).finally(() => client.end().catch(() => {}));
    throw error;
  }
  await client.end();
  return {
    described,
    restore: async () => {
      const again = await connect(serverUrl);
      try {
        await undoAll(again, undo);
      } finally {
        await again.end().catch(() => {});
      }
    },
  };
}

/**
 * A reload is a signal the server handles in its own time: wait (at most 2 s) until a new
 * session sees each setting changed, so what the run describes and starts is under them.
 */
async function untilSessionsSee(serverUrl: string, previousValues: ReadonlyMap<string, string>): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline) {
    const fresh = await connect(serverUrl);
    try {
      const { rows } = await fresh.query<{ name: string; current: string }>(
        "SELECT name, current_setting(name) AS current FROM pg_settings WHERE name = ANY($1)",
        [[...previousValues.keys()]],
      );
      // A value set to what it already was never looks changed; the deadline ends that wait.
      if (rows.every((r) => r.current !== previousValues.get(r.name))) return;
    } finally {
      await fresh.end().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function connect(serverUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: serverUrl, application_name: "oms-bench-settings" });
  await client.connect();
  return client;
}

async function undoAll(client: pg.Client, statements: readonly string[]): Promise<void> {
  if (statements.length === 0) return;
  for (const statement of statements) await client.query(statement);
  await client.query("SELECT pg_reload_conf()");
}
