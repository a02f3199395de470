import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory, withTransaction } from "@oms/postgres";
import type { ServiceDefinition } from "@oms/service-kit";
import { fulfillmentOrdersAt } from "./adapters/grpc-clients/fulfillment-orders.ts";
import { dailyReconciliationTimeFromEnv, dailyReconciliationTimer } from "./app/daily-reconciliation.ts";
import { disputeResponseHoursFromEnv, disputeResponseTimer } from "./app/disputes/dispute-timer.ts";
import { moneyEventsConsumer } from "./ports/consumers/money-events.ts";
import { billingCommandsService, settlementQueryService } from "./ports/grpc/settlement-query.ts";
import { dailyReconciliationDue, scheduleNextDailyRun } from "./ports/timers/daily-reconciliation.ts";
import { disputeResponseDue } from "./ports/timers/dispute-response.ts";

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "billing");

/**
 * Billing's composition root, its settings from `env` (tests pass their own): what it
 * consumes, what it serves, where its tables are, and the daily reconciliation
 * (BILLING_RECONCILE_AT, ADR 023), which asks fulfillment for the orders' figures, and how
 * long a settlement dispute waits for its answer before the store manager hears of it
 * (BILLING_DISPUTE_RESPONSE_HOURS, ADR 026).
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
      const disputes = { pool, outbox, responseHours: disputeResponseHoursFromEnv(env) };
      if (dailyAt !== "off") await withTransaction(pool, (tx) => scheduleNextDailyRun(tx, dailyAt));
      return {
        consumers: [moneyEventsConsumer(outbox)],
        grpc: [settlementQueryService(pool), billingCommandsService(pool, outbox, reconciliation, disputes)],
        timers: {
          [disputeResponseTimer]: disputeResponseDue(outbox, logger.child({ component: "settlement-disputes" })),
          ...(dailyAt === "off" ? {} : { [dailyReconciliationTimer]: dailyReconciliationDue(reconciliation, dailyAt, logger.child({ component: "reconciliation" })) }),
        },
        close: async () => fulfillment.close(),
      };
    },
  };
}

export const billingService: ServiceDefinition = defineBillingService();
