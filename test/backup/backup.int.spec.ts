import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { physicalTopic, Topics } from "@oms/contracts";
import {
  backupFiles,
  BackupMismatchError,
  createBackup,
  DatabaseExistsError,
  listBackups,
  MissingRolesError,
  pruneBackups,
  readManifest,
  restoreBackup,
  verifyBackup,
  type BackupManifest,
} from "@oms/infra";
import { testInfrastructure } from "@oms/testing";
import { createBackupFixture, type BackupFixture } from "./backup-fixture.ts";

let fixture: BackupFixture;
let backup: BackupManifest;
const scratchDirs: string[] = [];

beforeAll(async () => {
  fixture = await createBackupFixture();
  backup = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir: fixture.dir, kafka: { brokers: testInfrastructure().kafkaBrokers, namespace: fixture.namespace.name } });
});
afterAll(async () => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
  await fixture?.drop();
});

/** A copy of the backup in a folder of its own, to tamper with without touching the original. */
function copyOfBackup(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-backup-copy-"));
  scratchDirs.push(dir);
  for (const file of [backupFiles(fixture.dir, backup.name).dump, backupFiles(fixture.dir, backup.name).manifest]) cpSync(file, path.join(dir, path.basename(file)));
  return dir;
}

/** This process's verify scratch databases: another spec file's verify may run at the same time. */
async function verifyDatabases(): Promise<string[]> {
  return (await fixture.query<{ datname: string }>("postgres", "SELECT datname FROM pg_database WHERE datname LIKE $1", [`oms\\_backup\\_verify\\_${process.pid}\\_%`])).map((r) => r.datname);
}

describe("creating a backup", () => {
  it("writes the dump and a manifest with every schema's tables, rows and migrations, and the roles they need", async () => {
    const bySchema = Object.fromEntries(backup.schemas.map((s) => [s.schema, s]));
    expect(bySchema.archive).toEqual({
      schema: "archive",
      tables: [{ table: "dossier_entries", rows: 5 }, { table: "schema_migrations", rows: 2 }],
      migrations: ["archive/001_dossiers", "messaging/001_outbox_and_inbox"],
    });
    expect(bySchema.billing!.tables).toEqual([{ table: "invoices", rows: 2 }, { table: "schema_migrations", rows: 1 }]);
    expect(bySchema.billing!.migrations).toEqual(["billing/001_invoices"]);
    expect(backup.roles).toEqual(expect.arrayContaining([fixture.roles.a, fixture.roles.b]));
    // The database's owner (the admin who created it) is whoever restores: not a role it needs.
    const [{ owner }] = (await fixture.query<{ owner: string }>("postgres", "SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [fixture.database])) as [{ owner: string }];
    expect(backup.roles).not.toContain(owner);
    expect(backup.databaseGrants.map((g) => g.role)).not.toContain(owner);
    expect(backup.databaseGrants).toEqual(expect.arrayContaining([{ role: fixture.roles.a, privileges: ["CONNECT"] }]));
    expect(backup.database).toBe(fixture.database);
    expect(backup.serverVersion).toMatch(/^\d+/);
    expect(backup.dump.bytes).toBeGreaterThan(0);
    expect(backup.dump.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Nothing left under a temporary name.
    expect(readdirSync(fixture.dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("records the system's consumer groups' committed offsets (not an analytics team's on the same topic) and the topics' end offsets", () => {
    if (!backup.kafka.reachable) throw new Error(`Kafka was recorded as unreachable: ${backup.kafka.error}`);
    const orders = physicalTopic(Topics.intakeOrder, fixture.namespace.name);
    expect(backup.kafka.consumerGroups).toEqual([{ group: fixture.group, topics: [{ topic: orders, partitions: [{ partition: 0, offset: "1" }] }] }]);
    expect(backup.kafka.consumerGroups.map((g) => g.group)).not.toContain(fixture.foreignGroup);
    const ends = backup.kafka.topicEnds.find((t) => t.topic === orders);
    expect(ends?.partitions.find((p) => p.partition === 0)?.offset).toBe("2");
    // Every topic of the namespace (events and dead letters), none of another run's.
    expect(backup.kafka.topicEnds.every((t) => t.topic.startsWith(`${fixture.namespace.name}.`))).toBe(true);
    expect(backup.kafka.topicEnds.length).toBe(Object.keys(Topics).length * 2);
  });

  it("lets only its own user read the dump and the manifest, and makes a new folder that only it can enter", async () => {
    const parent = mkdtempSync(path.join(tmpdir(), "oms-backup-modes-"));
    scratchDirs.push(parent);
    const dir = path.join(parent, "backups");
    const manifest = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir, kafka: { brokers: ["127.0.0.1:1"], namespace: "" } });
    const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);
    expect(modeOf(dir)).toBe("700");
    expect(modeOf(backupFiles(dir, manifest.name).dump)).toBe("600");
    expect(modeOf(backupFiles(dir, manifest.name).manifest)).toBe("600");
  });

  it("does not fail when Kafka is unreachable: the manifest says so", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "oms-backup-nokafka-"));
    scratchDirs.push(dir);
    const manifest = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir, kafka: { brokers: ["127.0.0.1:1"], namespace: fixture.namespace.name } });
    expect(manifest.kafka).toMatchObject({ reachable: false, brokers: ["127.0.0.1:1"] });
    expect((await readManifest(dir, manifest.name)).schemas).toEqual(backup.schemas);
  });
});

describe("verifying a backup", () => {
  it("passes, records it, and list shows it verified; no scratch database is left", async () => {
    const before = await verifyDatabases();
    const record = await verifyBackup({ adminUrl: fixture.serverUrl, dir: fixture.dir, name: backup.name });
    expect(record).toMatchObject({ ok: true, differences: [] });
    const [listed] = await listBackups(fixture.dir);
    expect(listed?.manifest.name).toBe(backup.name);
    expect(listed?.verification?.ok).toBe(true);
    expect(await verifyDatabases()).toEqual(before);
  });

  it("fails on a tampered dump, naming the checksum, and records the failure", async () => {
    const dir = copyOfBackup();
    const dump = backupFiles(dir, backup.name).dump;
    const bytes = readFileSync(dump);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(dump, bytes);
    const failure = await verifyBackup({ adminUrl: fixture.serverUrl, dir, name: backup.name }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BackupMismatchError);
    expect((failure as Error).message).toMatch(/checksum: .*\.dump has sha256 [0-9a-f]{64}, the manifest says/);
    const [listed] = await listBackups(dir);
    expect(listed?.verification).toMatchObject({ ok: false });
  });

  it("fails when the manifest's counts differ from what the dump restores, naming the table; the scratch database is dropped", async () => {
    const dir = copyOfBackup();
    const manifestFile = backupFiles(dir, backup.name).manifest;
    const edited = JSON.parse(readFileSync(manifestFile, "utf8")) as BackupManifest;
    edited.schemas.find((s) => s.schema === "billing")!.tables.find((t) => t.table === "invoices")!.rows = 3;
    writeFileSync(manifestFile, JSON.stringify(edited));
    const before = await verifyDatabases();
    await expect(verifyBackup({ adminUrl: fixture.serverUrl, dir, name: backup.name })).rejects.toThrow(/table billing\.invoices: 3 rows in the manifest, 2 restored/);
    expect(await verifyDatabases()).toEqual(before);
  });
});

describe("a verify that cannot restore", () => {
  it("records the failure, so list no longer shows the backup verified", async () => {
    const dir = copyOfBackup();
    await verifyBackup({ adminUrl: fixture.serverUrl, dir, name: backup.name });
    const manifestFile = backupFiles(dir, backup.name).manifest;
    const edited = JSON.parse(readFileSync(manifestFile, "utf8")) as BackupManifest;
    edited.roles.push("oms_bk_no_such_role");
    writeFileSync(manifestFile, JSON.stringify(edited));
    await expect(verifyBackup({ adminUrl: fixture.serverUrl, dir, name: backup.name })).rejects.toThrow(/no role oms_bk_no_such_role/);
    const [listed] = await listBackups(dir);
    expect(listed?.verification).toMatchObject({ ok: false, differences: [expect.stringMatching(/^restore: .*oms_bk_no_such_role/)] });
  });
});

describe("restoring a backup", () => {
  it("reproduces rows, owners, grants and the append-only trigger in a new database", async () => {
    const database = fixture.newDatabaseName();
    await fixture.query(fixture.database, "INSERT INTO billing.invoices VALUES (3)"); // after the backup: not restored
    await restoreBackup({ adminUrl: fixture.serverUrl, dir: fixture.dir, name: backup.name, database });

    expect(await fixture.query(database, "SELECT id FROM billing.invoices ORDER BY id")).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await fixture.query(database, "SELECT count(*)::int AS n FROM archive.dossier_entries")).toEqual([{ n: 5 }]);
    const owners = await fixture.query<{ owner: string; name: string }>(
      database,
      `SELECT n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner FROM pg_namespace n WHERE n.nspname IN ('archive', 'billing')
       UNION ALL SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.relname IN ('dossier_entries', 'invoices') ORDER BY 1`,
    );
    expect(owners).toEqual([
      { name: "archive", owner: fixture.roles.a },
      { name: "billing", owner: fixture.roles.b },
      { name: "dossier_entries", owner: fixture.roles.a },
      { name: "invoices", owner: fixture.roles.b },
    ]);
    await expect(fixture.query(database, "DELETE FROM archive.dossier_entries WHERE event_id = 'e1'")).rejects.toThrow(/dossier entries are append-only: DELETE/);
    expect(await fixture.query(database, "SELECT has_table_privilege($1, 'archive.dossier_entries', 'SELECT') AS can", [fixture.roles.b])).toEqual([{ can: true }]);
    expect(await fixture.query(database, "SELECT has_table_privilege($1, 'archive.dossier_entries', 'INSERT') AS can", [fixture.roles.b])).toEqual([{ can: false }]);
    const connect = await fixture.query<{ datacl: string }>("postgres", "SELECT datacl::text FROM pg_database WHERE datname = $1", [database]);
    expect(connect[0]!.datacl).toContain(`${fixture.roles.a}=c/`);
  });

  it("refuses a database that exists, naming it, and leaves it alone", async () => {
    await expect(restoreBackup({ adminUrl: fixture.serverUrl, dir: fixture.dir, name: backup.name, database: fixture.database })).rejects.toThrow(DatabaseExistsError);
    await expect(restoreBackup({ adminUrl: fixture.serverUrl, dir: fixture.dir, name: backup.name, database: fixture.database })).rejects.toThrow(
      new RegExp(`database ${fixture.database} already exists`),
    );
    expect(await fixture.query(fixture.database, "SELECT count(*)::int AS n FROM billing.invoices")).toEqual([{ n: 3 }]);
  });

  it("refuses when the server lacks a role the backup needs, naming it, and creates nothing", async () => {
    const dir = copyOfBackup();
    const manifestFile = backupFiles(dir, backup.name).manifest;
    const edited = JSON.parse(readFileSync(manifestFile, "utf8")) as BackupManifest;
    edited.roles.push("oms_bk_no_such_role");
    writeFileSync(manifestFile, JSON.stringify(edited));
    const database = fixture.newDatabaseName();
    const failure = restoreBackup({ adminUrl: fixture.serverUrl, dir, name: backup.name, database });
    await expect(failure).rejects.toThrow(MissingRolesError);
    await expect(failure).rejects.toThrow(/no role oms_bk_no_such_role/);
    expect(await fixture.query("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [database])).toEqual([]);
  });
});

describe("pruning backups", () => {
  it("removes backups older than the days kept, but keeps the newest", async () => {
    const dir = copyOfBackup();
    const newer = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir, kafka: { brokers: ["127.0.0.1:1"], namespace: "" } });
    // What a killed run left (its process is gone), and what a running one is writing (ours).
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(path.join(dir, `${newer.name}.dump.tmp-${deadPid}`), "half");
    writeFileSync(path.join(dir, `x.dump.tmp-${process.pid}`), "being written");
    const inAYear = new Date(Date.now() + 365 * 86_400_000);
    const { removed, kept, leftovers } = await pruneBackups(dir, { keepDays: 30 }, inAYear);
    expect(removed).toEqual([backup.name]);
    expect(kept).toEqual([newer.name]);
    expect(leftovers).toEqual([`${newer.name}.dump.tmp-${deadPid}`]);
    expect(existsSync(path.join(dir, `x.dump.tmp-${process.pid}`))).toBe(true);
    expect(existsSync(backupFiles(dir, backup.name).dump)).toBe(false);
    expect(existsSync(backupFiles(dir, newer.name).dump)).toBe(true);
    expect((await listBackups(dir)).map((b) => b.manifest.name)).toEqual([newer.name]);
  });
});
