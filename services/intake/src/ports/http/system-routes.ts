import type { FastifyInstance } from "fastify";
import type { GrpcTarget } from "@oms/grpc";
import type { ServiceName } from "@oms/service-kit";
import { checkSystemHealth } from "../../app/queries/check-system-health.ts";

export interface SystemRouteDeps {
  /** Where each service's gRPC server is, intake's own included, and under mutual TLS how to reach it. */
  grpcAddressOf: (service: ServiceName) => GrpcTarget;
  openApi: object;
}

/** `/healthz` (the seven services' gRPC health) and `/openapi.json`. */
export function registerSystemRoutes(app: FastifyInstance, deps: SystemRouteDeps): void {
  const openApiJson = JSON.stringify(deps.openApi);
  app.get("/openapi.json", async (_request, reply) => reply.type("application/json").send(openApiJson));

  app.get("/healthz", async (_request, reply) => {
    const health = await checkSystemHealth(deps.grpcAddressOf);
    return reply.code(health.status === "SERVING" ? 200 : 503).send(health);
  });
}
