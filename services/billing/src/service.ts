import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory } from "@oms/postgres";
import type { ServiceDefinition } from "@oms/service-kit";
import { moneyEventsConsumer } from "./ports/consumers/money-events.ts";
import { billingCommandsService, settlementQueryService } from "./ports/grpc/settlement-query.ts";

/** Billing's composition root: what it consumes, what it serves, where its tables are. */
export const billingService: ServiceDefinition = {
  name: "billing",
  topic: Topics.billingSettlement,
  migrations: await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "billing"),
  build: async ({ outbox, pool }) => ({
    consumers: [moneyEventsConsumer(outbox)],
    grpc: [settlementQueryService(pool), billingCommandsService(pool, outbox)],
  }),
};
