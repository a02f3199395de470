import { randomUUID } from "node:crypto";
import path from "node:path";
import { migrationsFromDirectory } from "@oms/postgres";
import { wholeNumberFromEnv, type ServiceDefinition } from "@oms/service-kit";
import { archiveKeyFromEnv, ENCRYPTION_KEY_VARIABLE, EnvelopeCipher } from "./adapters/crypto/envelope-cipher.ts";
import { dossierFilingConsumer } from "./ports/consumers/dossier-filing.ts";
import { archiveAccessService } from "./ports/grpc/archive-access.ts";
import { archiveQueryService } from "./ports/grpc/archive-query.ts";
import { archiveRetentionService } from "./ports/grpc/archive-retention.ts";
import { retentionYearsFromEnv } from "./app/retention/retention-deps.ts";

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "archive");

/**
 * Archive's composition root, with its key from `env` (tests pass their own) and
 * ARCHIVE_ACCESS_HOURS, how long an approved access request lets its asker view (24), and
 * ARCHIVE_RETENTION_YEARS, how long a dossier is kept after its order's end (30, ADR 029).
 */
export function defineArchiveService(env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  return {
    name: "archive",
    // The archive publishes nothing: its outbox stays empty and this name is never used.
    topic: "",
    migrations,
    build: async ({ pool, logger }) => {
      const archiveKey = archiveKeyFromEnv(env);
      if (archiveKey.source === "development") {
        logger.warn(
          { keyId: archiveKey.keyId },
          `${ENCRYPTION_KEY_VARIABLE} is not set: envelopes are sealed with a development key anyone can derive; set it in production`,
        );
      }
      const cipher = new EnvelopeCipher(archiveKey);
      const approvalValidForMs = wholeNumberFromEnv(env, "ARCHIVE_ACCESS_HOURS", 24, 1, 24 * 90) * 3600_000;
      const retentionYears = retentionYearsFromEnv(env);
      return {
        consumers: [dossierFilingConsumer(cipher)],
        grpc: [
          archiveQueryService(pool),
          archiveAccessService({ pool, cipher, clock: () => new Date(), approvalValidForMs, newId: randomUUID }),
          archiveRetentionService({ pool, clock: () => new Date(), retentionYears, newId: randomUUID }),
        ],
      };
    },
  };
}

export const archiveService: ServiceDefinition = defineArchiveService();
