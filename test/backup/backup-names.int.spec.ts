import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackup, restoreBackup, verifyBackup, type BackupManifest } from "@oms/infra";
import { createBackupFixture, type BackupFixture } from "./backup-fixture.ts";

/**
 * Names the services never choose but Postgres allows — a DBA's schema and table in
 * capitals and with '-', a role with '-' granted CONNECT, a --database with capitals —
 * are backed up, verified and restored like any other.
 */
let fixture: BackupFixture;
let backup: BackupManifest;
const suffix = randomBytes(4).toString("hex");
const reader = `oms-bk-${suffix}-reader`;
const restoredDatabase = `Oms_Bk_Restored-${suffix}`;

beforeAll(async () => {
  fixture = await createBackupFixture();
  await fixture.query("postgres", `CREATE ROLE "${reader}"`);
  await fixture.query(
    fixture.database,
    `CREATE SCHEMA "Reporting" AUTHORIZATION "${fixture.roles.a}";
     CREATE TABLE "Reporting"."Sales-2026" (id int PRIMARY KEY);
     ALTER TABLE "Reporting"."Sales-2026" OWNER TO "${fixture.roles.a}";
     INSERT INTO "Reporting"."Sales-2026" VALUES (1), (2), (3);
     GRANT CONNECT ON DATABASE "${fixture.database}" TO "${reader}";`,
  );
  backup = await createBackup({ adminUrl: fixture.serverUrl, database: fixture.database, dir: fixture.dir, kafka: { brokers: ["127.0.0.1:1"], namespace: "" } });
});

afterAll(async () => {
  await fixture?.query("postgres", `DROP DATABASE IF EXISTS "${restoredDatabase}" WITH (FORCE)`);
  await fixture?.drop();
  // After the databases that grant it CONNECT are gone.
  await fixture?.query("postgres", `DROP ROLE IF EXISTS "${reader}"`).catch(() => {});
});

describe("names outside the services' own lower-case ones", () => {
  it("are counted in the manifest, verified, and restored with the database's grant to the role", async () => {
    expect(backup.schemas.find((s) => s.schema === "Reporting")?.tables).toEqual([{ table: "Sales-2026", rows: 3 }]);
    expect(backup.databaseGrants).toContainEqual({ role: reader, privileges: ["CONNECT"] });
    await expect(verifyBackup({ adminUrl: fixture.serverUrl, dir: fixture.dir, name: backup.name })).resolves.toMatchObject({ ok: true });

    await restoreBackup({ adminUrl: fixture.serverUrl, dir: fixture.dir, name: backup.name, database: restoredDatabase });
    expect(await fixture.query(restoredDatabase, `SELECT count(*)::int AS n FROM "Reporting"."Sales-2026"`)).toEqual([{ n: 3 }]);
    // Named in the database's own grants (PUBLIC's default CONNECT would not show that it was given back).
    const granted = await fixture.query<{ role: string }>(
      "postgres",
      "SELECT pg_get_userbyid(a.grantee) AS role FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = $1 AND a.privilege_type = 'CONNECT'",
      [restoredDatabase],
    );
    expect(granted.map((g) => g.role)).toContain(reader);
  });
});
