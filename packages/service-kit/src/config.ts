import type { GrpcPeer } from "@oms/grpc";
import { defaultConsumerMaxWaitMs, defaultInboxRetentionDays, minimumInboxRetentionDays } from "@oms/messaging";
import { loadGrpcTls, type GrpcTlsConfig } from "./grpc-tls.ts";

/**
 * Where each service listens by default. Every port can be moved by environment:
 * `<SERVICE>_GRPC_PORT`, `<SERVICE>_OPS_PORT`, `INTAKE_HTTP_PORT`; other services are
 * found at `<SERVICE>_GRPC_ADDRESS`.
 */
export const serviceNames = ["intake", "fulfillment", "warehouse", "dispatch", "after-sales", "billing", "archive"] as const;
export type ServiceName = (typeof serviceNames)[number];

// Below Linux's ephemeral range (32768-60999). A port in it can be taken by a client's own
// connection: a peer reconnecting to a service that is restarting walks through the
// ephemeral ports, and when it lands on the port it dials, the socket connects to itself
// and holds the port, so the service cannot bind it (seen: 127.0.0.1:50050 connected to
// 127.0.0.1:50050, and intake refused to start with EADDRINUSE).
const defaultGrpcPorts: Record<ServiceName, number> = {
  intake: 7050,
  fulfillment: 7051,
  warehouse: 7052,
  dispatch: 7053,
  "after-sales": 7054,
  billing: 7055,
  archive: 7056,
};

const defaultOpsPorts: Record<ServiceName, number> = {
  intake: 8080, // intake's public HTTP server also serves /metrics and health
  fulfillment: 9101,
  warehouse: 9102,
  dispatch: 9103,
  "after-sales": 9104,
  billing: 9105,
  archive: 9106,
};

export interface ServiceConfig {
  service: ServiceName;
  /** The Postgres schema the service owns, e.g. "after_sales". */
  schema: string;
  /** The database role that owns that schema and nothing else. */
  role: string;
  /** Admin URL used to provision the schema and role; also the server and database to use. */
  databaseUrl: string;
  /** The URL the service itself connects with (its own role), unless given explicitly. */
  serviceDatabaseUrl: string;
  provisionSchema: boolean;
  kafkaBrokers: string[];
  redisUrl: string;
  /** Prefix of topic and consumer-group names; empty in production, per run in tests. */
  namespace: string;
  host: string;
  grpcPort: number;
  opsPort: number;
  logLevel: string;
  seedDemo: boolean;
  poolSize: number;
  /**
   * How consumers fetch: the broker answers a fetch once it holds `minBytes` for the
   * consumer or `maxWaitMs` have passed. More bytes per fetch means bigger batches, so
   * fewer transactions per event under load, for up to `maxWaitMs` more latency per hop.
   */
  consumerFetch: { minBytes: number; maxWaitMs: number };
  /** How long the outbox relay lets commits gather after a pass that published (OMS_OUTBOX_GATHER_MS). */
  outboxGatherMs: number;
  /** How long the inbox keeps a processed event's id (OMS_INBOX_RETENTION_DAYS): longer than any redelivery. */
  inboxRetentionDays: number;
  /**
   * Mutual TLS on gRPC (OMS_GRPC_TLS_CA, _CERT, _KEY; grpc-tls.ts, ADR 020): this service's
   * identity, served and shown to peers; undefined for plaintext.
   */
  grpcTls: GrpcTlsConfig | undefined;
  /**
   * Every service's gRPC server: where it is (`<SERVICE>_GRPC_ADDRESS`, else 127.0.0.1 and
   * its port) and, under mutual TLS, the name its certificate must show (the service's).
   */
  peers: Record<ServiceName, GrpcPeer>;
}

export function envKey(service: ServiceName, suffix: string): string {
  return `${service.toUpperCase().replace(/-/g, "_")}_${suffix}`;
}

/** Where a service's gRPC server is: `<SERVICE>_GRPC_ADDRESS`, else 127.0.0.1 at its port (a bad `<SERVICE>_GRPC_PORT` is refused). */
export function grpcAddressOf(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  return env[envKey(service, "GRPC_ADDRESS")] ?? `127.0.0.1:${port(env, envKey(service, "GRPC_PORT"), defaultGrpcPorts[service])}`;
}

/** A service's gRPC server as a peer: under mutual TLS, reached with our identity and expected to be named `service`. */
export function grpcPeerOf(service: ServiceName, address: string, tls: GrpcTlsConfig | undefined): GrpcPeer {
  return tls ? { address, tls: { identity: tls.identity, serverName: service } } : { address };
}

export function defaultPortsOf(service: ServiceName) {
  return { grpc: defaultGrpcPorts[service], ops: defaultOpsPorts[service] };
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function port(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new ConfigError(`${key} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
  return value;
}

/** A whole number from the environment, or `fallback` when unset; anything else outside [min, max] is refused by name. */
export function wholeNumberFromEnv(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

/** `true` or `false` from the environment, or `fallback` when unset; any other spelling is refused rather than guessed. */
function flag(env: NodeJS.ProcessEnv, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "false") return raw === "true";
  throw new ConfigError(`${key} must be true or false, got ${JSON.stringify(raw)}`);
}

/** pino's levels; anything else would make the logger throw, far from the variable's name. */
const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

function logLevel(env: NodeJS.ProcessEnv): string {
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === "") return "info";
  if (!(logLevels as readonly string[]).includes(raw)) throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(", ")}, got ${JSON.stringify(raw)}`);
  return raw;
}

/**
 * The namespace prefixes topic names (`<namespace>.<topic>`), consumer groups and Redis
 * keys, so it must be valid in a Kafka topic name and hold no dot of its own.
 */
function namespace(env: NodeJS.ProcessEnv): string {
  const raw = env.OMS_NAMESPACE ?? "";
  if (!/^[A-Za-z0-9_-]{0,100}$/.test(raw)) throw new ConfigError(`OMS_NAMESPACE must be up to 100 letters, digits, '-' or '_', got ${JSON.stringify(raw)}`);
  return raw;
}

function url(env: NodeJS.ProcessEnv, key: string, fallback: string): string {
  const raw = env[key] || fallback;
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(`${key} is not a URL`);
  }
  return raw;
}

/** The whole configuration of one service, from the environment, with a clear error naming any bad variable. */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const schema = service.replace(/-/g, "_");
  const role = `oms_${schema}`;
  const databaseUrl = url(env, "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/oms");
  const derived = new URL(databaseUrl);
  derived.username = role;
  derived.password = env[envKey(service, "DATABASE_PASSWORD")] ?? "";
  const brokers = (env.KAFKA_BROKERS || "127.0.0.1:9092").split(",").map((b) => b.trim()).filter(Boolean);
  if (brokers.some((b) => !/^[^:]+:\d+$/.test(b))) throw new ConfigError("KAFKA_BROKERS must be host:port[,host:port...]");
  const grpcTls = loadGrpcTls(service, env);
  return {
    service,
    schema,
    role,
    databaseUrl,
    serviceDatabaseUrl: url(env, envKey(service, "DATABASE_URL"), derived.toString()),
    provisionSchema: flag(env, "OMS_PROVISION_SCHEMAS", true),
    kafkaBrokers: brokers,
    redisUrl: url(env, "REDIS_URL", "redis://127.0.0.1:6379"),
    namespace: namespace(env),
    host: env.OMS_BIND_HOST ?? "127.0.0.1",
    grpcPort: port(env, envKey(service, "GRPC_PORT"), defaultGrpcPorts[service]),
    opsPort: port(env, service === "intake" ? "INTAKE_HTTP_PORT" : envKey(service, "OPS_PORT"), defaultOpsPorts[service]),
    logLevel: logLevel(env),
    seedDemo: flag(env, "OMS_SEED_DEMO", false),
    poolSize: wholeNumberFromEnv(env, "OMS_DB_POOL_SIZE", 8, 1, 1_000),
    consumerFetch: {
      minBytes: wholeNumberFromEnv(env, "OMS_CONSUMER_MIN_BYTES", 1, 1, 16 * 1024 * 1024),
      maxWaitMs: wholeNumberFromEnv(env, "OMS_CONSUMER_MAX_WAIT_MS", defaultConsumerMaxWaitMs, 10, 10_000),
    },
    outboxGatherMs: wholeNumberFromEnv(env, "OMS_OUTBOX_GATHER_MS", 2, 0, 1_000),
    // Longer than an event can be redelivered: the DLQ's retention and a log segment's.
    inboxRetentionDays: wholeNumberFromEnv(env, "OMS_INBOX_RETENTION_DAYS", defaultInboxRetentionDays, minimumInboxRetentionDays, 36_500),
    grpcTls,
    peers: Object.fromEntries(serviceNames.map((name) => [name, grpcPeerOf(name, grpcAddressOf(name, env), grpcTls)])) as Record<ServiceName, GrpcPeer>,
  };
}
