import { ConfigError, wholeNumberFromEnv } from "@oms/service-kit";
import type { TransactionBatching } from "@oms/postgres";
import { defaultClerkStepBatching } from "./app/clerk-steps.ts";
import { defaultStepDeadlineSettings, type StepDeadlineSettings } from "./domain/step-deadlines.ts";

/** Warehouse's knobs; the defaults are production's, tests shorten the deadlines. */
export interface WarehouseSettings {
  /** How long each step of a shipment's way out may take, and the wait before a warning is escalated. */
  stepDeadlines: StepDeadlineSettings;
  /** How clerks' steps share transactions under load. */
  clerkBatching: TransactionBatching;
  clock: () => Date;
}

export const defaultWarehouseSettings: WarehouseSettings = {
  stepDeadlines: defaultStepDeadlineSettings,
  clerkBatching: defaultClerkStepBatching,
  clock: () => new Date(),
};

/** A longer deadline than a month is a typo (or seconds taken for minutes): refused rather than waited for. */
const MAX_MINUTES = 31 * 24 * 60;

/**
 * Minutes from the environment: a positive number, a fraction allowed (the tests and the
 * fault harness make a step due in seconds), else an error naming the variable.
 */
function positiveMinutes(env: NodeJS.ProcessEnv, key: string, fallbackMs: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallbackMs;
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_MINUTES) {
    throw new ConfigError(`${key} must be a positive number of minutes up to ${MAX_MINUTES}, got ${JSON.stringify(raw)}`);
  }
  return minutes * 60_000;
}

/**
 * Settings from the environment: WAREHOUSE_PICK_MINUTES (60: picked by ready to pick + this),
 * WAREHOUSE_PACK_MINUTES (30: packed by picked + this), WAREHOUSE_SHIP_MINUTES (120: shipped
 * by packed + this), WAREHOUSE_ESCALATE_AFTER_MINUTES (30: a late step's warning goes to the
 * store manager this much later), WAREHOUSE_COMMANDS_IN_FLIGHT (3) and WAREHOUSE_COMMAND_BATCH_MAX (50).
 */
export function warehouseSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WarehouseSettings {
  const steps = defaultWarehouseSettings.stepDeadlines;
  return {
    stepDeadlines: {
      pickMs: positiveMinutes(env, "WAREHOUSE_PICK_MINUTES", steps.pickMs),
      packMs: positiveMinutes(env, "WAREHOUSE_PACK_MINUTES", steps.packMs),
      shipMs: positiveMinutes(env, "WAREHOUSE_SHIP_MINUTES", steps.shipMs),
      escalateAfterMs: positiveMinutes(env, "WAREHOUSE_ESCALATE_AFTER_MINUTES", steps.escalateAfterMs),
    },
    clerkBatching: {
      maxInFlight: wholeNumberFromEnv(env, "WAREHOUSE_COMMANDS_IN_FLIGHT", defaultClerkStepBatching.maxInFlight, 1, 64),
      maxBatch: wholeNumberFromEnv(env, "WAREHOUSE_COMMAND_BATCH_MAX", defaultClerkStepBatching.maxBatch, 1, 1_000),
    },
    clock: defaultWarehouseSettings.clock,
  };
}
