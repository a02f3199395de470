import { spawn } from "node:child_process";
import pg from "pg";
import { kafkaClasspath } from "@oms/infra";
import { toolKafka } from "../../support/tool-servers.ts";

/**
 * The floor of this machine, measured in the same run as the system: what the raw
 * servers do without the services. The system's figures are then stated as a ratio to
 * these, so a noisy or slow machine shows up in both and the ratio stays comparable.
 */
export interface KafkaFloor {
  records: number;
  recordSize: number;
  recordsPerSecond: number;
  mbPerSecond: number;
  avgLatencyMs: number;
  p99LatencyMs: number;
  settings: string;
}

export interface PostgresFloor {
  /** Two inserts and a commit per transaction (one order and its outbox row), one connection. */
  singleConnectionCommitsPerSecond: number;
  singleConnectionP99Ms: number;
  /** The same on eight connections. */
  eightConnectionsCommitsPerSecond: number;
  /** 100 orders (and their outbox rows) per transaction on four connections: orders per second. */
  batchedOrdersPerSecond: number;
  /**
   * The cheapest statement there is (a prepared SELECT of its parameter) on eight
   * connections: round trips per second. Divided by the statements an order costs, it
   * bounds the lifecycle's throughput from above, whatever the statements do.
   */
  eightConnectionsRoundTripsPerSecond: number;
  secondsPerMeasurement: number;
}

const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : "java";

/** Apache Kafka's own ProducerPerformance, from the same jars as the broker, on a topic of the namespace. */
export async function measureKafkaFloor(brokers: string[], namespace: string, records: number): Promise<KafkaFloor> {
  const topic = `${namespace}.bench.floor`;
  const admin = toolKafka(brokers, "oms-bench-floor").admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const recordSize = 512;
  const props = [`bootstrap.servers=${brokers.join(",")}`, "acks=all", "linger.ms=5", "batch.size=65536"];
  const classpath = await kafkaClasspath();
  const args = ["-Xmx512m", "-cp", classpath, "org.apache.kafka.tools.ProducerPerformance", "--topic", topic, "--num-records", String(records), "--record-size", String(recordSize), "--throughput", "-1", "--producer-props", ...props];
  const output = await run(java, args);
  // "500000 records sent, 123456.7 records/sec (60.28 MB/sec), 12.34 ms avg latency, 345.00 ms max latency, 5 ms 50th, 30 ms 95th, 50 ms 99th, 70 ms 99.9th."
  const final = output.split("\n").reverse().find((line) => /records sent/.test(line) && /99th/.test(line));
  const match = final && /([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency.*?, (\d+) ms 99th/.exec(final);
  if (!match) throw new Error(`ProducerPerformance printed no summary:\n${output.slice(-2000)}`);
  return {
    records,
    recordSize,
    recordsPerSecond: Math.round(Number(match[1])),
    mbPerSecond: Number(match[2]),
    avgLatencyMs: Number(match[3]),
    p99LatencyMs: Number(match[4]),
    settings: props.slice(1).join(" "),
  };
}

/**
 * The insert-and-commit pattern of intake (an order row and its outbox row per
 * transaction), without the services: one connection, eight, and 100 orders per commit.
 */
export async function measurePostgresFloor(databaseUrl: string, secondsEach: number): Promise<PostgresFloor> {
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query(`
    CREATE SCHEMA IF NOT EXISTS bench_floor;
    CREATE TABLE IF NOT EXISTS bench_floor.orders (order_id uuid PRIMARY KEY, store_id text NOT NULL, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE IF NOT EXISTS bench_floor.outbox (id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, topic text NOT NULL, payload bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  `);
  await setup.end();
  const body = JSON.stringify({ lines: [{ sku: "KETTLE-1L7", quantity: 1, unitPriceMinor: 19900 }], totals: { grandTotalMinor: 19900 } });
  const payload = Buffer.alloc(400, 7);

  const single = await commitLoop(databaseUrl, 1, 1, secondsEach, body, payload);
  const eight = await commitLoop(databaseUrl, 8, 1, secondsEach, body, payload);
  const batched = await commitLoop(databaseUrl, 4, 100, secondsEach, body, payload);
  const roundTrips = await roundTripLoop(databaseUrl, 8, secondsEach);

  const cleanup = new pg.Client({ connectionString: databaseUrl });
  await cleanup.connect();
  await cleanup.query("DROP SCHEMA bench_floor CASCADE");
  await cleanup.end();
  return {
    singleConnectionCommitsPerSecond: Math.round(single.transactions / single.seconds),
    singleConnectionP99Ms: single.p99Ms,
    eightConnectionsCommitsPerSecond: Math.round(eight.transactions / eight.seconds),
    batchedOrdersPerSecond: Math.round((batched.transactions * 100) / batched.seconds),
    eightConnectionsRoundTripsPerSecond: Math.round(roundTrips),
    secondsPerMeasurement: secondsEach,
  };
}

async function commitLoop(url: string, connections: number, ordersPerTransaction: number, seconds: number, body: string, payload: Buffer) {
  const latencies: number[] = [];
  const elapsed = await onConnections(url, connections, seconds, async (client) => {
    const ids = Array.from({ length: ordersPerTransaction }, () => crypto.randomUUID());
    const events = Array.from({ length: ordersPerTransaction }, () => crypto.randomUUID());
    const t0 = performance.now();
    await client.query("BEGIN");
    await client.query("INSERT INTO bench_floor.orders (order_id, store_id, body) SELECT unnest($1::uuid[]), 'store-sh-jingan', $2::jsonb", [ids, body]);
    await client.query("INSERT INTO bench_floor.outbox (event_id, topic, payload) SELECT unnest($1::uuid[]), 'oms.intake.order.v1', $2", [events, payload]);
    await client.query("COMMIT");
    latencies.push(performance.now() - t0);
  });
  latencies.sort((a, b) => a - b);
  const p99Ms = Math.round((latencies[Math.max(0, Math.ceil(latencies.length * 0.99) - 1)] ?? 0) * 10) / 10;
  return { transactions: latencies.length, seconds: elapsed, p99Ms };
}

/** Round trips per second of a prepared one-parameter SELECT on `connections` connections. */
async function roundTripLoop(url: string, connections: number, seconds: number): Promise<number> {
  let roundTrips = 0;
  const elapsed = await onConnections(url, connections, seconds, async (client) => {
    await client.query({ name: "bench_floor_round_trip", text: "SELECT $1::int AS n", values: [roundTrips] });
    roundTrips++;
  });
  return roundTrips / elapsed;
}

/** Runs `step` over and over on each of `connections` connections for `seconds`; returns the seconds it took. */
async function onConnections(url: string, connections: number, seconds: number, step: (client: pg.Client) => Promise<void>): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) await step(client);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return elapsed;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}:\n${output.slice(-2000)}`))));
  });
}
