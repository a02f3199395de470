import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory, withTransaction } from "@oms/postgres";
import type { ServiceDefinition } from "@oms/service-kit";
import { fulfillmentOrdersAt } from "./adapters/grpc-clients/fulfillment-orders.ts";
import { dailyReconciliationTimeFromEnv, dailyReconciliationTimer } from "./app/daily-reconciliation.ts";
import { moneyEventsConsumer } from "./ports/consumers/money-events.ts";
import { billingCommandsService, settlementQueryService } from "./ports/grpc/settlement-query.ts";
import { dailyReconciliationDue, scheduleNextDailyRun } from "./ports/timers/daily-reconciliation.ts";

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "billing");

/**
 * Billing's composition root, its settings from `env` (tests pass their own): what it
 * consumes, what it serves, where its tables are, and the daily reconciliation
 * (BILLING_RECONCILE_AT, ADR 023), which asks fulfillment for the orders' figures.
 */
export function defineBillingService(env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  return {
    name: "billing",
    topic: Topics.billingSettlement,
    migrations,
    build: async ({ outbox, pool, config, logger }) => {
      const dailyAt = dailyReconciliationTimeFromEnv(env);
      const fulfillment = fulfillmentOrdersAt(config.peers.fulfillment);
      const reconciliation = { pool, outbox, fulfillment };
      if (dailyAt !== "off") await withTransaction(pool, (tx) => scheduleNextDailyRun(tx, dailyAt));
      return {
        consumers: [moneyEventsConsumer(outbox)],
        grpc: [settlementQueryService(pool), billingCommandsService(pool, outbox, reconciliation)],
        timers: dailyAt === "off" ? undefined : { [dailyReconciliationTimer]: dailyReconciliationDue(reconciliation, dailyAt, logger.child({ component: "reconciliation" })) },
        close: async () => fulfillment.close(),
      };
    },
  };
}

export const billingService: ServiceDefinition = defineBillingService();
