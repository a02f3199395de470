// `npm run infra -- up|down|status`: the three servers for development, outside `npm start`.
// `up` leaves a broker running after it exits (pid in .infra/kafka/kafka-<port>.pid), which
// `npm start` and `npm test` then reuse; `down` stops only that broker.
import { ensureDevCertificates } from "../grpc-certificates.ts";
import { ensureKafka, kafkaPortOf, stopDetachedKafka, waitUntilAnswering } from "../kafka.ts";
import { checkPostgres, describeError, ensurePostgres } from "../postgres.ts";
import { checkRedis, ensureRedis } from "../redis.ts";

const say = (message: string) => process.stdout.write(`[infra] ${message}\n`);
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
// A cluster named by KAFKA_BROKERS belongs to someone else: never start or stop one then.
const externalBrokers = process.env.KAFKA_BROKERS?.split(",").filter(Boolean);

async function up(port: number): Promise<void> {
  await ensurePostgres(databaseUrl, say);
  await ensureRedis(redisUrl, say);
  if (externalBrokers) say(`using KAFKA_BROKERS=${externalBrokers.join(",")}`);
  else await ensureKafka({ detached: true, port }, say);
  // The stack makes them too; here they are ready for a service started by hand (ADR 020).
  const certificates = await ensureDevCertificates(undefined, say);
  say(`development gRPC certificates (mutual TLS) in ${certificates.directory}`);
  say("Postgres, Redis and Kafka are up; `npm run infra -- down` stops a broker this started");
}

async function down(port: number): Promise<void> {
  if (externalBrokers) say("KAFKA_BROKERS is set: nothing of ours to stop");
  else say((await stopDetachedKafka(port)) ? `Kafka on port ${port} stopped` : `no broker started by \`infra up\` runs on port ${port}`);
}

/** Reports without starting anything; exits 1 when a server is down, for scripts. */
async function status(port: number): Promise<number> {
  const brokers = externalBrokers ?? [`127.0.0.1:${port}`];
  const checks: [string, () => Promise<Error | undefined>][] = [
    ["postgres", () => checkPostgres(databaseUrl)],
    ["redis", () => checkRedis(redisUrl)],
    ["kafka", () => waitUntilAnswering(brokers, 3_000).then(() => undefined, (error: Error) => error)],
  ];
  let down = 0;
  for (const [name, check] of checks) {
    const error = await check();
    if (error) down++;
    say(`${name}: ${error ? `DOWN (${describeError(error)})` : "up"}${name === "kafka" ? ` at ${brokers.join(",")}` : ""}`);
  }
  return down === 0 ? 0 : 1;
}

try {
  // Read here, inside the try, so a bad KAFKA_PORT is reported as the failure it is.
  const port = kafkaPortOf();
  switch (process.argv[2]) {
    case "up":
      await up(port);
      break;
    case "down":
      await down(port);
      break;
    case "status":
      process.exitCode = await status(port);
      break;
    default:
      say("usage: npm run infra -- up|down|status");
      process.exitCode = 2;
  }
} catch (error) {
  say(`failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
