import path from "node:path";
import { repositoryRoot, startStack, type RunningStack } from "@oms/infra";
import { serviceNames, type ServiceName } from "@oms/service-kit";
import { freePorts } from "@oms/testing";
import type { ToolNamespace, ToolServers } from "./tool-servers.ts";

export interface ToolSystemOptions {
  servers: Pick<ToolServers, "kafkaBrokers" | "redisUrl">;
  namespace: Pick<ToolNamespace, "name" | "databaseUrl">;
  /** Each service's log goes to `<logDir>/<service>.log`. */
  logDir: string;
  /**
   * A chain file for the services to seed instead of infra/demo/chain.json. Passed as
   * OMS_DEMO_CHAIN; services that do not read that variable seed the demo chain.
   */
  chainFile?: string;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

/** The seven services as processes on free ports, in the tool's namespace, with a chain seeded. */
export async function startToolSystem(options: ToolSystemOptions): Promise<RunningStack> {
  const ports = await freePorts(serviceNames.length * 2);
  return startStack({
    databaseUrl: options.namespace.databaseUrl,
    kafkaBrokers: options.servers.kafkaBrokers,
    redisUrl: options.servers.redisUrl,
    namespace: options.namespace.name,
    seedDemo: true,
    logDir: options.logDir,
    ports: Object.fromEntries(serviceNames.map((name, i) => [name, { grpc: ports[2 * i]!, http: ports[2 * i + 1]! }])) as Record<
      ServiceName,
      { grpc: number; http: number }
    >,
    env: {
      LOG_FORMAT: "json",
      LOG_LEVEL: process.env.OMS_TOOL_LOG_LEVEL ?? "warn",
      ...(options.chainFile ? { OMS_DEMO_CHAIN: options.chainFile } : {}),
      ...options.env,
    },
    ...(options.log ? { log: options.log } : {}),
  });
}

export function toolLogDir(namespace: string): string {
  return path.join(repositoryRoot, "test-results/logs", namespace);
}

/** The consumer group of each service that consumes (group id = `<namespace>.<name>`). */
export const consumerGroupsOf: Partial<Record<ServiceName, string[]>> = {
  fulfillment: ["fulfillment"],
  warehouse: ["warehouse"],
  dispatch: ["dispatch"],
  billing: ["billing"],
  "after-sales": ["after-sales"],
  archive: ["archive"],
};
