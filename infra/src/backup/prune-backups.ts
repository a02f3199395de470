// `backup prune`: removes the backups the retention rule lets go (retention.ts says which).
import { listBackups, removeBackup, removeStaleTemporaries } from "./backup-folder.ts";
import { backupsToPrune, type RetentionRule } from "./retention.ts";

export async function pruneBackups(dir: string, rule: RetentionRule, now: Date): Promise<{ removed: string[]; kept: string[]; leftovers: string[] }> {
  const leftovers = await removeStaleTemporaries(dir);
  const backups = await listBackups(dir);
  const removed = backupsToPrune(
    backups.map(({ manifest }) => ({ name: manifest.name, takenAt: new Date(manifest.takenAt) })),
    rule,
    now,
  );
  for (const name of removed) await removeBackup(dir, name);
  const gone = new Set(removed);
  return { removed, leftovers, kept: backups.map(({ manifest }) => manifest.name).filter((name) => !gone.has(name)) };
}
