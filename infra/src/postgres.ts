import { execSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import pg from "pg";
import { quoteIdentifier, redactUrl, withDatabase } from "@oms/postgres";

type Log = (message: string) => void;

const localHosts = new Set(["127.0.0.1", "localhost", "::1", "[::1]", ""]);

/** Undefined when Postgres answers `SELECT 1` at `url`; otherwise why not. Starts nothing. */
export async function checkPostgres(url: string): Promise<Error | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  // An error after connect (server shutting down) must not crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return error as Error;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Makes sure Postgres answers at `adminUrl`. A local server that is installed but stopped
 * is started with the machine's own cluster tool; anything else is a clear error.
 */
export async function ensurePostgres(adminUrl: string, log: Log = () => {}): Promise<void> {
  let error = await checkPostgres(adminUrl);
  if (!error) return;
  const where = redactUrl(adminUrl);
  // Only a refused connection means "not running": a wrong database or role would not be
  // cured by starting the server, and retrying it for 30 s would only hide the cause.
  const cluster = isConnectionRefused(error) && localHosts.has(new URL(adminUrl).hostname) ? localCluster() : undefined;
  if (cluster) {
    log(`Postgres is not answering at ${where}; starting the local cluster ${cluster}/main`);
    const started = spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", cluster, "main", "start"], { encoding: "utf8" });
    // A failed start (or "already running": then the URL's port is not that cluster's) will
    // not answer later either.
    const deadline = started.status === 0 ? Date.now() + 30_000 : 0;
    while (Date.now() < deadline) {
      error = await checkPostgres(adminUrl);
      if (!error) return;
      await sleep(500);
    }
    const output = `${started.stdout ?? ""}${started.stderr ?? ""}`.trim();
    if (output) log(`pg_ctlcluster said: ${output}`);
  }
  const hint = isConnectionRefused(error) ? "Start it, or set DATABASE_URL to a server you can use." : "Check DATABASE_URL.";
  throw new Error(`cannot use Postgres at ${where}: ${describeError(error)}. ${hint}`);
}

/** Creates the database on the server of `adminUrl` if it does not exist. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  // Through the always-present `postgres` database: `adminUrl` may name the one to create.
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, "postgres") });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
      } catch (error) {
        // Two processes creating it at once (duplicate_database, or a unique violation on
        // pg_database when both pass the check together): the other one won, which is fine.
        const code = (error as { code?: string }).code;
        if (code !== "42P04" && code !== "23505") throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/** Drops a database if it exists, ending its sessions first (a leftover service or test). */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, "postgres") });
  await client.connect();
  try {
    // WITH (FORCE) (Postgres 13+) terminates the backends and drops in one statement, so no
    // new session can slip in between.
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export function hasCommand(command: string): boolean {
  try {
    execSync(`command -v ${command}`, { stdio: "ignore", shell: "/bin/sh" });
    return true;
  } catch {
    return false;
  }
}

/** Node reports a refused connection to a name with two addresses as an AggregateError. */
export function isConnectionRefused(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ENOENT") return true;
  return error instanceof AggregateError && error.errors.some(isConnectionRefused);
}

/** An AggregateError's own message is empty; its parts say what happened. */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message) return error.errors.map(describeError).join("; ");
  const { message, code } = error as { message?: string; code?: string };
  return message || code || String(error);
}

/** The newest Debian-style cluster version installed (`/etc/postgresql/<version>/main`). */
function localCluster(): string | undefined {
  if (!existsSync("/etc/postgresql") || !hasCommand("pg_ctlcluster")) return undefined;
  const versions = readdirSync("/etc/postgresql").filter((version) => existsSync(`/etc/postgresql/${version}/main`));
  return versions.sort((a, b) => Number(a) - Number(b)).at(-1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
