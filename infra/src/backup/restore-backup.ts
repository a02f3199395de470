// `backup verify` and `backup restore`: both restore a dump into a database of their own
// making and hold what came back against the manifest; verify then drops it, restore keeps it.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { withDatabase } from "@oms/postgres";
import { backupFiles, readManifest, sha256OfFile, writeJsonInPlace } from "./backup-folder.ts";
import { missingRoles, readSchemaContents } from "./database-contents.ts";
import { differencesFromManifest, type BackupManifest, type VerificationRecord } from "./manifest.ts";
import { createEmptyDatabase, databaseExists, DatabaseExistsError, dropCreatedDatabase, markDatabaseFinished, restoreDump, withClient } from "./postgres-tools.ts";

/** A backup that does not hold what its manifest says; the message names every difference. */
export class BackupMismatchError extends Error {
  override readonly name = "BackupMismatchError";
  readonly differences: string[];
  constructor(backup: string, differences: string[]) {
    super(`backup ${backup} does not match its manifest:\n  ${differences.join("\n  ")}`);
    this.differences = differences;
  }
}

/** The server lacks roles the backup's objects belong to or are granted to. */
export class MissingRolesError extends Error {
  override readonly name = "MissingRolesError";
}

const databasePrivileges = new Set(["CONNECT", "TEMPORARY", "CREATE"]);

export interface RestoreOptions {
  adminUrl: string;
  dir: string;
  name: string;
  now?: () => Date;
}

/** The dump's bytes are the ones the manifest describes: nothing else is worth restoring. */
async function checksumDifferences(dir: string, manifest: BackupManifest): Promise<string[]> {
  const dump = backupFiles(dir, manifest.name).dump;
  let actual: string;
  try {
    actual = await sha256OfFile(dump);
  } catch (error) {
    return [`checksum: cannot read ${dump}: ${(error as Error).message}`];
  }
  return actual === manifest.dump.sha256 ? [] : [`checksum: ${manifest.dump.file} has sha256 ${actual}, the manifest says ${manifest.dump.sha256}`];
}

async function refuseMissingRoles(adminUrl: string, manifest: BackupManifest): Promise<void> {
  const missing = await withClient(adminUrl, "postgres", (client) => missingRoles(client, manifest.roles));
  if (missing.length > 0) {
    throw new MissingRolesError(
      `the server has no role ${missing.join(", ")}, which backup ${manifest.name} needs (roles are cluster-wide and not in the dump): ` +
        "create them first — provisioning does (start each service once against another database, or CREATE ROLE … LOGIN)",
    );
  }
}

/** Loads the dump into `database` (already created, empty) and returns how it differs from the manifest. */
async function restoreAndCompare(adminUrl: string, dir: string, manifest: BackupManifest, database: string): Promise<string[]> {
  await restoreDump(backupFiles(dir, manifest.name).dump, withDatabase(adminUrl, database));
  const restored = await withClient(adminUrl, database, (client) => readSchemaContents(client));
  return differencesFromManifest(manifest.schemas, restored);
}

/**
 * Checks the checksum, restores into a scratch database that is always dropped, compares
 * every table's rows and each schema's migrations, and records the outcome beside the
 * manifest. Throws BackupMismatchError naming each difference.
 */
export async function verifyBackup(options: RestoreOptions): Promise<VerificationRecord> {
  const now = options.now ?? (() => new Date());
  const manifest = await readManifest(options.dir, options.name);
  const record = async (differences: string[]): Promise<VerificationRecord> => {
    const written = { verifiedAt: now().toISOString(), ok: differences.length === 0, differences };
    await writeJsonInPlace(backupFiles(options.dir, manifest.name).verification, written);
    return written;
  };
  let differences = await checksumDifferences(options.dir, manifest);
  if (differences.length === 0) {
    try {
      await refuseMissingRoles(options.adminUrl, manifest);
      // The pid says which run made it: two verifies at once (a cron's and an operator's,
      // or parallel specs) each know their own.
      const scratch = `oms_backup_verify_${process.pid}_${randomBytes(6).toString("hex")}`;
      await createEmptyDatabase(options.adminUrl, scratch);
      try {
        differences = await restoreAndCompare(options.adminUrl, options.dir, manifest, scratch);
      } finally {
        await dropCreatedDatabase(options.adminUrl, scratch);
      }
    } catch (error) {
      // A backup that cannot be restored failed its verification too: `list` must not go on
      // showing an earlier success.
      await record([`restore: ${(error as Error).message}`]);
      throw error;
    }
  }
  const written = await record(differences);
  if (!written.ok) throw new BackupMismatchError(manifest.name, differences);
  return written;
}

/**
 * Restores into `database`, which must not exist, with owners and grants as dumped. The
 * checksum and the roles are checked before anything is created; a restore that fails or
 * does not match the manifest drops the database it created, so none is left half-made.
 */
export async function restoreBackup(options: RestoreOptions & { database: string }): Promise<BackupManifest> {
  const manifest = await readManifest(options.dir, options.name);
  const checksum = await checksumDifferences(options.dir, manifest);
  if (checksum.length > 0) throw new BackupMismatchError(manifest.name, checksum);
  if (await databaseExists(options.adminUrl, options.database)) {
    throw new DatabaseExistsError(`database ${options.database} already exists: a restore never writes into an existing database; name a new one`);
  }
  await refuseMissingRoles(options.adminUrl, manifest);
  await createEmptyDatabase(options.adminUrl, options.database);
  try {
    const differences = await restoreAndCompare(options.adminUrl, options.dir, manifest, options.database);
    if (differences.length > 0) throw new BackupMismatchError(manifest.name, differences);
    // Not in the dump (pg_dump writes the database's own grants only when it creates it).
    await withClient(options.adminUrl, "postgres", async (client) => {
      for (const { role, privileges } of manifest.databaseGrants) {
        // The manifest is a file anyone with the folder can edit: only privilege keywords go into SQL.
        const unknown = privileges.filter((p) => !databasePrivileges.has(p));
        if (unknown.length > 0) throw new Error(`the manifest grants ${role} ${unknown.join(", ")} on the database, which is no database privilege`);
        // Roles are the cluster's, named as a DBA chose ("oms-readonly"): quoted as Postgres quotes any name.
        await client.query(`GRANT ${privileges.join(", ")} ON DATABASE ${pg.escapeIdentifier(options.database)} TO ${pg.escapeIdentifier(role)}`);
      }
    });
    markDatabaseFinished(options.database);
  } catch (error) {
    await dropCreatedDatabase(options.adminUrl, options.database);
    throw error;
  }
  return manifest;
}
