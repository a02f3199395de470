// `npm start`: the whole system on this machine — servers, seven services, demo chain.
import { ensureKafka, type KafkaServer } from "../kafka.ts";
import { ensurePostgres } from "../postgres.ts";
import { ensureRedis } from "../redis.ts";
import { startStack, type RunningStack } from "../stack.ts";
import { prepareSystem } from "../system.ts";

const say = (message: string) => process.stdout.write(`[oms] ${message}\n`);

const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const database = process.env.OMS_DATABASE ?? "oms";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let kafka: KafkaServer | undefined;
let stack: RunningStack | undefined;
/** The services' start while it is under way: a signal then must stop what it spawned so far. */
let stackStarting: Promise<RunningStack> | undefined;
const giveUpStarting = new AbortController();
let stopping: Promise<void> | undefined;

/** Stops everything once, whoever asks first (a signal, a failed start, a crashed service), and exits with that one's code. */
function shutdown(code: number): void {
  if (stopping) return;
  stopping = (async () => {
    say("stopping the services…");
    giveUpStarting.abort();
    // A start under way stops what it spawned and rejects; its error is reported by the start itself.
    await stackStarting?.catch(() => {});
    await stack?.stop();
    if (kafka?.startedHere) say("stopping Kafka…");
    await kafka?.stop();
    say("stopped");
  })();
  void stopping.then(
    () => process.exit(code),
    (error: unknown) => {
      say(`stopping failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}

process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

try {
  await ensurePostgres(serverUrl, say);
  await ensureRedis(redisUrl, say);
  const brokers = process.env.KAFKA_BROKERS?.split(",");
  if (!brokers) kafka = await ensureKafka({}, say);
  const kafkaBrokers = brokers ?? kafka!.brokers;
  say(`Kafka at ${kafkaBrokers.join(",")}${kafka?.startedHere ? " (started here; logs in .infra/kafka)" : " (reused)"}`);
  const databaseUrl = await prepareSystem({ serverUrl, database, kafkaBrokers });
  stackStarting = startStack({
    databaseUrl,
    kafkaBrokers,
    redisUrl,
    seedDemo: true,
    env: { LOG_FORMAT: process.env.LOG_FORMAT ?? "pretty" },
    log: say,
    signal: giveUpStarting.signal,
  });
  stack = await stackStarting;

  const url = stack.intakeUrl;
  say("");
  say(`The order system is up. Intake (REST): ${url}`);
  say(`  health of all seven services: ${url}/healthz`);
  say(`  API description (OpenAPI 3.1): ${url}/openapi.json`);
  say(`  place the demo order:   curl -s -X POST ${url}/v1/orders -H 'content-type: application/json' \\`);
  say(`                            -d "$(node -e 'console.log(JSON.stringify(require("./infra/demo/chain.json").demoOrder))')"`);
  say(`  follow it:              curl -s ${url}/v1/orders/<orderId>`);
  say(`  metrics: ${url}/metrics and http://127.0.0.1:9101-9106/metrics; gRPC on 127.0.0.1:7050-7056 (mutual TLS, certificates in .infra/grpc-tls)`);
  say("Ctrl-C stops everything this command started.");
  for (const service of Object.values(stack.services)) {
    service.process.once("exit", (code, signal) => {
      if (!stopping) {
        say(`${service.name} exited unexpectedly (${code ?? signal}); stopping everything`);
        shutdown(1);
      }
    });
  }
} catch (error) {
  if (!stopping) say(`could not start: ${(error as Error).message}`);
  shutdown(1);
}
