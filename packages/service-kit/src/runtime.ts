import type pg from "pg";
import type { Kafka, Producer } from "kafkajs";
import { bindService, startGrpcServer, type GrpcServer, type ServiceBinding } from "@oms/grpc";
import {
  EventConsumer,
  InboxPruner,
  OutboxRelay,
  OutboxWriter,
  connectProducer,
  createKafka,
  messagingMigrations,
  type EventConsumerOptions,
} from "@oms/messaging";
import {
  createLogger,
  createMetricsRegistry,
  poolMetrics,
  standardMetrics,
  startOpsServer,
  type Logger,
  type ReadinessCheck,
  type Registry,
  type StandardMetrics,
} from "@oms/observability";
import { createPool, provisionServiceSchema, runMigrations, statementsSentByThisProcess, type Migration } from "@oms/postgres";
import { TimerPoller, timerMigrations, type TimerHandlers } from "@oms/timers";
import type { ServiceConfig, ServiceName } from "./config.ts";
import { stopGracefully } from "./graceful-stop.ts";

export { bindService };

/** What every service has once its infrastructure is up; use cases get what they need from it. */
export interface ServiceRuntime {
  config: ServiceConfig;
  logger: Logger;
  registry: Registry;
  metrics: StandardMetrics;
  pool: pg.Pool;
  kafka: Kafka;
  producer: Producer;
  /** Writes this service's events into its outbox, for its own topic. */
  outbox: OutboxWriter;
}

export type ConsumerSpec = Pick<
  EventConsumerOptions,
  "name" | "topics" | "deduplication" | "envelopeOnly" | "eventTypes" | "actsOn" | "handle" | "handleBatch" | "batchAcrossTopics" | "maxBytesPerPartition" | "handleUnknown" | "maxAttempts" | "partitionsConsumedConcurrently" | "fetch"
>;

/** What a service adds to the runtime: its consumers, timers, gRPC services and, for intake, its HTTP API. */
export interface ServiceParts {
  consumers?: ConsumerSpec[];
  timers?: TimerHandlers;
  grpc?: ServiceBinding[];
  /** Replaces the default operations server (intake serves its API and /metrics on one port). */
  http?: (readiness: Record<string, ReadinessCheck>, bound: { grpcPort: number }) => Promise<{ port: number; close(): Promise<void> }>;
  readiness?: Record<string, ReadinessCheck>;
  /**
   * Stops the service's own background work (e.g. dispatch's assignment loop) once requests
   * and consumers have stopped, before the outbox relay's final flush, so what that work
   * wrote on its way out is still published.
   */
  stopWork?: () => Promise<void>;
  /**
   * Finishes what the service still holds (intake's pending acceptances) and closes what it
   * opened itself (Redis, gRPC clients), after its work stopped and before the outbox
   * relay's final flush, so what it commits here is still published (graceful-stop.ts).
   */
  close?: () => Promise<void>;
}

export interface ServiceDefinition {
  name: ServiceName;
  /** The topic this service's outbox publishes to; none for a service that only listens (archive). */
  topic?: string;
  migrations: Migration[];
  build(runtime: ServiceRuntime): Promise<ServiceParts>;
}

export interface RunningService {
  runtime: ServiceRuntime;
  grpc: GrpcServer;
  httpPort: number;
  relay: OutboxRelay;
  consumers: EventConsumer[];
  /**
   * Graceful: health goes NOT_SERVING and requests in flight finish, consumers finish their
   * batch, the service's own work stops and closes, then the outbox is flushed and pools close.
   */
  stop(): Promise<void>;
}

/** Brings one service up from its definition. `main.ts` and the tests both call this. */
export async function startService(definition: ServiceDefinition, config: ServiceConfig, logger?: Logger): Promise<RunningService> {
  const log = logger ?? createLogger({ service: config.service, level: config.logLevel });
  const registry = createMetricsRegistry(config.service);
  const metrics = standardMetrics(registry);

  if (config.provisionSchema) await provisionServiceSchema(config.databaseUrl, { schema: config.schema, role: config.role });
  const pool = createPool({
    url: config.serviceDatabaseUrl,
    schema: config.schema,
    applicationName: config.service,
    max: config.poolSize,
    onConnectionError: (error) => log.warn({ err: error }, "a database connection was lost; the pool replaces it"),
  });
  poolMetrics(registry, pool, statementsSentByThisProcess);
  const applied = await runMigrations(pool, config.schema, [...messagingMigrations, ...timerMigrations, ...definition.migrations]);
  if (applied.length > 0) log.info({ migrations: applied }, "migrations applied");

  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: `oms-${config.service}` }, log);
  const producer = await connectProducer(kafka);
  const outbox = new OutboxWriter({ topic: definition.topic ?? "" });
  const runtime: ServiceRuntime = { config, logger: log, registry, metrics, pool, kafka, producer, outbox };

  const parts = await definition.build(runtime);

  let started: Omit<RunningService, "runtime" | "stop"> & { http: { port: number; close(): Promise<void> }; inboxPruner?: InboxPruner; timers?: TimerPoller };
  try {
    started = await startParts(runtime, parts);
  } catch (error) {
    // A half-started service must not leave workers, clients or connections behind.
    await parts.stopWork?.().catch(() => {});
    await parts.close?.().catch(() => {});
    await producer.disconnect().catch(() => {});
    await pool.end().catch(() => {});
    throw error;
  }
  const { grpc, http, relay, consumers, inboxPruner, timers } = started;
  log.info({ grpcPort: grpc.port, httpPort: http.port, namespace: config.namespace || undefined, grpcTransport: grpcTransportOf(config) }, `${config.service} started`);
  warnOfExpiringCertificate(config, log);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info(`${config.service} stopping`);
      await stopGracefully({ grpc, http, consumers, inboxPruner, timers, stopWork: parts.stopWork, close: parts.close, relay, producer, pool });
      log.info(`${config.service} stopped`);
    })());

  return { runtime, grpc, httpPort: http.port, relay, consumers, stop };
}

/** How the service's gRPC is secured, for its start log: an operator sees at once whether a service runs in plaintext. */
function grpcTransportOf(config: ServiceConfig) {
  const tls = config.grpcTls;
  return tls
    ? { security: "mutual-tls", certificateValidUntil: tls.certificateValidUntil.toISOString(), allowedCallers: tls.allowedCallers, refreshIntervalMs: tls.refreshIntervalMs }
    : { security: "plaintext" };
}

const expiryWarningDays = 30;

/**
 * The certificate read at start expires soon: a renewed one written to the files is taken
 * within a refresh interval, no restart needed (ADR 020's addendum); each reload logs its
 * certificate's end of validity.
 */
function warnOfExpiringCertificate(config: ServiceConfig, log: Logger): void {
  const validUntil = config.grpcTls?.certificateValidUntil;
  if (!validUntil) return;
  const daysLeft = (validUntil.getTime() - Date.now()) / 86_400_000;
  if (daysLeft < expiryWarningDays) log.warn({ certificateValidUntil: validUntil.toISOString(), daysLeft: Math.floor(daysLeft) }, "the gRPC certificate expires soon; write a renewed one to its files (taken without a restart)");
}

/** For main.ts: stop gracefully on SIGINT/SIGTERM, exit non-zero if that fails. */
export function stopOnSignals(service: RunningService): void {
  const { logger } = service.runtime;
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, "shutdown requested");
    const force = setTimeout(() => {
      logger.error("graceful shutdown took too long; exiting");
      process.exit(1);
    }, 20_000);
    force.unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/**
 * Starts relay, consumers, timers, gRPC and HTTP in that order; if one fails, what
 * already started is stopped again before the error goes up.
 */
async function startParts(runtime: ServiceRuntime, parts: ServiceParts) {
  const { config, logger: log, metrics, registry, pool, kafka, producer } = runtime;
  const undo: (() => Promise<void>)[] = [];
  try {
    const relay = new OutboxRelay({
      pool,
      schema: config.schema,
      producer,
      logger: log.child({ component: "outbox-relay" }),
      namespace: config.namespace,
      gatherMs: config.outboxGatherMs,
      metrics,
    });
    await relay.start();
    undo.push(() => relay.stop());

    const consumers = (parts.consumers ?? []).map(
      (spec) =>
        new EventConsumer({ ...spec, kafka, pool, producer, logger: log.child({ consumer: spec.name }), metrics, namespace: config.namespace, fetch: spec.fetch ?? config.consumerFetch }),
    );
    undo.push(() => Promise.all(consumers.map((c) => c.stop())).then(() => {}));
    await Promise.all(consumers.map((c) => c.start()));

    const inboxPruner = consumers.length > 0 ? new InboxPruner({ pool, logger: log.child({ component: "inbox-pruner" }), retentionDays: config.inboxRetentionDays }) : undefined;
    inboxPruner?.start();
    undo.push(async () => inboxPruner?.stop());

    const timers = parts.timers ? new TimerPoller({ pool, logger: log.child({ component: "timers" }), handlers: parts.timers, metrics }) : undefined;
    timers?.start();
    undo.push(async () => timers?.stop());

    const grpc = await startGrpcServer({
      host: config.host,
      port: config.grpcPort,
      services: parts.grpc ?? [],
      logger: log,
      metrics,
      tls: config.grpcTls?.identity,
      allowedCallers: config.grpcTls?.allowedCallers,
    });
    undo.push(() => grpc.close());
    const readiness: Record<string, ReadinessCheck> = {
      postgres: async () => {
        await pool.query("SELECT 1");
        return { ok: true };
      },
      ...parts.readiness,
    };
    const http = parts.http
      ? await parts.http(readiness, { grpcPort: grpc.port })
      : await startOpsServer({ host: config.host, port: config.opsPort, registry, readiness, logger: log });
    return { grpc, httpPort: http.port, http, relay, consumers, inboxPruner, timers };
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => {});
    throw error;
  }
}
