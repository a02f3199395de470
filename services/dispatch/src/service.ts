import path from "node:path";
import { Topics } from "@oms/contracts";
import { migrationsFromDirectory, type TransactionBatching } from "@oms/postgres";
import { loadDemoChain, wholeNumberFromEnv, type ServiceDefinition } from "@oms/service-kit";
import { AssignmentLocks } from "./adapters/redis/assignment-lock.ts";
import { dispatchKeys } from "./adapters/redis/keys.ts";
import { connectRedis } from "./adapters/redis/redis-client.ts";
import { WorkloadCounters } from "./adapters/redis/workload-counters.ts";
import { acknowledgementRunner, defaultAcknowledgementBatching } from "./app/commands/answer-assignment.ts";
import type { AssignmentEngine } from "./app/commands/assign-pending-tasks.ts";
import { seedDemoStaff } from "./app/commands/seed-demo-staff.ts";
import type { StepDeadlineSettings } from "./app/commands/step-deadlines.ts";
import { TimerKinds } from "./app/timer-kinds.ts";
import { dispatchCommandsService } from "./ports/grpc/dispatch-commands.ts";
import { acknowledgeDeadlineElapsed } from "./ports/timers/acknowledge-deadline.ts";
import { stepDeadlineElapsed } from "./ports/timers/step-deadline.ts";
import { afterSalesCasesConsumer } from "./ports/consumers/after-sales-cases.ts";
import { fulfillmentRequestsConsumer } from "./ports/consumers/fulfillment-requests.ts";
import { workloadQueryService } from "./ports/grpc/workload-query.ts";
import { AssignmentWorker } from "./ports/workers/assignment-worker.ts";

/** Knobs of the assignment engine; the defaults are production's, tests shorten some. */
export interface DispatchOptions {
  acknowledgeWithinMs: number;
  retryQueuedAfterMs: number;
  retryFailedAfterMs: number;
  lockTtlMs: number;
  pollIntervalMs: number;
  batchSize: number;
  /** How many stores an assignment pass works on side by side (each holds a database connection). */
  storeConcurrency: number;
  /** How often assigned people are checked for having gone off shift or absent. */
  availabilitySweepMs: number;
  clock: () => Date;
  /** FAULT INJECTION for tests only: stall between taking a task's lock and writing. 0 = off. */
  testPauseAfterLockMs: number;
  /** Service visits: grace after the appointment's start (arrival) and end (report), and the wait before escalation. */
  stepDeadlines: StepDeadlineSettings;
  /** Length of the service windows customers book. */
  bookingWindowMs: number;
  /** How assignees' acknowledgements share transactions under load. */
  acknowledgementBatching: TransactionBatching;
}

export const defaultDispatchOptions: DispatchOptions = {
  acknowledgeWithinMs: 30 * 60_000,
  retryQueuedAfterMs: 5_000,
  retryFailedAfterMs: 5_000,
  // Far above one assignment transaction (milliseconds); a holder that stalls longer is fenced off.
  lockTtlMs: 10_000,
  // New tasks wake the worker (LISTEN/NOTIFY); the poll serves queued tasks coming due
  // (retried after 5 s) and lost notifications, so a second is soon enough.
  pollIntervalMs: 1_000,
  batchSize: 100,
  storeConcurrency: 4,
  availabilitySweepMs: 60_000,
  clock: () => new Date(),
  testPauseAfterLockMs: 0,
  stepDeadlines: { arrivalGraceMs: 15 * 60_000, reportGraceMs: 60 * 60_000, escalateAfterMs: 30 * 60_000 },
  bookingWindowMs: 2 * 3600_000,
  acknowledgementBatching: defaultAcknowledgementBatching,
};

function positiveNumber(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${key} must be a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/**
 * Options from the environment: DISPATCH_ACKNOWLEDGE_MINUTES (default 30), DISPATCH_LOCK_TTL_MS,
 * DISPATCH_ARRIVAL_GRACE_MINUTES (15), DISPATCH_REPORT_GRACE_MINUTES (60), DISPATCH_ESCALATE_AFTER_MINUTES (30),
 * DISPATCH_BOOKING_WINDOW_MINUTES (120), DISPATCH_ASSIGNMENT_STORE_CONCURRENCY (4),
 * DISPATCH_ACKNOWLEDGEMENTS_IN_FLIGHT (3), DISPATCH_ACKNOWLEDGEMENT_BATCH_MAX (50), and the test-only fault seam.
 */
export function dispatchOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<DispatchOptions> {
  const steps = defaultDispatchOptions.stepDeadlines;
  return {
    bookingWindowMs: positiveNumber(env, "DISPATCH_BOOKING_WINDOW_MINUTES", defaultDispatchOptions.bookingWindowMs / 60_000) * 60_000,
    stepDeadlines: {
      arrivalGraceMs: positiveNumber(env, "DISPATCH_ARRIVAL_GRACE_MINUTES", steps.arrivalGraceMs / 60_000) * 60_000,
      reportGraceMs: positiveNumber(env, "DISPATCH_REPORT_GRACE_MINUTES", steps.reportGraceMs / 60_000) * 60_000,
      escalateAfterMs: positiveNumber(env, "DISPATCH_ESCALATE_AFTER_MINUTES", steps.escalateAfterMs / 60_000) * 60_000,
    },
    acknowledgeWithinMs: positiveNumber(env, "DISPATCH_ACKNOWLEDGE_MINUTES", 30) * 60_000,
    lockTtlMs: positiveNumber(env, "DISPATCH_LOCK_TTL_MS", defaultDispatchOptions.lockTtlMs),
    storeConcurrency: Math.floor(positiveNumber(env, "DISPATCH_ASSIGNMENT_STORE_CONCURRENCY", defaultDispatchOptions.storeConcurrency)),
    acknowledgementBatching: {
      maxInFlight: wholeNumberFromEnv(env, "DISPATCH_ACKNOWLEDGEMENTS_IN_FLIGHT", defaultAcknowledgementBatching.maxInFlight, 1, 64),
      maxBatch: wholeNumberFromEnv(env, "DISPATCH_ACKNOWLEDGEMENT_BATCH_MAX", defaultAcknowledgementBatching.maxBatch, 1, 1_000),
    },
    testPauseAfterLockMs: env.DISPATCH_TEST_PAUSE_AFTER_LOCK_MS ? positiveNumber(env, "DISPATCH_TEST_PAUSE_AFTER_LOCK_MS", 0) : 0,
  };
}

const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "adapters/pg/migrations"), "dispatch");

/** Dispatch's composition root, with engine options (tests pass their own). */
export function dispatchServiceWith(overrides: Partial<DispatchOptions> = {}): ServiceDefinition {
  const options = { ...defaultDispatchOptions, ...overrides };
  return {
    name: "dispatch",
    topic: Topics.dispatchAssignment,
    migrations,
    build: async ({ config, logger, outbox, pool }) => {
      const redis = await connectRedis(config.redisUrl, logger);
      const keys = dispatchKeys(config.namespace);
      const counters = new WorkloadCounters(redis, keys);
      const engine: AssignmentEngine = {
        pool,
        outbox,
        locks: new AssignmentLocks(redis, keys, options.lockTtlMs),
        counters,
        logger: logger.child({ component: "assignment" }),
        clock: options.clock,
        acknowledgeWithinMs: options.acknowledgeWithinMs,
        retryQueuedAfterMs: options.retryQueuedAfterMs,
        retryFailedAfterMs: options.retryFailedAfterMs,
        storeConcurrency: options.storeConcurrency,
        staleCounterStores: new Set(),
        testPauseAfterLockMs: options.testPauseAfterLockMs,
      };
      const commandDeps = {
        pool,
        outbox,
        schema: config.schema,
        clock: options.clock,
        stepDeadlines: options.stepDeadlines,
        bookingWindowMs: options.bookingWindowMs,
        acknowledgeWithinMs: options.acknowledgeWithinMs,
      };
      const acknowledge = acknowledgementRunner({ ...commandDeps, logger }, options.acknowledgementBatching);
      const worker = new AssignmentWorker({
        engine,
        listenUrl: config.serviceDatabaseUrl,
        schema: config.schema,
        pollIntervalMs: options.pollIntervalMs,
        batchSize: options.batchSize,
        availabilitySweepMs: options.availabilitySweepMs,
        staffDeps: commandDeps,
      });
      try {
        if (config.seedDemo) {
          const seeded = await seedDemoStaff(pool, config.schema, await loadDemoChain());
          logger.info({ staff: seeded }, "demo staff seeded");
        }
        await worker.start();
      } catch (error) {
        redis.disconnect();
        throw error;
      }
      return {
        consumers: [fulfillmentRequestsConsumer(commandDeps), afterSalesCasesConsumer(commandDeps)],
        grpc: [workloadQueryService({ pool, counters, logger, clock: options.clock, bookingWindowMs: options.bookingWindowMs }), dispatchCommandsService({ ...commandDeps, acknowledge })],
        timers: {
          [TimerKinds.acknowledgeDeadline]: acknowledgeDeadlineElapsed(commandDeps),
          [TimerKinds.stepDeadline]: stepDeadlineElapsed(commandDeps),
        },
        readiness: {
          redis: async () => ({ ok: (await redis.ping()) === "PONG" }),
        },
        stopWork: () => worker.stop(),
        close: async () => {
          await redis.quit();
        },
      };
    },
  };
}

/** The service as deployed: options from the environment, read when it starts. */
export const dispatchService: ServiceDefinition = {
  ...dispatchServiceWith(),
  build: (runtime) => dispatchServiceWith(dispatchOptionsFromEnv()).build(runtime),
};
