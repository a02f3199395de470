import pg from "pg";
import { quoteIdentifier } from "./pool.ts";

/**
 * Creates a service's role and schema with the admin connection. The role owns its
 * schema and is granted nothing else, so a service cannot read or write another
 * service's tables (ARCHITECTURE.md: each service owns one schema).
 */
export async function provisionServiceSchema(adminUrl: string, names: { schema: string; role: string }): Promise<void> {
  const schema = quoteIdentifier(names.schema);
  const role = quoteIdentifier(names.role);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // Two services may provision at once; the lock keeps CREATE ROLE from racing.
    await client.query("SELECT pg_advisory_lock(hashtext('oms:provisioning'))");
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [names.role]);
    if (exists.rowCount === 0) await client.query(`CREATE ROLE ${role} LOGIN`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${role}`);
    await client.query(`ALTER SCHEMA ${schema} OWNER TO ${role}`);
    // Nobody but the owner may create objects in public (Postgres 15 already does this).
    await client.query("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    const database = (await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]!.db;
    await client.query(`GRANT CONNECT ON DATABASE ${quoteIdentifier(database)} TO ${role}`);
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('oms:provisioning'))").catch(() => {});
    await client.end();
  }
}
