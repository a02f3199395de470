import path from "node:path";
import { migrationsFromDirectory } from "@oms/postgres";
import type { ServiceDefinition } from "@oms/service-kit";
import { archiveKeyFromEnv, ENCRYPTION_KEY_VARIABLE, EnvelopeCipher } from "./adapters/crypto/envelope-cipher.ts";
import { dossierFilingConsumer } from "./ports/consumers/dossier-filing.ts";
import { archiveQueryService } from "./ports/grpc/archive-query.ts";

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "archive");

/** Archive's composition root, with its key from `env` (tests pass their own). */
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
      return {
        consumers: [dossierFilingConsumer(cipher)],
        grpc: [archiveQueryService(pool)],
      };
    },
  };
}

export const archiveService: ServiceDefinition = defineArchiveService();
