import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory } from "@oms/postgres";
import { wholeNumberFromEnv, type ServiceDefinition } from "@oms/service-kit";
import { clerkDesk, defaultClerkStepBatching } from "./app/clerk-steps.ts";
import { seedDemoStock } from "./app/commands/seed-demo-stock.ts";
import { fulfillmentRequestsConsumer } from "./ports/consumers/fulfillment-requests.ts";
import { stockQueryService } from "./ports/grpc/stock-query.ts";
import { warehouseCommandsService } from "./ports/grpc/warehouse-commands.ts";

/** Warehouse's composition root: what it consumes, what it serves, where its tables are. */
export const warehouseService: ServiceDefinition = {
  name: "warehouse",
  topic: Topics.warehouseStock,
  migrations: await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "warehouse"),
  build: async ({ config, logger, outbox, pool }) => {
    // Before the consumer starts, so the first reservation request already finds the demo stock.
    if (config.seedDemo) await seedDemoStock(pool, logger);
    const clerkSteps = clerkDesk(pool, outbox, logger, {
      maxInFlight: wholeNumberFromEnv(process.env, "WAREHOUSE_COMMANDS_IN_FLIGHT", defaultClerkStepBatching.maxInFlight, 1, 64),
      maxBatch: wholeNumberFromEnv(process.env, "WAREHOUSE_COMMAND_BATCH_MAX", defaultClerkStepBatching.maxBatch, 1, 1_000),
    });
    return {
      consumers: [fulfillmentRequestsConsumer(outbox)],
      grpc: [stockQueryService(pool), warehouseCommandsService(pool, outbox, clerkSteps)],
    };
  },
};
