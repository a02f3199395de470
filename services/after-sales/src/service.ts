import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory } from "@oms/postgres";
import type { ServiceDefinition } from "@oms/service-kit";
import { orderFactsConsumer } from "./ports/consumers/order-facts.ts";
import { afterSalesQueryService } from "./ports/grpc/after-sales-query.ts";

/**
 * After-sales' composition root. Today it keeps the order facts requests will be judged
 * against; returns, repairs and complaints build on them (their own issue).
 */
export const afterSalesService: ServiceDefinition = {
  name: "after-sales",
  topic: Topics.afterSalesCase,
  migrations: await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "after-sales"),
  build: async ({ pool }) => ({ consumers: [orderFactsConsumer()], grpc: [afterSalesQueryService(pool)] }),
};
