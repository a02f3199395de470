// The archive's own schema — its real migrations, provisioned as the service provisions it —
// through a backup and a restore: the dossier entries stay append-only, owned by
// oms_archive, and the service's role can still connect to the restored database.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup, restoreBackup, verifyBackup, type BackupManifest } from "@oms/infra";
import { messagingMigrations } from "@oms/messaging";
import { createPool, migrationsFromDirectory, provisionServiceSchema, quoteIdentifier, runMigrations, withDatabase } from "@oms/postgres";
import { createTestNamespace, testInfrastructure, type TestNamespace } from "@oms/testing";
import { timerMigrations } from "@oms/timers";

const archiveMigrationsDir = path.resolve(import.meta.dirname, "../../services/archive/src/adapters/pg/migrations");
const role = "oms_archive";

let namespace: TestNamespace;
let dir: string;
let backup: BackupManifest;
const restored = `oms_bk_restored_${randomBytes(5).toString("hex")}`;

/** A URL of the server as the archive service connects: its own role. */
function asArchive(url: string): string {
  const asRole = new URL(url);
  asRole.username = role;
  return asRole.toString();
}

async function asArchiveIn<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: asArchive(withDatabase(testInfrastructure().serverUrl, database)) });
  await client.connect();
  try {
    await client.query("SET search_path = archive");
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  namespace = await createTestNamespace();
  dir = mkdtempSync(path.join(tmpdir(), "oms-backup-archive-"));
  // As the service's start does it (packages/service-kit, runtime.ts).
  await provisionServiceSchema(namespace.databaseUrl, { schema: "archive", role });
  const pool = createPool({ url: asArchive(namespace.databaseUrl), schema: "archive", applicationName: "backup-spec" });
  try {
    await runMigrations(pool, "archive", [...messagingMigrations, ...timerMigrations, ...(await migrationsFromDirectory(archiveMigrationsDir, "archive"))]);
    await pool.query(
      `INSERT INTO dossiers (order_id, store_id, first_event_at, last_event_at, entry_count) VALUES ('o1', 's1', now(), now(), 1);
       INSERT INTO dossier_entries (event_id, order_id, store_id, event_type, producer, topic, occurred_at, correlation_id, causation_id,
                                    actor_kind, actor_id, actor_role, envelope_sealed, envelope_key_id)
       VALUES ('e1', 'o1', 's1', 'OrderAccepted', 'intake', 'oms.intake.order.v1', now(), 'c1', 'c1', 'system', 'intake', 'system', '\\x00', 'k1');`,
    );
  } finally {
    await pool.end();
  }
  backup = await createBackup({ adminUrl: testInfrastructure().serverUrl, database: new URL(namespace.databaseUrl).pathname.slice(1), dir, kafka: { brokers: ["127.0.0.1:1"], namespace: namespace.name } });
});

afterAll(async () => {
  const admin = new pg.Client({ connectionString: testInfrastructure().serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(restored)} WITH (FORCE)`).finally(() => admin.end());
  await namespace?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the archive's schema through a backup", () => {
  it("records its migrations and needs its role", () => {
    const archive = backup.schemas.find((s) => s.schema === "archive");
    expect(archive?.migrations).toEqual(expect.arrayContaining(["archive/001_dossiers", "archive/003_retention", "messaging/001_outbox_and_inbox"]));
    expect(archive?.tables).toEqual(expect.arrayContaining([{ table: "dossier_entries", rows: 1 }]));
    expect(backup.roles).toContain(role);
  });

  it("verifies", async () => {
    await expect(verifyBackup({ adminUrl: testInfrastructure().serverUrl, dir, name: backup.name })).resolves.toMatchObject({ ok: true });
  });

  it("restores with the entries append-only, owned by oms_archive, and the service able to connect", async () => {
    await restoreBackup({ adminUrl: testInfrastructure().serverUrl, dir, name: backup.name, database: restored });
    await asArchiveIn(restored, async (client) => {
      expect((await client.query("SELECT event_id FROM dossier_entries")).rows).toEqual([{ event_id: "e1" }]);
      await expect(client.query("DELETE FROM dossier_entries")).rejects.toThrow(/dossier entries are append-only: DELETE on dossier_entries refused/);
      await expect(client.query("UPDATE dossier_entries SET producer = 'x'")).rejects.toThrow(/append-only: UPDATE/);
      await expect(client.query("TRUNCATE dossier_entries")).rejects.toThrow(/append-only: TRUNCATE/);
      const notOwned = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'archive' AND tableowner <> $1", [role]);
      expect(notOwned.rows).toEqual([]);
    });
  });
});
