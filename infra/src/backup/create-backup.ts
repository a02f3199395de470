// `backup create`: every service's schema in the same instant. One REPEATABLE READ
// transaction exports its snapshot; the manifest's row counts are read inside it, and
// pg_dump imports it (--snapshot) while it is still open, so the dump and the counts are
// the same database state — not seven dumps each of its own moment.
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { readDatabaseGrants, readRolesNeeded, readSchemaContents } from "./database-contents.ts";
import { backupFiles, backupNameFor, sha256OfFile, sizeOf, temporaryNameOf, writeJsonInPlace } from "./backup-folder.ts";
import { committedOffsets, connectKafkaAdmin, systemTopics, topicEnds, type KafkaTarget } from "./kafka-positions.ts";
import { manifestFormat, type BackupManifest, type KafkaPositions } from "./manifest.ts";
import { dumpSnapshot, withClient } from "./postgres-tools.ts";
import { withDatabase } from "@oms/postgres";

export interface CreateBackupOptions {
  /** Admin URL of the server (DATABASE_URL); its database part is replaced by `database`. */
  adminUrl: string;
  database: string;
  dir: string;
  kafka: KafkaTarget;
  log?: (message: string) => void;
}

export async function createBackup(options: CreateBackupOptions): Promise<BackupManifest> {
  const log = options.log ?? (() => {});
  // The dump holds every dossier and order: only the user that runs the backups reads it
  // (pg_dump creates its file by the umask, usually readable by every local user).
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const kafka = await connectKafkaAdmin(options.kafka);
  const unreachable = (error: string): KafkaPositions => ({ reachable: false, brokers: options.kafka.brokers, namespace: options.kafka.namespace, error });
  if ("error" in kafka) log(`Kafka at ${options.kafka.brokers.join(",")} is unreachable (${kafka.error}): the manifest says so and holds no offsets`);
  let temporaryDump: string | undefined;
  try {
    // Before the snapshot: a group commits only after its transaction, so offsets read now
    // never pass what the snapshot holds (ADR 031).
    let topics: string[] = [];
    let groups: Extract<KafkaPositions, { reachable: true }>["consumerGroups"] = [];
    let kafkaError = "error" in kafka ? kafka.error : undefined;
    if ("admin" in kafka) {
      try {
        topics = await systemTopics(kafka.admin, options.kafka.namespace);
        groups = await committedOffsets(kafka.admin, options.kafka.namespace, topics);
      } catch (error) {
        kafkaError = (error as Error).message;
      }
    }

    const manifest = await withClient(options.adminUrl, options.database, async (client) => {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      try {
        const exported = await client.query<{ id: string; at: Date; version: string }>(
          "SELECT pg_export_snapshot() AS id, now() AS at, current_setting('server_version') AS version",
        );
        const { id: snapshotId, at: takenAt, version } = exported.rows[0]!;
        const name = backupNameFor(options.database, takenAt);
        const files = backupFiles(options.dir, name);
        if (existsSync(files.manifest) || existsSync(files.dump)) throw new Error(`a backup named ${name} is already in ${options.dir}`);
        const schemas = await readSchemaContents(client);
        const roles = await readRolesNeeded(client);
        const databaseGrants = await readDatabaseGrants(client);
        // After the snapshot: whatever lies past these ends was published later.
        let positions: KafkaPositions = unreachable(kafkaError ?? "");
        if ("admin" in kafka && kafkaError === undefined) {
          try {
            positions = { reachable: true, brokers: options.kafka.brokers, namespace: options.kafka.namespace, consumerGroups: groups, topicEnds: await topicEnds(kafka.admin, topics) };
          } catch (error) {
            positions = unreachable((error as Error).message);
          }
        }
        log(`snapshot ${snapshotId} of ${options.database} at ${takenAt.toISOString()}: dumping ${schemas.length} schemas`);
        temporaryDump = temporaryNameOf(files.dump);
        // pg_dump truncates a file that is there and keeps its mode: readable by this user only, from the first byte.
        await writeFile(temporaryDump, "", { mode: 0o600 });
        await dumpSnapshot(withDatabase(options.adminUrl, options.database), snapshotId, temporaryDump);
        return { name, takenAt, version, schemas, roles, databaseGrants, positions, files };
      } finally {
        await client.query("ROLLBACK").catch(() => {});
      }
    });

    const { files } = manifest;
    const bytes = (await sizeOf(temporaryDump!)) ?? 0;
    const sha256 = await sha256OfFile(temporaryDump!);
    await rename(temporaryDump!, files.dump);
    temporaryDump = undefined;
    const written: BackupManifest = {
      format: manifestFormat,
      name: manifest.name,
      takenAt: manifest.takenAt.toISOString(),
      database: options.database,
      serverVersion: manifest.version,
      dump: { file: path.basename(files.dump), sha256, bytes },
      schemas: manifest.schemas,
      roles: manifest.roles,
      databaseGrants: manifest.databaseGrants,
      kafka: manifest.positions,
    };
    try {
      await writeJsonInPlace(files.manifest, written);
    } catch (error) {
      await rm(files.dump, { force: true });
      throw error;
    }
    return written;
  } finally {
    if (temporaryDump) await rm(temporaryDump, { force: true });
    if ("admin" in kafka) await kafka.admin.disconnect().catch(() => {});
  }
}
