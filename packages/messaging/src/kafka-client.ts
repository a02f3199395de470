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
