// Which backups `prune` removes. Pure: the adapter lists the folder and deletes.
//
// Pruning is how disposed dossiers (ADR 029) stop living on in backups: a backup is a copy
// of every dossier as it was, so it must not be kept longer than the chain tolerates a
// disposed dossier surviving.

export interface DatedBackup {
  name: string;
  takenAt: Date;
}

export interface RetentionRule {
  /** Backups taken more than this many days before `now` go… */
  keepDays?: number;
  /** …unless they are among the newest this many (default 1: a prune never leaves no backup at all). */
  keep?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The names to remove, oldest first. With `keepDays`, a backup goes once it is older than
 * that and not among the newest `keep`; with `keep` alone, everything but the newest `keep`.
 */
export function backupsToPrune(backups: readonly DatedBackup[], rule: RetentionRule, now: Date): string[] {
  const keepNewest = rule.keep ?? 1;
  const newestFirst = [...backups].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.name.localeCompare(a.name));
  const cutoff = rule.keepDays === undefined ? undefined : now.getTime() - rule.keepDays * DAY_MS;
  return newestFirst
    .filter((backup, index) => index >= keepNewest && (cutoff === undefined || backup.takenAt.getTime() < cutoff))
    .map((backup) => backup.name)
    .reverse();
}
