// The path for machines WITH a Docker engine (not this one, not CI here): the same three
// servers in containers. Kept apart so the native path — the one CI proves — stays plain.
import type { TestInfrastructure } from "./environment.ts";

export async function dockerIsAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
    return true;
  } catch {
    // testcontainers answers "Could not find a working container runtime strategy" in ms.
    return false;
  }
}

export interface StartedContainers {
  infrastructure: TestInfrastructure;
  stop(): Promise<void>;
}

export async function startContainers(): Promise<StartedContainers> {
  const [{ KafkaContainer }, { PostgreSqlContainer }, { RedisContainer }] = await Promise.all([
    import("@testcontainers/kafka"),
    import("@testcontainers/postgresql"),
    import("@testcontainers/redis"),
  ]);
  const [kafka, postgres, redis] = await Promise.all([
    new KafkaContainer("apache/kafka:4.3.1").withKraft().start(),
    new PostgreSqlContainer("postgres:16").withUsername("postgres").withPassword("postgres").start(),
    new RedisContainer("redis:7").start(),
  ]);
  return {
    infrastructure: {
      serverUrl: postgres.getConnectionUri(),
      kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
      redisUrl: redis.getConnectionUrl(),
      mode: "testcontainers",
    },
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop(), redis.stop()]);
    },
  };
}
