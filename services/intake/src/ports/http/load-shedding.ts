import underPressure from "@fastify/under-pressure";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { UnavailableError } from "@oms/errors";
import { Counter, type Logger, type ReadinessCheck, type Registry } from "@oms/observability";
import type { LoadShedding } from "../../app/load-shedding-settings.ts";

/**
 * Intake is over its load-shedding thresholds (ADR 009, twenty-eighth-session addendum): the
 * request was refused before any work was done for it, so retrying it later is safe.
 */
export class IntakeOverloadedError extends UnavailableError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super("intake.overloaded", `intake is busy with more requests than it can take now; nothing of this request was done — retry after ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Never shed: an orchestrator and Prometheus must still see an overloaded intake. */
export const neverShed: ReadonlySet<string> = new Set(["/healthz", "/livez", "/readyz", "/metrics"]);

const signalNames: Record<string, string> = { eventLoopDelay: "event-loop-delay", heapUsedBytes: "heap" };

const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024));

/** The library reads a sample in which the loop never turned as an infinite delay: it was late by the whole sample at least. */
const delayOf = (milliseconds: number, sampleIntervalMs: number) => (Number.isFinite(milliseconds) ? `${Math.round(milliseconds)}` : `≥ ${sampleIntervalMs}`);

/**
 * Refuses API requests with 503 and Retry-After while intake is overloaded, before anything
 * else runs for them (authentication included), using @fastify/under-pressure's sampling.
 * Register it before the routes' own hooks. Returns the readiness check that reports the overload.
 */
export function registerLoadShedding(app: FastifyInstance, settings: LoadShedding, deps: { registry: Registry; logger: Logger }): ReadinessCheck {
  const shed = new Counter({
    name: "oms_intake_shed_requests_total",
    help: "Requests refused with 503 before any work because intake was overloaded, by the signal over its threshold and the route",
    labelNames: ["signal", "route"],
    registers: [deps.registry],
  });
  // One line a second at most while shedding: an overload is thousands of refusals a second.
  let lastLineAt = 0;
  let shedSinceLine = 0;
  const refuse = (request: FastifyRequest, type: string, value: number | undefined) => {
    if (neverShed.has(request.routeOptions.url ?? "")) return;
    const signal = signalNames[type] ?? type;
    shed.inc({ signal, route: request.routeOptions.url ?? "unmatched" });
    shedSinceLine += 1;
    const now = Date.now();
    if (now - lastLineAt >= 1_000) {
      deps.logger.warn({ signal, value: signal === "heap" ? `${megabytes(value ?? 0)} MB` : `${delayOf(value ?? 0, settings.sampleIntervalMs)} ms`, shed: shedSinceLine }, "intake is overloaded: shedding requests");
      lastLineAt = now;
      shedSinceLine = 0;
    }
    throw new IntakeOverloadedError(settings.retryAfterSeconds);
  };
  void app.register(underPressure, {
    maxEventLoopDelay: settings.maxEventLoopDelayMs,
    maxHeapUsedBytes: settings.maxHeapUsedBytes,
    sampleInterval: settings.sampleIntervalMs,
    // A rejection goes to the error handler, which answers it as intake's other problems are answered.
    pressureHandler: async (request, _reply, type, value) => refuse(request, type, value),
  });
  return async () => {
    if (!app.isUnderPressure()) return { ok: true };
    const { eventLoopDelay, heapUsed } = app.memoryUsage();
    const over = [
      settings.maxEventLoopDelayMs > 0 && eventLoopDelay > settings.maxEventLoopDelayMs ? `event-loop delay ${delayOf(eventLoopDelay, settings.sampleIntervalMs)} ms over ${settings.maxEventLoopDelayMs} ms` : undefined,
      settings.maxHeapUsedBytes > 0 && heapUsed > settings.maxHeapUsedBytes ? `heap in use ${megabytes(heapUsed)} MB over ${megabytes(settings.maxHeapUsedBytes)} MB` : undefined,
    ].filter((reason) => reason !== undefined);
    return { ok: false, detail: `shedding requests: ${over.join("; ")}` };
  };
}
