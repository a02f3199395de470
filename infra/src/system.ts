import { topicSpecs } from "@oms/contracts";
import { createKafka, ensureTopics } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { withDatabase } from "@oms/postgres";
import { ensureDatabase } from "./postgres.ts";

export interface SystemPreparation {
  /** Admin URL of the Postgres server (any database). */
  serverUrl: string;
  database: string;
  kafkaBrokers: string[];
  namespace?: string;
  partitions?: number;
}

/** The database and topics the services need before they start; returns the database's admin URL. */
export async function prepareSystem(options: SystemPreparation): Promise<string> {
  await ensureDatabase(options.serverUrl, options.database);
  const logger = createLogger({ service: "infra", level: "warn", pretty: false });
  const kafka = createKafka({ brokers: options.kafkaBrokers, clientId: "oms-infra" }, logger);
  await ensureTopics(kafka, topicSpecs(options.namespace ?? "", options.partitions ?? 6));
  return withDatabase(options.serverUrl, options.database);
}
