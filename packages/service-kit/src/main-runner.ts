import { flushCompileCache } from "node:module";
import { createLogger } from "@oms/observability";
import { loadServiceConfig, type ServiceName } from "./config.ts";
import { startService, stopOnSignals, type ServiceDefinition } from "./runtime.ts";

/** The whole of a service's main.ts: load config, start, stop on signals; a failed start exits 1. */
export async function runServiceMain(name: ServiceName, definition: ServiceDefinition): Promise<void> {
  const config = loadServiceConfig(name);
  const logger = createLogger({ service: name, level: config.logLevel });
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  try {
    const service = await startService(definition, config, logger);
    // Every module is loaded by now: write the compile cache (when NODE_COMPILE_CACHE is
    // set) at once, so that a service killed later still leaves it for its restart.
    flushCompileCache();
    stopOnSignals(service);
  } catch (error) {
    logger.fatal({ err: error }, `${name} failed to start`);
    process.exit(1);
  }
}
