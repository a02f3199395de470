import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger } from "pino";

/**
 * Paths that may hold personal data. Logs must never carry it (DOMAIN.md, information
 * security), so these are censored even if a handler logs a whole object by mistake.
 */
const personalDataPaths = [
  "customer",
  "*.customer",
  "*.*.customer",
  "customerName",
  "*.customerName",
  "phone",
  "email",
  "address",
  "*.phone",
  "*.email",
  "*.address",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  'req.headers["x-signature"]',
  // A database error quotes the data it failed on: "Failing row contains (…)" in `detail`, the
  // JSON around a bad character in `where`, the statement with its values in `internalQuery`.
  // Its code, message, table, column and constraint say what went wrong without them.
  "err.detail",
  "err.where",
  "err.internalQuery",
  "err.cause.detail",
  "err.cause.where",
  "err.cause.internalQuery",
];

export interface LoggerConfig {
  service: string;
  level?: string;
  /** Pretty, coloured lines for a person at a terminal; JSON everywhere else. */
  pretty?: boolean;
  /** Where JSON lines go (standard output by default); for tests. */
  destination?: NodeJS.WritableStream;
}

/** The root logger of a process: JSON lines with the service name, personal data censored. */
export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? process.env.LOG_LEVEL ?? "info",
    base: { service: config.service },
    redact: { paths: personalDataPaths, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  const format = process.env.LOG_FORMAT;
  const pretty = config.pretty ?? (format === "pretty" || (process.stdout.isTTY && format !== "json"));
  if (pretty) {
    return pino({
      ...options,
      transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l", ignore: "pid,hostname" } },
    });
  }
  return config.destination ? pino(options, config.destination) : pino(options);
}

/** The fields that tie a log line to an order and a chain of events. */
export interface LogContext {
  orderId?: string;
  correlationId?: string;
  eventId?: string;
  eventType?: string;
  storeId?: string;
}

export function withContext(logger: Logger, context: LogContext): Logger {
  return logger.child(Object.fromEntries(Object.entries(context).filter(([, v]) => v)));
}
