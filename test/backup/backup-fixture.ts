// A small OMS-like database for the backup specs: two schemas, each owned by its own role
// as provisioning makes them, rows, recorded migrations, an append-only trigger like the
// archive's and a grant across schemas. Everything it makes — the namespace's database and
// topics, the roles, the backup folder, databases a spec restored — goes in `drop`.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { physicalTopic, Topics } from "@oms/contracts";
import { quoteIdentifier, withDatabase } from "@oms/postgres";
import { createTestNamespace, testInfrastructure, testKafka, type TestNamespace } from "@oms/testing";

export interface BackupFixture {
  namespace: TestNamespace;
  /** The namespace's database: the "OMS database" backed up. */
  database: string;
  serverUrl: string;
  roles: { a: string; b: string };
  dir: string;
  /** The system's consumer group given committed offsets on the namespace's order topic. */
  group: string;
  /** An analytics team's group with offsets on the same topic: not the system's, never recorded. */
  foreignGroup: string;
  /** A database a spec restores into; dropped with the fixture. */
  newDatabaseName(): string;
  query<T extends pg.QueryResultRow>(database: string, sql: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createBackupFixture(): Promise<BackupFixture> {
  const namespace = await createTestNamespace();
  const { serverUrl } = testInfrastructure();
  const database = new URL(namespace.databaseUrl).pathname.slice(1);
  const suffix = randomBytes(4).toString("hex");
  const roles = { a: `oms_bk_${suffix}_a`, b: `oms_bk_${suffix}_b` };
  const dir = mkdtempSync(path.join(tmpdir(), "oms-backups-"));
  const restored: string[] = [];

  const query = async <T extends pg.QueryResultRow>(db: string, sql: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: withDatabase(serverUrl, db) });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };

  const [a, b] = [quoteIdentifier(roles.a), quoteIdentifier(roles.b)];
  const group = physicalTopic("archive", namespace.name);
  const foreignGroup = physicalTopic("analytics-dashboard", namespace.name);
  const kafka = testKafka("oms-backup-spec");
  const drop = async () => {
    const groupAdmin = kafka.admin();
    await groupAdmin.connect();
    // Every group of the namespace: a spec's reset-offsets commits for all the system's groups.
    const namespaceGroups = (await groupAdmin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(`${namespace.name}.`));
    await groupAdmin.deleteGroups([...new Set([group, foreignGroup, ...namespaceGroups])]).catch(() => {});
    await groupAdmin.disconnect();
    for (const name of restored) await query("postgres", `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    await namespace.drop();
    // Last: a role that still owns objects in some database cannot be dropped.
    await query("postgres", `DROP ROLE IF EXISTS ${a}`);
    await query("postgres", `DROP ROLE IF EXISTS ${b}`);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await query("postgres", `CREATE ROLE ${a} LOGIN`);
    await query("postgres", `CREATE ROLE ${b} LOGIN`);
    await query(
      database,
      `CREATE SCHEMA archive AUTHORIZATION ${a};
       CREATE SCHEMA billing AUTHORIZATION ${b};
       GRANT CONNECT ON DATABASE ${quoteIdentifier(database)} TO ${a}, ${b};
       SET ROLE ${a};
       CREATE TABLE archive.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
       INSERT INTO archive.schema_migrations (id) VALUES ('messaging/001_outbox_and_inbox'), ('archive/001_dossiers');
       CREATE TABLE archive.dossier_entries (event_id text PRIMARY KEY, body text NOT NULL);
       INSERT INTO archive.dossier_entries SELECT 'e' || n, 'entry ' || n FROM generate_series(1, 5) n;
       CREATE FUNCTION archive.refuse_dossier_entry_change() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'dossier entries are append-only: % on dossier_entries refused', TG_OP; END $$;
       CREATE TRIGGER dossier_entries_append_only BEFORE UPDATE OR DELETE ON archive.dossier_entries
         FOR EACH ROW EXECUTE FUNCTION archive.refuse_dossier_entry_change();
       GRANT USAGE ON SCHEMA archive TO ${b};
       GRANT SELECT ON archive.dossier_entries TO ${b};
       RESET ROLE;
       SET ROLE ${b};
       CREATE TABLE billing.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
       INSERT INTO billing.schema_migrations (id) VALUES ('billing/001_invoices');
       CREATE TABLE billing.invoices (id int PRIMARY KEY);
       INSERT INTO billing.invoices VALUES (1), (2);
       RESET ROLE;`,
    );

    // A consumer group of the namespace with a committed offset, as a service's would have.
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: physicalTopic(Topics.intakeOrder, namespace.name), messages: [{ key: "o1", value: "x", partition: 0 }, { key: "o2", value: "y", partition: 0 }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.setOffsets({ groupId: group, topic: physicalTopic(Topics.intakeOrder, namespace.name), partitions: [{ partition: 0, offset: "1" }] });
    await admin.setOffsets({ groupId: foreignGroup, topic: physicalTopic(Topics.intakeOrder, namespace.name), partitions: [{ partition: 0, offset: "2" }] });
    await admin.disconnect();
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }

  return {
    namespace,
    database,
    serverUrl,
    roles,
    dir,
    group,
    foreignGroup,
    newDatabaseName: () => {
      const name = `oms_bk_restored_${randomBytes(5).toString("hex")}`;
      restored.push(name);
      return name;
    },
    query,
    drop,
  };
}
