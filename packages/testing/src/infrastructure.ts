import pg from "pg";
import { ensureKafka, ensurePostgres, ensureRedis, type KafkaServer } from "@oms/infra";
import { dockerIsAvailable, startContainers, type StartedContainers } from "./containers.ts";
import type { TestInfrastructure } from "./environment.ts";
import { TEST_DATABASE_PREFIX, namespaceCreatedAt } from "./namespace.ts";

export interface PreparedInfrastructure {
  infrastructure: TestInfrastructure;
  /** Stops whatever this preparation started. */
  release(): Promise<void>;
}

/**
 * The servers a test run talks to. Order of preference: containers, when
 * OMS_TEST_INFRA=testcontainers asks for them and a Docker engine is reachable; otherwise
 * the URLs given in the environment (a user's own servers), and for what they do not name
 * the servers of this machine (native: Postgres and Redis are used, Kafka is started from
 * its jars if nothing listens — what CI runs).
 */
export async function prepareTestInfrastructure(log: (message: string) => void = () => {}): Promise<PreparedInfrastructure> {
  let containers: StartedContainers | undefined;
  let kafka: KafkaServer | undefined;
  let infrastructure: TestInfrastructure;

  if (process.env.OMS_TEST_INFRA === "testcontainers" && (await dockerIsAvailable())) {
    containers = await startContainers();
    infrastructure = containers.infrastructure;
  } else {
    const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
    await ensurePostgres(serverUrl, log);
    await ensureRedis(redisUrl, log);
    if (process.env.KAFKA_BROKERS) {
      infrastructure = { serverUrl, redisUrl, kafkaBrokers: process.env.KAFKA_BROKERS.split(","), mode: "native" };
    } else {
      kafka = await ensureKafka({}, log);
      infrastructure = { serverUrl, redisUrl, kafkaBrokers: kafka.brokers, mode: "native" };
    }
  }
  await dropLeftoverTestDatabases(infrastructure.serverUrl);
  return {
    infrastructure,
    release: async () => {
      await kafka?.stop();
      await containers?.stop();
    },
  };
}

/**
 * Databases of namespaces whose run died before dropping them: older than two hours, so
 * a run going on beside this one (another terminal, a benchmark) keeps its own.
 */
async function dropLeftoverTestDatabases(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${TEST_DATABASE_PREFIX}%`]);
    const cutoff = Date.now() - 2 * 3600_000;
    for (const { datname } of rows) {
      const createdAt = namespaceCreatedAt(datname);
      if (!createdAt || createdAt.getTime() < cutoff) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
