import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory } from "@oms/postgres";
import type { TransactionBatching } from "@oms/postgres";
import { wholeNumberFromEnv, type ServiceDefinition } from "@oms/service-kit";
import { DEFAULT_STORE, storeSettingsRepository, type ConfirmationRules } from "./adapters/pg/store-settings-repository.ts";
import { seedDemoStoreSettings } from "./app/commands/seed-demo-store-settings.ts";
import { TimerKinds } from "./app/deadlines.ts";
import { defaultCommandBatching, orderCommandDesk } from "./app/run-order-command.ts";
import { orderFlowConsumer } from "./ports/consumers/order-flow.ts";
import { storeProfilesConsumer } from "./ports/consumers/store-profiles.ts";
import { orderCommandsService, orderQueryService } from "./ports/grpc/order-services.ts";
import { acceptancePeriodElapsed, pickupPeriodElapsed } from "./ports/timers/acceptance-period.ts";
import { confirmationDeadline } from "./ports/timers/confirmation-deadlines.ts";
import { deliveryDeadlinePassed } from "./ports/timers/delivery-deadline.ts";

export interface FulfillmentSettings {
  /** How long a customer has to refuse a delivery before it counts as accepted. */
  acceptancePeriodHours: number;
  /** How long a store holds a pick-up order at the counter before cancelling it by rule. */
  pickupHoldHours: number;
  /** Confirmation rules for stores without their own (DOMAIN.md: follow up within 24 h). */
  confirmation: ConfirmationRules;
  /** How people's commands share transactions under load. */
  commandBatching: TransactionBatching;
}

function positiveHours(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const hours = Number(raw);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error(`${key} must be a positive number of hours, got ${JSON.stringify(raw)}`);
  return hours;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): FulfillmentSettings {
  return {
    acceptancePeriodHours: positiveHours(env, "FULFILLMENT_ACCEPTANCE_PERIOD_HOURS", 72),
    pickupHoldHours: positiveHours(env, "FULFILLMENT_PICKUP_HOLD_HOURS", 72),
    confirmation: {
      followUpHours: positiveHours(env, "FULFILLMENT_CONFIRMATION_FOLLOW_UP_HOURS", 24),
      escalationHours: positiveHours(env, "FULFILLMENT_CONFIRMATION_ESCALATION_HOURS", 36),
      cancelHours: positiveHours(env, "FULFILLMENT_CONFIRMATION_CANCEL_HOURS", 48),
    },
    commandBatching: {
      maxInFlight: wholeNumberFromEnv(env, "FULFILLMENT_COMMANDS_IN_FLIGHT", defaultCommandBatching.maxInFlight, 1, 64),
      maxBatch: wholeNumberFromEnv(env, "FULFILLMENT_COMMAND_BATCH_MAX", defaultCommandBatching.maxBatch, 1, 1_000),
    },
  };
}

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "fulfillment");

/** Fulfillment's composition root: the order, its saga, its deadlines and its queries. */
export function defineFulfillmentService(settings: FulfillmentSettings): ServiceDefinition {
  return {
    name: "fulfillment",
    topic: Topics.fulfillmentOrder,
    migrations,
    build: async ({ outbox, pool, config, logger }) => {
      await storeSettingsRepository.upsert(pool, DEFAULT_STORE, settings.confirmation);
      if (config.seedDemo) await seedDemoStoreSettings(pool);
      return {
        consumers: [orderFlowConsumer(outbox, settings), storeProfilesConsumer()],
        timers: {
          [TimerKinds.acceptancePeriod]: acceptancePeriodElapsed(outbox, settings),
          [TimerKinds.pickupPeriod]: pickupPeriodElapsed(outbox),
          [TimerKinds.deliveryDeadline]: deliveryDeadlinePassed(outbox),
          [TimerKinds.confirmationFollowUp]: confirmationDeadline(outbox, "follow-up"),
          [TimerKinds.confirmationEscalation]: confirmationDeadline(outbox, "escalation"),
          [TimerKinds.confirmationCancellation]: confirmationDeadline(outbox, "cancellation"),
        },
        grpc: [orderQueryService(pool), orderCommandsService(orderCommandDesk(pool, outbox, logger, settings.commandBatching), settings, { pool, outbox, logger })],
      };
    },
  };
}

export const fulfillmentService: ServiceDefinition = {
  ...defineFulfillmentService(settingsFromEnv({})),
  build: (runtime) => defineFulfillmentService(settingsFromEnv()).build(runtime),
};
