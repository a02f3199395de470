import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { quoteIdentifier } from "./pool.ts";
import { withTransaction } from "./transaction.ts";

export interface Migration {
  /** Unique and ordered, e.g. "intake/001_orders" or "messaging/001_outbox". */
  id: string;
  sql: string;
}

/** Reads `NNN_name.sql` files of a folder as migrations, ids prefixed by `prefix/`. */
export async function migrationsFromDirectory(directory: string, prefix: string): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((f) => f.endsWith(".sql")).sort();
  return Promise.all(
    files.map(async (file) => ({ id: `${prefix}/${file.replace(/\.sql$/, "")}`, sql: await readFile(path.join(directory, file), "utf8") })),
  );
}

/**
 * Applies the migrations not yet applied to the service's schema, all of them in one
 * transaction: if one fails, none of this run's stays applied and the schema is left as
 * it was for the next start. An advisory lock held by that transaction, keyed by the schema,
 * makes concurrent replicas wait for each other instead of racing.
 */
export async function runMigrations(pool: pg.Pool, schema: string, migrations: Migration[]): Promise<string[]> {
  const table = `${quoteIdentifier(schema)}.schema_migrations`;
  const applied: string[] = [];
  await withTransaction(pool, async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`migrations:${schema}`]);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set((await tx.query<{ id: string }>(`SELECT id FROM ${table}`)).rows.map((r) => r.id));
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      try {
        await tx.query(migration.sql);
      } catch (error) {
        throw new Error(`migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query(`INSERT INTO ${table} (id) VALUES ($1)`, [migration.id]);
      applied.push(migration.id);
    }
  });
  return applied;
}
