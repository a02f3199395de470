import { Kafka, logLevel, type LogEntry, type logCreator } from "kafkajs";
import type { Logger } from "@oms/observability";

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
}

const levelNames: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/** kafkajs logs through the service's pino logger, so its lines are JSON like every other. */
function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      // kafkajs reports every rebalance and reconnect at ERROR; they are routine here.
      const name = levelNames[level] === "error" ? "warn" : (levelNames[level] ?? "info");
      logger[name]({ component: "kafkajs", ...extra }, message);
    };
}

export function createKafka(config: KafkaConfig, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(logger),
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5_000 },
    connectionTimeout: 5_000,
  });
}

/**
 * Node 24 warns about a negative setTimeout inside kafkajs's request queue; it is
 * harmless (FACTS.md) and would otherwise print on every reconnect.
 */
export function silenceKafkajsTimeoutWarning(): void {
  const listeners = process.listeners("warning");
  process.removeAllListeners("warning");
  process.on("warning", (warning) => {
    if (warning.name === "TimeoutNegativeWarning") return;
    for (const listener of listeners) listener(warning);
  });
}
