import { UnavailableError } from "./index.ts";

/**
 * Why a handler failed, as far as the consumer must know:
 * - "infrastructure": the database (or another server) could not answer now — a restart,
 *   a failover, a dropped connection, a lost race. The message is fine; it must wait for
 *   the server and never go to the DLQ, or its effect is lost (docs/performance-log.md,
 *   "A Postgres restart dead-letters healthy events").
 * - "message": anything else — invalid or undecodable content, a domain refusal, an
 *   unknown version, a bug the message triggers. Retried a few times, then dead-lettered,
 *   so one bad message cannot stop its partition.
 */
export type FailureKind = "infrastructure" | "message";

/** SQLSTATEs that say the server, not the statement, is the trouble. */
const infrastructureSqlStates = new Set([
  "57P01", // admin_shutdown: the server is stopping or our backend was terminated
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: "the database system is starting up / shutting down"
  "57P05", // idle_session_timeout
  "53000", // insufficient_resources
  "53100", // disk_full
  "53200", // out_of_memory
  "53300", // too_many_connections
  "58000", // system_error
  "58030", // io_error
  "25006", // read_only_sql_transaction: a failover left us on a standby
  "40001", // serialization_failure: a concurrent transaction won; the next try may not lose
  "40P01", // deadlock_detected: likewise
  "55P03", // lock_not_available: a lock timeout, not the message's fault
]);

/** Node's socket and resolver errors. */
const infrastructureNodeCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

/** Errors node-postgres raises itself, without a SQLSTATE, when its connection is gone. */
const infrastructureMessages = [
  /^Connection terminated/, // "… unexpectedly", "… due to connection timeout"
  /Client has encountered a connection error and is not queryable/,
  /Client was closed and is not queryable/,
  /timeout exceeded when trying to connect/,
  /Cannot use a pool after calling end on the pool/, // shutting down: the consumer stops retrying
  /^Connection is closed\.$/, // ioredis
];

const infrastructureErrorNames = new Set(["MaxRetriesPerRequestError"]); // ioredis, Redis unreachable

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** How a handler's failure is to be treated; looks through `cause` chains and AggregateErrors. */
export function failureKindOf(error: unknown): FailureKind {
  return someInChain(error, isInfrastructureError) ? "infrastructure" : "message";
}

export function isInfrastructureFailure(error: unknown): boolean {
  return failureKindOf(error) === "infrastructure";
}

function isInfrastructureError(error: object): boolean {
  if (error instanceof UnavailableError) return true;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (/^08[0-9A-Z]{3}$/.test(code)) return true; // class 08: connection exception
    if (infrastructureSqlStates.has(code) || infrastructureNodeCodes.has(code)) return true;
  }
  // A gRPC ServiceError (numeric code with details) from a server that cannot answer now.
  if (typeof code === "number" && "details" in error && (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED)) return true;
  if (typeof name === "string" && infrastructureErrorNames.has(name)) return true;
  return typeof message === "string" && infrastructureMessages.some((pattern) => pattern.test(message));
}

function someInChain(error: unknown, test: (error: object) => boolean, seen = new Set<object>()): boolean {
  if (typeof error !== "object" || error === null || seen.has(error) || seen.size > 32) return false;
  seen.add(error);
  if (test(error)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (someInChain(cause, test, seen)) return true;
  return Array.isArray(errors) && errors.some((inner) => someInChain(inner, test, seen));
}
