import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { topicSpecs } from "@oms/contracts";
import { createKafka, ensureTopics } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { withDatabase } from "@oms/postgres";
import { testInfrastructure } from "./environment.ts";

/**
 * A test namespace isolates one test file (or one end-to-end stack) completely: its own
 * topics and consumer groups on the shared broker, and its own database on the shared
 * Postgres, so outbox relays and timer pollers of parallel files never see each
 * other's rows.
 */
export interface TestNamespace {
  name: string;
  /** Admin URL of the namespace's own database. */
  databaseUrl: string;
  drop(): Promise<void>;
}

export const TEST_DATABASE_PREFIX = "oms_test_";

const quietLogger = createLogger({ service: "test", level: "error", pretty: false });

export function testKafka(clientId = "oms-test") {
  return createKafka({ brokers: testInfrastructure().kafkaBrokers, clientId }, quietLogger);
}

/**
 * Names carry their creation time (base 36 seconds), so a run can tell a dead run's
 * leftovers from the databases of a run going on beside it.
 */
export async function createTestNamespace(prefix = "t"): Promise<TestNamespace> {
  const name = `${prefix}${Math.floor(Date.now() / 1000).toString(36)}x${randomBytes(3).toString("hex")}`;
  const { serverUrl } = testInfrastructure();
  const database = `${TEST_DATABASE_PREFIX}${name}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${database}`);
  await ensureTopics(testKafka(), topicSpecs(name, 2));
  return {
    name,
    databaseUrl: withDatabase(serverUrl, database),
    drop: async () => {
      await deleteNamespaceTopics(name);
      await deleteNamespaceKeys(name);
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

export async function deleteNamespaceTopics(namespace: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** When the namespace in this database name was created, if it is one of ours. */
export function namespaceCreatedAt(database: string): Date | undefined {
  const match = new RegExp(`^${TEST_DATABASE_PREFIX}[a-z]([0-9a-z]+)x[0-9a-f]+$`).exec(database);
  return match ? new Date(parseInt(match[1]!, 36) * 1000) : undefined;
}

/** Redis keys are namespaced as `oms:<namespace>:…` (dispatch's locks and counters). */
async function deleteNamespaceKeys(namespace: string): Promise<void> {
  const redis = new Redis(testInfrastructure().redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `oms:${namespace}:*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
