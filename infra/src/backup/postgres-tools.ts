// The machine's PostgreSQL client tools, and the scratch and target databases they work on.
// pg_dump and pg_restore rather than our own SQL: they know every kind of object, owner and
// grant, and their custom format restores in dependency order.
import { spawn } from "node:child_process";
import pg from "pg";
import { redactUrl, withDatabase } from "@oms/postgres";
import { toolConnection } from "./tool-connection.ts";

/** Dumps `databaseUrl` as seen by an exported snapshot into `file` (custom format, compressed). */
export function dumpSnapshot(databaseUrl: string, snapshotId: string, file: string): Promise<void> {
  return runTool("pg_dump", ["--format=custom", `--snapshot=${snapshotId}`, `--file=${file}`], databaseUrl);
}

/**
 * Restores a dump into an existing, empty database, owners and grants as dumped (the
 * roles must exist). One transaction that stops at the first error: a failed restore
 * leaves nothing half-loaded.
 */
export function restoreDump(file: string, databaseUrl: string): Promise<void> {
  return runTool("pg_restore", ["--exit-on-error", "--single-transaction", file], databaseUrl);
}

/** Runs `tool` on `databaseUrl`, its password in the child's environment rather than its arguments. */
function runTool(tool: string, args: string[], databaseUrl: string): Promise<void> {
  const { dbname, env } = toolConnection(databaseUrl);
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [`--dbname=${dbname}`, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once("error", (error) => reject(new Error(`${tool} could not run (is the PostgreSQL client on PATH?): ${error.message}`)));
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      // The URL may carry a password; the tool's own messages do not.
      else reject(new Error(`${tool} on ${redactUrl(databaseUrl)} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}

/** Runs `work` with a client on `database` of the server of `adminUrl`. */
export async function withClient<T>(adminUrl: string, database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(adminUrl, database), application_name: "oms-backup" });
  // An error after connect (the server going away) must reject the work, not crash the process.
  client.on("error", () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export class DatabaseExistsError extends Error {
  override readonly name = "DatabaseExistsError";
}

/**
 * Creates an empty database from template0 (nothing a DBA added to template1 can collide
 * with the dump). CREATE DATABASE itself refuses a name that exists, so two restores racing
 * for one name cannot both get it.
 */
export async function createEmptyDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, "postgres", async (client) => {
    try {
      // --database takes capitals and '-' too: quoted as Postgres quotes any name.
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)} TEMPLATE template0`);
      unfinishedDatabases.set(database, adminUrl);
    } catch (error) {
      const code = (error as { code?: string }).code;
      // duplicate_database, or a unique violation on pg_database when two create at once.
      if (code === "42P04" || code === "23505") throw new DatabaseExistsError(`database ${database} already exists on ${redactUrl(adminUrl)}: a restore never writes into an existing database; name a new one`);
      throw error;
    }
  });
}

export async function databaseExists(adminUrl: string, database: string): Promise<boolean> {
  return withClient(adminUrl, "postgres", async (client) => (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount === 1);
}

/** Drops a database this command created, ending any session on it first. */
export async function dropCreatedDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, "postgres", (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`));
  unfinishedDatabases.delete(database);
}

/**
 * Databases this process created and has neither finished nor dropped: a scratch copy
 * being verified, a restore under way. Kept so that an interrupted command (Ctrl-C, a
 * timer's stop) can drop them instead of leaving a half-made database behind.
 */
const unfinishedDatabases = new Map<string, string>();

/** A restored database is complete: an interruption from now on must leave it. */
export function markDatabaseFinished(database: string): void {
  unfinishedDatabases.delete(database);
}

export async function dropUnfinishedDatabases(): Promise<string[]> {
  const dropped: string[] = [];
  for (const [database, adminUrl] of [...unfinishedDatabases]) {
    await dropCreatedDatabase(adminUrl, database);
    dropped.push(database);
  }
  return dropped;
}
