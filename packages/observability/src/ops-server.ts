import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import type { Logger } from "./logger.ts";

export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: string }>;

export interface OpsRoutesOptions {
  registry: Registry;
  /** Named checks that must all pass for the process to be ready (database, broker, ...). */
  readiness: Record<string, ReadinessCheck>;
}

/** Adds `/metrics` (Prometheus), `/livez` and `/readyz` to a Fastify instance. */
export function registerOpsRoutes(app: FastifyInstance, options: OpsRoutesOptions): void {
  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", options.registry.contentType);
    return options.registry.metrics();
  });
  app.get("/livez", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          return [name, await check()] as const;
        } catch (error) {
          return [name, { ok: false, detail: (error as Error).message }] as const;
        }
      }),
    );
    const ok = results.every(([, r]) => r.ok);
    reply.code(ok ? 200 : 503);
    return { status: ok ? "ready" : "not-ready", checks: Object.fromEntries(results) };
  });
}

export interface OpsServer {
  app: FastifyInstance;
  port: number;
  close(): Promise<void>;
}

/** The small HTTP server each back-office service runs for operators and Prometheus. */
export async function startOpsServer(
  options: OpsRoutesOptions & { host: string; port: number; logger: Logger },
): Promise<OpsServer> {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: "ops-http" }) as FastifyBaseLogger,
    // Operators' and Prometheus's polls are not worth a log line each.
    logController: new LogController({ disableRequestLogging: true }),
  });
  registerOpsRoutes(app, options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return { app, port, close: () => app.close() };
}
