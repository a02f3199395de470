// Backups of the OMS database (ADR 031): what `npm run backup` runs, for its specs and scripts.
export { parseBackupArguments, BackupUsageError, type BackupCommand } from "./arguments.ts";
export { createBackup, type CreateBackupOptions } from "./create-backup.ts";
export { verifyBackup, restoreBackup, BackupMismatchError, MissingRolesError } from "./restore-backup.ts";
export { pruneBackups } from "./prune-backups.ts";
export { listBackups, readManifest, backupFiles, BackupNotFoundError } from "./backup-folder.ts";
export { DatabaseExistsError } from "./postgres-tools.ts";
export type { BackupManifest, VerificationRecord } from "./manifest.ts";
export { resetConsumerOffsets, commitConsumerGroupResets, ActiveConsumerGroupsError, ConsumerGroupsNotResetError, KafkaUnreachableError, NoSystemTopicsError, OffsetResetReadError, type OffsetResetOutcome } from "./reset-offsets.ts";
export { lagMarginBeforeBackupMs } from "./offset-reset-plan.ts";
export { openGroupOffsetCommitter, GroupNotEmptyError } from "./group-offset-commit.ts";
