// `npm run backup -- create|list|verify|restore|prune|reset-offsets`: consistent backups of the OMS database
// with pg_dump, checked by restoring them (ADR 031). Exit codes: 0 done, 1 failed (the
// message says what), 2 a mistake in the command line.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { redactUrl } from "@oms/postgres";
import { BackupUsageError, backupUsage, parseBackupArguments, type BackupCommand } from "../backup/arguments.ts";
import { backupFiles, listBackups } from "../backup/backup-folder.ts";
import { pruneBackups } from "../backup/prune-backups.ts";
import { groupOffsetFiles, nextStepsAfterRestore, offsetFileNameOf } from "../backup/restore-guide.ts";
import { restoreBackup, verifyBackup } from "../backup/restore-backup.ts";
import { dropUnfinishedDatabases } from "../backup/postgres-tools.ts";

const say = (message: string) => process.stdout.write(`${message}\n`);
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const database = process.env.OMS_DATABASE ?? "oms";
const root = path.resolve(import.meta.dirname, "../../..");

function directoryOf(command: BackupCommand): string {
  return path.resolve(root, command.dir ?? process.env.OMS_BACKUP_DIR ?? ".backups");
}

/** KAFKA_BROKERS as the services have it; undefined when unset. */
function brokersFromEnvironment(): string[] | undefined {
  const brokers = (process.env.KAFKA_BROKERS ?? "").split(",").map((b) => b.trim()).filter(Boolean);
  return brokers.length > 0 ? brokers : undefined;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function run(command: BackupCommand): Promise<void> {
  const dir = directoryOf(command);
  switch (command.verb) {
    case "create": {
      const brokers = brokersFromEnvironment() ?? ["127.0.0.1:9092"];
      // Loaded here: Kafka's client and the contracts cost a second at start, which a mistyped
      // verb or a `list` should not wait for.
      const { createBackup } = await import("../backup/create-backup.ts");
      const manifest = await createBackup({ adminUrl, database, dir, kafka: { brokers, namespace: process.env.OMS_NAMESPACE ?? "" }, log: say });
      const tables = manifest.schemas.reduce((n, s) => n + s.tables.length, 0);
      say(`backup ${manifest.name}: ${manifest.schemas.length} schemas, ${tables} tables, ${megabytes(manifest.dump.bytes)} in ${dir}`);
      if (!manifest.kafka.reachable) say(`Kafka offsets not recorded: ${manifest.kafka.error}`);
      say(`check it by restoring it: npm run backup -- verify ${manifest.name}`);
      return;
    }
    case "list": {
      const backups = await listBackups(dir);
      if (backups.length === 0) say(`no backups in ${dir}`);
      for (const { manifest, verification } of backups) {
        const verified = verification === undefined ? "not verified" : `${verification.ok ? "verified" : "FAILED verification"} ${verification.verifiedAt}`;
        say(`${manifest.name}  ${manifest.takenAt}  ${megabytes(manifest.dump.bytes)}  ${verified}${manifest.kafka.reachable ? "" : "  (no Kafka offsets)"}`);
      }
      return;
    }
    case "verify": {
      say(`verifying ${command.name}: checksum, restore into a scratch database on ${redactUrl(adminUrl)}, compare with the manifest`);
      await verifyBackup({ adminUrl, dir, name: command.name });
      say(`backup ${command.name} verified: checksum, every table's rows and each schema's migrations match its manifest`);
      return;
    }
    case "restore": {
      const manifest = await restoreBackup({ adminUrl, dir, name: command.name, database: command.database });
      let offsetsDir: string | undefined;
      const files = groupOffsetFiles(manifest);
      if (manifest.kafka.reachable) {
        offsetsDir = backupFiles(dir, manifest.name).consumerOffsets;
        await mkdir(offsetsDir, { recursive: true });
        for (const { group, csv } of files) await writeFile(path.join(offsetsDir, offsetFileNameOf(group)), csv);
      }
      say(nextStepsAfterRestore(manifest, command.database, offsetsDir, command.dir));
      return;
    }
    case "prune": {
      const { removed, kept, leftovers } = await pruneBackups(dir, command, new Date());
      if (leftovers.length > 0) say(`removed what interrupted runs left: ${leftovers.join(", ")}`);
      say(removed.length === 0 ? "nothing to prune" : `removed ${removed.join(", ")}`);
      say(`kept ${kept.length}: ${kept.join(", ") || "none"}`);
      return;
    }
    case "reset-offsets": {
      // Loaded here, as for create: Kafka's client costs a second at start.
      const { resetConsumerOffsets } = await import("../backup/reset-offsets.ts");
      const { offsetResetReport } = await import("../backup/offset-reset-report.ts");
      const outcome = await resetConsumerOffsets({ dir, name: command.name, brokers: brokersFromEnvironment(), dryRun: command.dryRun });
      say(offsetResetReport(outcome));
      return;
    }
    default:
      return command satisfies never;
  }
}

// Interrupted (Ctrl-C, a timer's stop): drop the scratch or half-restored database this run
// made, then exit as a signal would. A backup's own files are only ever temporary until renamed.
for (const [signal, number] of [["SIGINT", 2], ["SIGTERM", 15]] as const) {
  process.once(signal, () => {
    process.stderr.write(`backup: ${signal}, stopping\n`);
    void dropUnfinishedDatabases()
      .then((dropped) => dropped.length > 0 && process.stderr.write(`backup: dropped ${dropped.join(", ")}, which this run had created\n`))
      .finally(() => process.exit(128 + number));
  });
}

try {
  await run(parseBackupArguments(process.argv.slice(2)));
} catch (error) {
  if (error instanceof BackupUsageError) {
    process.stderr.write(`backup: ${error.message}\n${backupUsage}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`backup failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
