import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory, withTransaction } from "@oms/postgres";
import type { ServiceDefinition } from "@oms/service-kit";
import { fulfillmentOrdersAt } from "./adapters/grpc-clients/fulfillment-orders.ts";
import { carrierRecoveryDueDaysFromEnv, carrierRecoveryOverdueTimer } from "./app/carrier-recoveries/recovery-overdue.ts";
import { dailyReconciliationTimeFromEnv, dailyReconciliationTimer } from "./app/daily-reconciliation.ts";
import { disputeStatementsFromEnv, PERSONAL_DATA_KEYS_VARIABLE } from "./app/disputes/dispute-statements.ts";
import { disputeResponseHoursFromEnv, disputeResponseTimer } from "./app/disputes/dispute-timer.ts";
import { sealStoredStatements } from "./app/disputes/seal-stored-statements.ts";
import { moneyEventsConsumer } from "./ports/consumers/money-events.ts";
import { billingCommandsService, settlementQueryService } from "./ports/grpc/settlement-query.ts";
import { carrierRecoveryOverdueDue } from "./ports/timers/carrier-recovery-overdue.ts";
import { dailyReconciliationDue, scheduleNextDailyRun } from "./ports/timers/daily-reconciliation.ts";
import { disputeResponseDue } from "./ports/timers/dispute-response.ts";

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "billing");

/**
 * Billing's composition root, its settings from `env` (tests pass their own): what it
 * consumes, what it serves, where its tables are, and the daily reconciliation
 * (BILLING_RECONCILE_AT, ADR 023), which asks fulfillment for the orders' figures, and how
 * long a settlement dispute waits for its answer before the store manager hears of it
 * (BILLING_DISPUTE_RESPONSE_HOURS, ADR 026), its statements sealed under BILLING_PERSONAL_DATA_KEYS,
 * and how long a carrier has to pay a settled claim before it is chased (BILLING_CARRIER_RECOVERY_DUE_DAYS, ADR 017).
 */
export function defineBillingService(env: NodeJS.ProcessEnv = process.env): ServiceDefinition {
  return {
    name: "billing",
    topic: Topics.billingSettlement,
    migrations,
    build: async ({ outbox, pool, config, logger }) => {
      const dailyAt = dailyReconciliationTimeFromEnv(env);
      const recoveryDueDays = carrierRecoveryDueDaysFromEnv(env);
      const fulfillment = fulfillmentOrdersAt(config.peers.fulfillment);
      const reconciliation = { pool, outbox, fulfillment };
      const { statements, development } = disputeStatementsFromEnv(env);
      if (development) logger.warn(`${PERSONAL_DATA_KEYS_VARIABLE} is not set: settlement disputes' statements are sealed under a development key anyone can derive`);
      else logger.info({ keyId: statements.keyId }, "settlement disputes' statements sealed under the configured key");
      await sealStoredStatements(pool, statements, logger);
      const disputes = { pool, outbox, statements, responseHours: disputeResponseHoursFromEnv(env) };
      if (dailyAt !== "off") await withTransaction(pool, (tx) => scheduleNextDailyRun(tx, dailyAt));
      return {
        consumers: [moneyEventsConsumer(outbox, recoveryDueDays)],
        grpc: [settlementQueryService(pool, disputes), billingCommandsService(pool, outbox, reconciliation, disputes)],
        timers: {
          [disputeResponseTimer]: disputeResponseDue(outbox, logger.child({ component: "settlement-disputes" })),
          [carrierRecoveryOverdueTimer]: carrierRecoveryOverdueDue(outbox, logger.child({ component: "carrier-recoveries" })),
          ...(dailyAt === "off" ? {} : { [dailyReconciliationTimer]: dailyReconciliationDue(reconciliation, dailyAt, logger.child({ component: "reconciliation" })) }),
        },
        close: async () => fulfillment.close(),
      };
    },
  };
}

export const billingService: ServiceDefinition = defineBillingService();
