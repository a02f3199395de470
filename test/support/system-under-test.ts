import path from "node:path";
import { repositoryRoot, startStack, type RunningStack } from "@oms/infra";
import { serviceNames, type ServiceName } from "@oms/service-kit";
import { createTestNamespace, freePorts, testInfrastructure, type TestNamespace } from "@oms/testing";

export interface SystemUnderTest {
  namespace: TestNamespace;
  stack: RunningStack;
  /** Intake's base URL. */
  url: string;
  stop(): Promise<void>;
}

/**
 * The seven services as separate processes, in a namespace of their own (topics,
 * groups, database), on free ports, with the demo chain seeded. Their logs go to
 * test-results/logs/<namespace>/.
 */
export async function startSystem(env: NodeJS.ProcessEnv = {}): Promise<SystemUnderTest> {
  const namespace = await createTestNamespace("e");
  const infrastructure = testInfrastructure();
  const ports = await freePorts(serviceNames.length * 2);
  const stack = await startStack({
    databaseUrl: namespace.databaseUrl,
    kafkaBrokers: infrastructure.kafkaBrokers,
    redisUrl: infrastructure.redisUrl,
    namespace: namespace.name,
    seedDemo: true,
    logDir: path.join(repositoryRoot, "test-results/logs", namespace.name),
    ports: Object.fromEntries(serviceNames.map((name, i) => [name, { grpc: ports[2 * i]!, http: ports[2 * i + 1]! }])) as Record<
      ServiceName,
      { grpc: number; http: number }
    >,
    env: { LOG_FORMAT: "json", LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "info", ...env },
  });
  return {
    namespace,
    stack,
    url: stack.intakeUrl,
    stop: async () => {
      await stack.stop();
      await namespace.drop();
    },
  };
}
