// `npm run bench`: the whole system on this machine under an open-loop load, with the
// machine's own floor measured in the same run. See docs/performance.md.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadDemoChain } from "@oms/service-kit";
import { backgroundPriorityOf, lowerThreadPriority, repositoryRoot, type RunningStack } from "@oms/infra";
import { ConsumerLagSampler } from "../../support/consumer-lag.ts";
import { JsonClient } from "../../support/http-client.ts";
import { HumanSimulator } from "../../support/human-simulator.ts";
import { closeHumanApi, connectHumanApi, type HumanApi } from "../../support/human-api.ts";
import { IntakeRecorder } from "../../support/intake-load.ts";
import { describeMachine } from "../../support/machine.ts";
import { OrderTracker } from "../../support/order-tracker.ts";
import { PostgresActivitySampler } from "../../support/postgres-activity.ts";
import { pidsMatching, pidsNamed, ProcessSampler } from "../../support/process-sampler.ts";
import { ProgressLine } from "../../support/progress.ts";
import { seedChainThroughApi } from "../../support/chain-seeding.ts";
import { startToolSystem, toolLogDir } from "../../support/tool-system.ts";
import { createToolNamespace, prepareToolServers, type ToolNamespace, type ToolServers } from "../../support/tool-servers.ts";
import { writeBenchChain } from "./bench-chain.ts";
import { renderBenchChart } from "./chart.ts";
import { measureKafkaFloor, measurePostgresFloor, type KafkaFloor, type PostgresFloor } from "./floor.ts";
import { measurePipelineHops } from "./hops.ts";
import { parseBenchOptions } from "./options.ts";
import { computeResults } from "./results.ts";
import { renderReport, renderSummary } from "./report.ts";
import { runDrain, runLoadPhase } from "./phases.ts";
import { autovacuumNaptimeMs, StatisticsKeeper } from "./statistics.ts";
import { summarizeProfiles } from "./profile-report.ts";
import { readStatementCounts } from "../../support/statement-counts.ts";
import { applyServerSettings, type AppliedSettings } from "./server-settings.ts";

const options = parseBenchOptions(process.argv.slice(2));
const progress = new ProgressLine();
const say = (message: string) => progress.say(`[bench] ${message}`);
const abort = new AbortController();

let servers: ToolServers | undefined;
let namespace: ToolNamespace | undefined;
let stack: RunningStack | undefined;
let tracker: OrderTracker | undefined;
let lag: ConsumerLagSampler | undefined;
let sampler: ProcessSampler | undefined;
let simulator: HumanSimulator | undefined;
let pgActivity: PostgresActivitySampler | undefined;
let statistics: StatisticsKeeper | undefined;
let api: HumanApi | undefined;
let client: JsonClient | undefined;
let chainFile: string | undefined;
let pgSettings: AppliedSettings | undefined;
let interrupted = false;
/** Environment settings of the system under test that a report's command line must carry. */
const runSettings = ["OMS_BACKGROUND_NICE", "OMS_SERVICE_NODE_OPTIONS", "OMS_CONSUMER_MIN_BYTES", "OMS_CONSUMER_MAX_WAIT_MS", "OMS_OUTBOX_GATHER_MS", "MALLOC_ARENA_MAX"];

process.on("SIGINT", () => {
  if (interrupted) return;
  interrupted = true;
  say("interrupted: stopping the load, then everything this run started");
  abort.abort();
});
process.on("SIGTERM", () => abort.abort());

/** Freezes or lets go every service but intake (for --intake-only). */
function freezeBehindIntake(signal: "SIGSTOP" | "SIGCONT"): void {
  for (const service of Object.values(stack?.services ?? {})) {
    if (service.name !== "intake" && service.process.pid && service.process.exitCode === null) process.kill(service.process.pid, signal);
  }
}

async function cleanUp(): Promise<void> {
  if (options.intakeOnly) freezeBehindIntake("SIGCONT");
  simulator?.stop();
  sampler?.stop();
  await statistics?.stop();
  await pgActivity?.stop().catch(() => {});
  await lag?.stop().catch(() => {});
  await tracker?.stop().catch(() => {});
  if (api) closeHumanApi(api);
  client?.close();
  if (stack) {
    say("stopping the services");
    await stack.stop().catch((error: unknown) => say(`stopping the services failed: ${(error as Error).message}`));
  }
  if (namespace && !options.keep) await namespace.drop().catch((error: unknown) => say(`dropping ${namespace!.name} failed: ${(error as Error).message}`));
  if (namespace && options.keep) say(`kept namespace ${namespace.name} (database ${namespace.database})`);
  if (servers?.kafka) say("stopping the Kafka broker this run started");
  await servers?.release().catch(() => {});
  if (chainFile) rmSync(chainFile, { force: true });
  if (pgSettings?.described.length) {
    say("putting Postgres's settings back");
    await pgSettings.restore().catch((error: unknown) => say(`putting Postgres's settings back failed (${(error as Error).message}): run ALTER SYSTEM RESET for ${pgSettings!.described.join(", ")}`));
  }
}

async function main(): Promise<number> {
  servers = await prepareToolServers({ log: say });
  // Before the machine is described, so its Postgres line shows the settings the run had.
  pgSettings = await applyServerSettings(servers.serverUrl, options.pgSettings);
  if (pgSettings.described.length) say(`Postgres settings for this run: ${pgSettings.described.join(", ")}`);
  const machine = await describeMachine(servers);
  namespace = await createToolNamespace(servers, "b", 6);
  say(`namespace ${namespace.name}; Kafka at ${servers.kafkaBrokers.join(",")}${servers.kafka ? " (started by this run)" : " (reused)"}`);

  const floor: { kafka?: KafkaFloor; postgres?: PostgresFloor } = {};
  if (options.floor) {
    say("measuring the floor: Postgres insert+commit and round trips (4 × 3 s)");
    floor.postgres = await measurePostgresFloor(namespace.databaseUrl, 3);
    say(`  ${floor.postgres.singleConnectionCommitsPerSecond} commits/s on 1 connection, ${floor.postgres.eightConnectionsCommitsPerSecond} on 8, ${floor.postgres.batchedOrdersPerSecond} orders/s at 100 per commit, ${floor.postgres.eightConnectionsRoundTripsPerSecond} round trips/s on 8`);
    say("measuring the floor: Kafka ProducerPerformance (300,000 × 512 B)");
    floor.kafka = await measureKafkaFloor(servers.kafkaBrokers, namespace.name, 300_000);
    say(`  ${floor.kafka.recordsPerSecond} records/s`);
  }

  const demo = await loadDemoChain();
  chainFile = path.join(tmpdir(), `oms-bench-chain-${namespace.name}.json`);
  const wanted = writeBenchChain(demo, chainFile);
  say(`starting the seven services (logs in ${path.relative(process.cwd(), toolLogDir(namespace.name))})`);
  const profileDir = path.join(repositoryRoot, "test-results/profiles", namespace.name);
  if (options.profile) mkdirSync(profileDir, { recursive: true });
  stack = await startToolSystem({
    servers,
    namespace,
    logDir: toolLogDir(namespace.name),
    chainFile,
    log: say,
    // Each service writes its profile when it exits (the graceful stop at the end of the run).
    ...(options.profile ? { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=1000` } } : {}),
  });
  const notes = [`The load generator (in a thread of its own), the simulated people and the measurement run in the bench process, on the same ${machine.cpus} cores as the system.`];
  if (pgSettings.described.length) notes.push(`Postgres settings changed for this run (ALTER SYSTEM and a reload, put back at its end): ${pgSettings.described.join(", ")}.`);
  const seeded = await seedChainThroughApi(stack, wanted, demo, say);
  notes.push(...seeded.notes);

  client = new JsonClient(stack.intakeUrl, { maxSockets: options.maxSockets });
  // A wave takes at most what a service commits in one transaction (the command batchers' default maxBatch).
  api = await connectHumanApi(stack, client, options.waveMs > 0 ? { windowMs: options.waveMs, maxItems: 50 } : undefined);
  tracker = new OrderTracker(servers.kafkaBrokers, namespace.name);
  simulator = new HumanSimulator({ api, tracker, thinkMs: options.thinkMs, retryBudgetMs: 15_000 });
  await simulator.probe();
  const offered = simulator.figures();
  say(`human steps offered: ${offered.filter((s) => s.offered).map((s) => s.name).join(", ") || "none"}; not yet: ${offered.filter((s) => !s.offered).map((s) => s.name).join(", ") || "none"}`);
  await tracker.start();
  lag = new ConsumerLagSampler(servers.kafkaBrokers, namespace.name);
  await lag.start(2000);
  const brokerPid = servers.kafka?.pid;
  const running = stack;
  sampler = new ProcessSampler(() => ({
    ...Object.fromEntries(Object.values(running.services).map((s) => [s.name, s.process.pid ? [s.process.pid] : []])),
    bench: [process.pid],
    kafka: brokerPid ? [brokerPid] : pidsMatching("kafka.Kafka", `${servers!.kafkaBrokers[0]!.split(":")[1]}.properties`),
    postgres: pidsNamed("postgres"),
    redis: pidsNamed("redis-server"),
  }));
  sampler.start(1000);
  pgActivity = new PostgresActivitySampler(servers.serverUrl, namespace.database);
  await pgActivity.start(1000);
  // The system with nothing to do: what its pollers alone ask of Postgres and the CPU.
  const idleFrom = Date.now();
  progress.update(0, "idle", "measuring the idle system for 6 s");
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  const idle = { from: idleFrom + 1_000, to: Date.now() };

  const generator = { intakeUrl: stack.intakeUrl, maxSockets: options.maxSockets, chain: seeded.chain, mix: options.mix, runId: namespace.name, seed: options.seed };
  const recorder = new IntakeRecorder();
  if (options.intakeOnly) {
    notes.push("--intake-only: the six services behind intake were frozen (SIGSTOP) during the load and let go for the drain; lifecycle figures are not comparable.");
    freezeBehindIntake("SIGSTOP");
  }
  const statementsBefore = await readStatementCounts(stack);
  const keeper = new StatisticsKeeper(namespace.databaseUrl, {
    everyMs: autovacuumNaptimeMs,
    onError: (error) => say(`analyzing the database failed: ${error.message}`),
  });
  statistics = keeper; // for cleanUp, should the run be interrupted
  // With the services behind intake put behind it, the bench's own main thread (the order
  // tracker, the simulated people, the samplers) goes behind it too, once the load
  // generator's thread runs: it stands for the customers' and the people's machines, not
  // the system's (at normal priority, 25–45 % of a core: intake's p99 at 1,000/s was 64–73 ms
  // in three runs against 50.5–61 ms in six with it behind; sixteenth session).
  const backgroundPriority = backgroundPriorityOf(process.env);
  const behindIntake = () => {
    lowerThreadPriority(process.pid, backgroundPriority);
    notes.push(`The bench's main thread (the order tracker, the simulated people, the samplers) ran at the background's priority (${backgroundPriority}) from the start of the load; its load generator's thread at normal priority.`);
  };
  const load = await runLoadPhase({
    options,
    generator,
    recorder,
    simulator,
    tracker,
    lag,
    progress,
    signal: abort.signal,
    say,
    atWarmupMiddle: () => keeper.start(),
    ...(backgroundPriority === 0 ? {} : { onGeneratorStarted: behindIntake }),
  });
  if (options.intakeOnly) freezeBehindIntake("SIGCONT");
  const drainEndedAt = await runDrain({ options, recorder, simulator, tracker, lag, window: load.window, progress, signal: abort.signal });
  const statements = { before: statementsBefore, after: await readStatementCounts(stack) };
  await keeper.stop();
  const analyzed = keeper.note();
  if (analyzed) notes.push(analyzed);
  progress.done();
  simulator.stop();
  await lag.sample().catch(() => undefined);

  const pipelineHops = await measurePipelineHops(namespace.databaseUrl).catch((error: unknown) => {
    say(`reading the timeline's hops failed: ${(error as Error).message}`);
    return [];
  });
  const results = computeResults({
    machine,
    run: {
      rate: options.rate,
      durationS: options.durationS,
      warmupS: options.warmupS,
      drainS: options.drainS,
      mix: options.mixText,
      thinkMs: options.thinkMs,
      chain: seeded.description,
      namespace: namespace.name,
      intakeOnly: options.intakeOnly,
      waveMs: options.waveMs,
      // The settings that change what runs, as they were given, so the command reproduces the run.
      command: [
        ...runSettings.filter((key) => process.env[key]).map((key) => `${key}=${process.env[key]}`),
        "npm run bench",
        ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : []),
      ].join(" "),
    },
    notes,
    floor,
    recorder,
    load: load.summary,
    window: load.window,
    drainEndedAt,
    tracker,
    simulator,
    lag,
    processes: sampler,
    postgres: pgActivity,
    idle,
    nodeServices: Object.keys(stack.services),
    pipelineHops,
    statements,
  });
  if (options.profile) {
    const pids = Object.fromEntries(Object.values(stack.services).map((s) => [s.process.pid, s.name]));
    say("stopping the services so they write their CPU profiles");
    // Idle keep-alive connections would hold intake's HTTP server open past its shutdown deadline.
    client.close();
    await stack.stop();
    stack = undefined;
    results.profiles = summarizeProfiles(profileDir, pids, path.join(options.out, "profiles"));
  }
  mkdirSync(options.out, { recursive: true });
  writeFileSync(path.join(options.out, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(options.out, "report.md"), renderReport(results));
  writeFileSync(path.join(options.out, "chart.html"), renderBenchChart(results));
  process.stdout.write(`\n${renderSummary(results)}\n\nresults: ${path.relative(process.cwd(), options.out)}/results.json, report.md, chart.html\n`);
  return interrupted ? 130 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  progress.done();
  say(`failed: ${(error as Error).stack ?? (error as Error).message}`);
} finally {
  await cleanUp();
}
process.exit(code);
