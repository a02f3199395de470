// Reads what a backup records about a database — and what a restored copy holds — through
// one client, so that at backup time every read sees the exported snapshot.
import pg from "pg";
import type { BackupManifest, SchemaContents } from "./manifest.ts";

/** Every schema but Postgres' own: each service's, public, and any a DBA added. */
const userSchemas = `
  SELECT oid, nspname, nspowner, nspacl FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;

/** Each schema's ordinary tables with their row counts and applied migrations. */
export async function readSchemaContents(client: pg.ClientBase): Promise<SchemaContents[]> {
  const tables = await client.query<{ schema: string; table: string | null }>(
    `SELECT s.nspname AS schema, c.relname AS table
       FROM (${userSchemas}) s LEFT JOIN pg_class c ON c.relnamespace = s.oid AND c.relkind = 'r'
      ORDER BY s.nspname COLLATE "C", c.relname COLLATE "C"`,
  );
  const bySchema = new Map<string, SchemaContents>();
  for (const { schema, table } of tables.rows) {
    const contents = bySchema.get(schema) ?? { schema, tables: [], migrations: [] };
    bySchema.set(schema, contents);
    if (table === null) continue;
    // Any name Postgres allows (a DBA's "Reporting" schema too), quoted as Postgres quotes it:
    // @oms/postgres's quoteIdentifier takes only the lower-case names the services choose.
    const name = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`;
    // ONLY: a child table is counted as itself, not again in its parent.
    const count = await client.query<{ rows: string }>(`SELECT count(*) AS rows FROM ONLY ${name}`);
    contents.tables.push({ table, rows: Number(count.rows[0]!.rows) });
    if (table === "schema_migrations") {
      const ids = await client.query<{ id: string }>(`SELECT id FROM ${name} ORDER BY id COLLATE "C"`);
      contents.migrations = ids.rows.map((r) => r.id);
    }
  }
  return [...bySchema.values()];
}

/**
 * Roles that own or are granted anything in the database: schemas, tables, sequences,
 * functions, types, default privileges and the database itself. pg_dump writes their names
 * (OWNER TO, GRANT) but never creates them — roles belong to the cluster — so a restore
 * onto a server without them would fail half-way. PUBLIC (grantee 0) is no role.
 */
export async function readRolesNeeded(client: pg.ClientBase): Promise<string[]> {
  const result = await client.query<{ rolname: string }>(
    `WITH s AS (${userSchemas}),
     used(role) AS (
       SELECT nspowner FROM s
       UNION SELECT (aclexplode(nspacl)).grantee FROM s
       UNION SELECT relowner FROM pg_class c JOIN s ON c.relnamespace = s.oid
       UNION SELECT (aclexplode(relacl)).grantee FROM pg_class c JOIN s ON c.relnamespace = s.oid
       UNION SELECT proowner FROM pg_proc p JOIN s ON p.pronamespace = s.oid
       UNION SELECT (aclexplode(proacl)).grantee FROM pg_proc p JOIN s ON p.pronamespace = s.oid
       UNION SELECT typowner FROM pg_type t JOIN s ON t.typnamespace = s.oid
       UNION SELECT defaclrole FROM pg_default_acl
       UNION SELECT (aclexplode(defaclacl)).grantee FROM pg_default_acl
       -- The database's owner is whoever restores it, not a role the backup needs.
       UNION SELECT a.grantee FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = current_database() AND a.grantee <> d.datdba
     )
     SELECT r.rolname FROM pg_roles r WHERE r.oid IN (SELECT role FROM used) ORDER BY r.rolname COLLATE "C"`,
  );
  return result.rows.map((r) => r.rolname);
}

/** The database's own grants (CONNECT, TEMPORARY, CREATE) to named roles other than its owner. */
export async function readDatabaseGrants(client: pg.ClientBase): Promise<BackupManifest["databaseGrants"]> {
  const result = await client.query<{ role: string; privileges: string[] }>(
    `SELECT r.rolname AS role, array_agg(a.privilege_type ORDER BY a.privilege_type) AS privileges
       FROM pg_database d, aclexplode(d.datacl) a JOIN pg_roles r ON r.oid = a.grantee
      WHERE d.datname = current_database() AND a.grantee <> d.datdba
      GROUP BY r.rolname ORDER BY r.rolname COLLATE "C"`,
  );
  return result.rows;
}

/** The roles of `roles` the server does not have. */
export async function missingRoles(client: pg.ClientBase, roles: readonly string[]): Promise<string[]> {
  const present = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])", [roles]);
  const have = new Set(present.rows.map((r) => r.rolname));
  return roles.filter((role) => !have.has(role));
}
