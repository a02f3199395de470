// `npm run backup -- <verb> …`: what the operator asked for, checked before anything is
// touched, so a typo never starts a dump, a restore or a deletion. Pure: no I/O.
import { parseArgs } from "node:util";

export type BackupCommand =
  | { verb: "create"; dir?: string }
  | { verb: "list"; dir?: string }
  | { verb: "verify"; name: string; dir?: string }
  | { verb: "restore"; name: string; database: string; dir?: string }
  | { verb: "prune"; keepDays?: number; keep?: number; dir?: string }
  | { verb: "reset-offsets"; name: string; dryRun: boolean; dir?: string };

export const backupUsage = `usage: npm run backup -- <verb> [--dir D]
  create                      one consistent snapshot of OMS_DATABASE, with its manifest
  list                        the backups, newest first: time, size, verified or not
  verify <name>               checksum, restore into a scratch database, compare with the manifest
  restore <name> --database NEW   into a database that does not exist yet
  prune [--keep-days D] [--keep N]  remove backups older than D days, except the newest N (default 1)
  reset-offsets <name> [--dry-run]  after a restore, with every service stopped: put the system's
                              consumer groups back to where they were at the backup
`;

/** A mistake in the command line: the CLI prints it with the usage and exits 2. */
export class BackupUsageError extends Error {
  override readonly name = "BackupUsageError";
}

const options = {
  dir: { type: "string" },
  database: { type: "string" },
  "keep-days": { type: "string" },
  keep: { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

/** Which options each verb takes: any other is refused by name rather than ignored. */
const optionsOf: Record<BackupCommand["verb"], readonly string[]> = {
  create: ["dir"],
  list: ["dir"],
  verify: ["dir"],
  restore: ["dir", "database"],
  prune: ["dir", "keep-days", "keep"],
  "reset-offsets": ["dir", "dry-run"],
};

/** Backups are files in one folder: a name is a file stem, never a path. */
const backupNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
/** A plain identifier: it becomes CREATE DATABASE's name (quoted too) and an operator types it again. */
const databaseNamePattern = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;

export function parseBackupArguments(argv: readonly string[]): BackupCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new BackupUsageError((error as Error).message);
  }
  const [verb, ...rest] = parsed.positionals;
  if (verb === undefined) throw new BackupUsageError("no verb given");
  if (!isVerb(verb)) throw new BackupUsageError(`unknown verb ${JSON.stringify(verb)}: one of ${Object.keys(optionsOf).join(", ")}`);
  for (const given of Object.keys(parsed.values)) {
    if (!optionsOf[verb].includes(given)) throw new BackupUsageError(`${verb} takes no --${given}`);
  }
  const values = parsed.values;
  const dir = values.dir === undefined ? {} : { dir: nonEmpty(values.dir, "--dir") };
  const takesName = verb === "verify" || verb === "restore" || verb === "reset-offsets";
  if (!takesName && rest.length > 0) throw new BackupUsageError(`${verb} takes no name, got ${JSON.stringify(rest.join(" "))}`);
  if (takesName && rest.length > 1) throw new BackupUsageError(`${verb} takes one backup name, got ${rest.length}: ${rest.join(" ")}`);

  switch (verb) {
    case "create":
    case "list":
      return { verb, ...dir };
    case "verify":
      return { verb, name: backupName(rest[0], verb), ...dir };
    case "restore": {
      const name = backupName(rest[0], verb);
      if (values.database === undefined) throw new BackupUsageError("restore needs --database NEW: the name of a database that does not exist yet");
      if (!databaseNamePattern.test(values.database)) {
        throw new BackupUsageError(`--database must be a letter or _ then up to 62 letters, digits, _ or -, got ${JSON.stringify(values.database)}`);
      }
      return { verb, name, database: values.database, ...dir };
    }
    case "prune": {
      const keepDays = values["keep-days"] === undefined ? undefined : wholeNumber(values["keep-days"], "--keep-days", 1);
      const keep = values.keep === undefined ? undefined : wholeNumber(values.keep, "--keep", 1);
      if (keepDays === undefined && keep === undefined) throw new BackupUsageError("prune needs --keep-days N, --keep N or both: it does not guess what to delete");
      return { verb, ...(keepDays === undefined ? {} : { keepDays }), ...(keep === undefined ? {} : { keep }), ...dir };
    }
    case "reset-offsets":
      return { verb, name: backupName(rest[0], verb), dryRun: values["dry-run"] === true, ...dir };
    default:
      return verb satisfies never;
  }
}

function isVerb(value: string): value is BackupCommand["verb"] {
  return Object.hasOwn(optionsOf, value);
}

function backupName(raw: string | undefined, verb: string): string {
  if (raw === undefined) throw new BackupUsageError(`${verb} needs the name of a backup (as \`npm run backup -- list\` shows it)`);
  if (!backupNamePattern.test(raw)) throw new BackupUsageError(`a backup name is letters, digits, '.', '_' or '-' (no path), got ${JSON.stringify(raw)}`);
  return raw;
}

function wholeNumber(raw: string, option: string, min: number): number {
  // Number("") is 0 and Number("1e3") is 1000: only plain digits are taken.
  const value = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) throw new BackupUsageError(`${option} must be a whole number of at least ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

function nonEmpty(raw: string, option: string): string {
  if (raw.trim() === "") throw new BackupUsageError(`${option} must not be empty`);
  return raw;
}
