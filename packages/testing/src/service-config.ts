import { loadServiceConfig, type ServiceConfig, type ServiceName } from "@oms/service-kit";
import { testInfrastructure } from "./environment.ts";
import type { TestNamespace } from "./namespace.ts";

/** A service's configuration for an in-process integration test: test servers, its namespace, ephemeral ports. */
export function testServiceConfig(service: ServiceName, namespace: TestNamespace, env: NodeJS.ProcessEnv = {}): ServiceConfig {
  const infrastructure = testInfrastructure();
  return loadServiceConfig(service, {
    DATABASE_URL: namespace.databaseUrl,
    KAFKA_BROKERS: infrastructure.kafkaBrokers.join(","),
    REDIS_URL: infrastructure.redisUrl,
    OMS_NAMESPACE: namespace.name,
    [`${service.toUpperCase().replace(/-/g, "_")}_GRPC_PORT`]: "0",
    [service === "intake" ? "INTAKE_HTTP_PORT" : `${service.toUpperCase().replace(/-/g, "_")}_OPS_PORT`]: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    ...env,
  });
}
