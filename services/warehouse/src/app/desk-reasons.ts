import { deskReasonsFromEnv, type DeskReasons } from "@oms/sealing";

let configured: DeskReasons | undefined;

/**
 * The ring this process seals the desk's reasons under (WAREHOUSE_PERSONAL_DATA_KEYS), read once:
 * what the composition root passes, and what a step called without one (the lock specs) seals
 * with, so a reason never goes out in the clear.
 */
export function processDeskReasons(): DeskReasons {
  configured ??= deskReasonsFromEnv(process.env).reasons;
  return configured;
}
