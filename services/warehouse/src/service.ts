import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory } from "@oms/postgres";
import { deskReasonsFromEnv, WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE } from "@oms/sealing";
import type { ServiceDefinition } from "@oms/service-kit";
import { clerkDesk } from "./app/clerk-steps.ts";
import { seedDemoStock } from "./app/commands/seed-demo-stock.ts";
import { TimerKinds, type ShipmentDeadlines } from "./app/step-deadlines.ts";
import { afterSalesCasesConsumer } from "./ports/consumers/after-sales-cases.ts";
import { fulfillmentRequestsConsumer } from "./ports/consumers/fulfillment-requests.ts";
import { storeProfilesConsumer } from "./ports/consumers/store-profiles.ts";
import { stockQueryService } from "./ports/grpc/stock-query.ts";
import { warehouseCommandsService } from "./ports/grpc/warehouse-commands.ts";
import { replacementShipDeadlineElapsed } from "./ports/timers/replacement-ship-deadline.ts";
import { shipmentStepDeadlineElapsed } from "./ports/timers/shipment-step-deadline.ts";
import { defaultWarehouseSettings, warehouseSettingsFromEnv, type WarehouseSettings } from "./settings.ts";

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "warehouse");

/** Warehouse's composition root, with its settings (tests pass their own): what it consumes, serves and times, where its tables are. */
export function warehouseServiceWith(overrides: Partial<WarehouseSettings> = {}): ServiceDefinition {
  const settings = { ...defaultWarehouseSettings, ...overrides };
  return {
    name: "warehouse",
    topic: Topics.warehouseStock,
    migrations,
    build: async ({ config, logger, outbox, pool }) => {
      // Before the consumer starts, so the first reservation request already finds the demo stock.
      if (config.seedDemo) await seedDemoStock(pool, logger);
      const deadlines: ShipmentDeadlines = { settings: settings.stepDeadlines, clock: settings.clock };
      // The desk's reasons on its events go out sealed (ADR 024, twenty-fourth-session addendum).
      const { reasons, development } = deskReasonsFromEnv(process.env);
      if (development) logger.warn(`${WAREHOUSE_PERSONAL_DATA_KEYS_VARIABLE} is not set: the desk's reasons on the warehouse's events are sealed under a development key anyone can derive`);
      const clerkSteps = clerkDesk(pool, outbox, logger, deadlines, settings.clerkBatching);
      return {
        consumers: [fulfillmentRequestsConsumer(outbox, deadlines), afterSalesCasesConsumer(outbox, deadlines), storeProfilesConsumer()],
        grpc: [stockQueryService(pool, settings.clock), warehouseCommandsService(pool, outbox, clerkSteps, deadlines, logger, reasons)],
        timers: {
          [TimerKinds.shipmentStepDeadline]: shipmentStepDeadlineElapsed({ outbox, deadlines, logger: logger.child({ component: "shipment-deadlines" }) }),
          [TimerKinds.replacementShipDeadline]: replacementShipDeadlineElapsed({ outbox, deadlines, logger: logger.child({ component: "replacement-deadlines" }) }),
        },
      };
    },
  };
}

/** The service as deployed: settings from the environment, read (and checked) when it starts. */
export const warehouseService: ServiceDefinition = {
  ...warehouseServiceWith(),
  build: (runtime) => warehouseServiceWith(warehouseSettingsFromEnv()).build(runtime),
};
