// The backup folder: `<name>.dump`, `<name>.manifest.json` and, once verified,
// `<name>.verification.json`. A backup exists when its manifest does: the manifest is
// renamed into place last, so a crash half-way never leaves something listed as a backup.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseManifest, type BackupManifest, type VerificationRecord } from "./manifest.ts";

const manifestSuffix = ".manifest.json";

export interface BackupFiles {
  dump: string;
  manifest: string;
  verification: string;
  /** Written by a restore: each consumer group's offsets as Kafka's tool takes them. */
  consumerOffsets: string;
}

export function backupFiles(dir: string, name: string): BackupFiles {
  return {
    dump: path.join(dir, `${name}.dump`),
    manifest: path.join(dir, `${name}${manifestSuffix}`),
    verification: path.join(dir, `${name}.verification.json`),
    consumerOffsets: path.join(dir, `${name}.consumer-offsets`),
  };
}

/** Where a file is written before it is renamed into place: never taken for the real one. */
export function temporaryNameOf(file: string): string {
  return `${file}.tmp-${process.pid}`;
}

/** A name that sorts by time and says which database: `oms-20261207T061502123Z`. */
export function backupNameFor(database: string, takenAt: Date): string {
  return `${database}-${takenAt.toISOString().replace(/[-:.]/g, "")}`;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

/** Writes JSON beside its final name and renames it there, so readers see all of it or none. */
export async function writeJsonInPlace(file: string, value: unknown): Promise<void> {
  const temporary = temporaryNameOf(file);
  try {
    await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

export class BackupNotFoundError extends Error {
  override readonly name = "BackupNotFoundError";
}

export async function readManifest(dir: string, name: string): Promise<BackupManifest> {
  const { manifest } = backupFiles(dir, name);
  let text: string;
  try {
    text = await readFile(manifest, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BackupNotFoundError(`no backup ${name} in ${dir} (no ${path.basename(manifest)}); \`npm run backup -- list\` shows them`);
    throw error;
  }
  return parseManifest(text, manifest);
}

export async function readVerification(dir: string, name: string): Promise<VerificationRecord | undefined> {
  try {
    return JSON.parse(await readFile(backupFiles(dir, name).verification, "utf8")) as VerificationRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export interface ListedBackup {
  manifest: BackupManifest;
  verification: VerificationRecord | undefined;
}

/** The folder's backups, newest first; a missing folder has none. */
export async function listBackups(dir: string): Promise<ListedBackup[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const names = entries.filter((entry) => entry.endsWith(manifestSuffix)).map((entry) => entry.slice(0, -manifestSuffix.length));
  const listed = await Promise.all(names.map(async (name) => ({ manifest: await readManifest(dir, name), verification: await readVerification(dir, name) })));
  return listed.sort((a, b) => Date.parse(b.manifest.takenAt) - Date.parse(a.manifest.takenAt) || b.manifest.name.localeCompare(a.manifest.name));
}

/** Removes a backup, its manifest first: from that moment it is no longer listed, even if the rest fails. */
export async function removeBackup(dir: string, name: string): Promise<void> {
  const files = backupFiles(dir, name);
  await rm(files.manifest, { force: true });
  await rm(files.verification, { force: true });
  await rm(files.consumerOffsets, { recursive: true, force: true });
  await rm(files.dump, { force: true });
}

/**
 * Removes what a killed run left under a temporary name (`….tmp-<pid>`): never listed as a
 * backup, but taking space. A file whose process still runs is another run's, mid-write.
 */
export async function removeStaleTemporaries(dir: string): Promise<string[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const stale = entries.filter((entry) => {
    const pid = Number(/\.tmp-(\d+)$/.exec(entry)?.[1]);
    return Number.isInteger(pid) && pid > 0 && !processIsAlive(pid);
  });
  for (const entry of stale) await rm(path.join(dir, entry), { force: true });
  return stale;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Bytes of a file, or undefined when it is gone. */
export async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}
