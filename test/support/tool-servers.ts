import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { topicSpecs } from "@oms/contracts";
import { ensureKafka, ensurePostgres, ensureRedis, portIsOpen, repositoryRoot, type KafkaServer } from "@oms/infra";
import { createKafka, ensureTopics } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { withDatabase } from "@oms/postgres";

/**
 * The servers the benchmark and the fault harness run against, outside vitest (the
 * suite's `testInfrastructure()` only exists inside it). Same rules as `npm test`:
 * DATABASE_URL / REDIS_URL / KAFKA_BROKERS win; otherwise the machine's Postgres and
 * Redis, and a Kafka broker started from the jars when nothing listens.
 */
export interface ToolServers {
  serverUrl: string;
  redisUrl: string;
  kafkaBrokers: string[];
  /** The broker, when this process started it (only then may it be restarted or stopped). */
  kafka: KafkaServer | undefined;
  /** Stops and starts the broker on the same data (only one this process started). */
  restartKafka(): Promise<void>;
  release(): Promise<void>;
}

export interface ToolServerOptions {
  log: (message: string) => void;
  /**
   * Start a broker of our own on a free port even if one listens on 9092: the fault
   * harness restarts its broker, which must not be anybody else's.
   */
  privateKafka?: boolean;
  /** Servers chosen by the caller (e.g. private ones the fault harness may restart). */
  serverUrl?: string;
  redisUrl?: string;
}

export async function prepareToolServers(options: ToolServerOptions): Promise<ToolServers> {
  const serverUrl = options.serverUrl ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  await ensurePostgres(serverUrl, options.log);
  await ensureRedis(redisUrl, options.log);
  let kafka: KafkaServer | undefined;
  let kafkaBrokers: string[];
  // A private broker's data and logs are this run's alone: removed once it stopped.
  let privateDirs: string[] = [];
  let privateKafkaPort: number | undefined;
  let kafkaOptions: { port?: number; dataDir?: string } = {};
  if (process.env.KAFKA_BROKERS && !options.privateKafka) {
    kafkaBrokers = process.env.KAFKA_BROKERS.split(",").map((b) => b.trim());
  } else {
    const port = options.privateKafka ? await freeKafkaPort() : undefined;
    privateKafkaPort = port;
    privateDirs = port === undefined ? [] : [path.join(tmpdir(), `oms-kafka-${port}`), path.join(repositoryRoot, ".infra/kafka", `logs-${port}`)];
    kafkaOptions = port === undefined ? {} : { port, dataDir: privateDirs[0]! };
    kafka = await ensureKafka(kafkaOptions, options.log);
    kafkaBrokers = kafka.brokers;
    if (!kafka.startedHere) kafka = undefined;
  }
  const servers: ToolServers = {
    serverUrl,
    redisUrl,
    kafkaBrokers,
    kafka,
    restartKafka: async () => {
      if (!servers.kafka) throw new Error("the Kafka broker was not started by this run: it is not ours to restart");
      await servers.kafka.stop();
      servers.kafka = await ensureKafka(kafkaOptions, options.log);
    },
    release: async () => {
      await servers.kafka?.stop();
      for (const dir of privateDirs) rmSync(dir, { recursive: true, force: true });
      if (privateKafkaPort !== undefined) {
        rmSync(path.join(tmpdir(), `oms-kafka-${privateKafkaPort}.cluster-id`), { force: true });
        rmSync(path.join(tmpdir(), `server-${privateKafkaPort}.properties`), { force: true });
      }
    },
  };
  return servers;
}

/** A namespace of one tool run: its own topics, consumer groups and database. */
export interface ToolNamespace {
  name: string;
  database: string;
  /** Admin URL of the namespace's database (what the services provision their schemas in). */
  databaseUrl: string;
  drop(): Promise<void>;
}

// The prefix `npm test` sweeps: a run that died leaves nothing behind for long (two hours).
const DATABASE_PREFIX = "oms_test_";

/**
 * Creates the namespace: `<letter><unix seconds base 36>x<hex>`, the shape test
 * namespaces have, so the suite's sweep of dead runs' databases recognises it.
 */
export async function createToolNamespace(servers: ToolServers, letter: string, partitions: number): Promise<ToolNamespace> {
  const name = `${letter}${Math.floor(Date.now() / 1000).toString(36)}x${randomBytes(3).toString("hex")}`;
  const database = `${DATABASE_PREFIX}${name}`;
  await adminQuery(servers.serverUrl, `CREATE DATABASE ${database}`);
  const kafka = toolKafka(servers.kafkaBrokers, "oms-tool-admin");
  await ensureTopics(kafka, topicSpecs(name, partitions));
  return {
    name,
    database,
    databaseUrl: withDatabase(servers.serverUrl, database),
    drop: async () => {
      await deleteTopicsOf(servers.kafkaBrokers, name).catch(() => {});
      await adminQuery(servers.serverUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

const quietLogger = createLogger({ service: "oms-tool", level: "error", pretty: false });

/** A kafkajs client that logs only errors, for the tools' own admin, consumers and producers. */
export function toolKafka(brokers: string[], clientId: string) {
  return createKafka({ brokers, clientId }, quietLogger);
}

async function deleteTopicsOf(brokers: string[], namespace: string): Promise<void> {
  const admin = toolKafka(brokers, "oms-tool-admin").admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** A port for a private broker whose controller port (port + 1000) is free too. */
async function freeKafkaPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (!(await portIsOpen("127.0.0.1", port, 200)) && !(await portIsOpen("127.0.0.1", port + 1000, 200))) return port;
  }
  throw new Error("found no free port pair for a private Kafka broker");
}

export async function adminQuery(serverUrl: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}
