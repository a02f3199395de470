// Apache Kafka 4.3.1 from Maven jars as a single-node KRaft server (broker and controller in
// one JVM): there is no Docker engine and no Kafka package here. See infra/kafka/README.md.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { wholeNumberFromEnv } from "@oms/service-kit";
import { moveIntoPlaceUnlessThere } from "./move-into-place.ts";

/** Repository root: infra/src/../.. */
const root = path.resolve(import.meta.dirname, "../..");
const kafkaHome = path.join(root, ".infra/kafka");
const libsRoot = path.join(kafkaHome, "libs");
const pomFile = path.join(root, "infra/kafka/pom.xml");
const log4jConfig = path.join(root, "infra/kafka/log4j2.properties");
// Same rule as bin/kafka-run-class.sh: JAVA_HOME wins over PATH.
const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin/java") : "java";

export interface KafkaServerOptions {
  host?: string;
  /** Default: KAFKA_PORT or 9092 (kafkaPortOf). */
  port?: number;
  /** Default: port + 1000. */
  controllerPort?: number;
  /** Default: .infra/kafka/data-<port>. */
  dataDir?: string;
  /** Default 512: enough for tests and the benchmark on a 2-core machine. */
  heapMb?: number;
  /** Outlive this process (for `npm run infra -- up`); its pid goes to .infra/kafka/kafka-<port>.pid. */
  detached?: boolean;
}

export interface KafkaServer {
  brokers: string[];
  /** False when a broker was already listening and is only reused. */
  startedHere: boolean;
  pid?: number;
  /** Stops the broker if this process started it; a no-op for a reused one. */
  stop(): Promise<void>;
}

type Log = (message: string) => void;

/**
 * Fetches the broker's jars with Maven once (offline afterwards) and returns the classpath.
 * Jars live in a folder named after the pom's hash: changing the pom fetches a new set
 * instead of swapping jars under a broker that is still running from the old one.
 */
export async function kafkaClasspath(log: Log = () => {}): Promise<string> {
  const hash = createHash("sha256").update(readFileSync(pomFile)).digest("hex").slice(0, 12);
  const libsDir = path.join(libsRoot, hash);
  // Written last, so a fetch that died half-way is never taken for a complete one.
  const marker = path.join(libsDir, ".complete");
  if (!existsSync(marker)) {
    log("fetching Apache Kafka's jars with Maven (first run only, ~40 s)");
    const staging = `${libsDir}.tmp-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const result = await run("mvn", ["-q", "-B", "-f", pomFile, "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${staging}`]);
    if (result.code !== 0) {
      rmSync(staging, { recursive: true, force: true });
      throw new Error(`mvn could not fetch Kafka's jars (or set KAFKA_BROKERS to a running Kafka):\n${result.output.slice(-2000)}`);
    }
    writeFileSync(path.join(staging, ".complete"), new Date().toISOString());
    // Two processes fetching at once: the first rename wins, the other's copy is dropped.
    moveIntoPlaceUnlessThere(staging, libsDir);
  }
  pruneUnusedLibs(hash);
  return `${libsDir}/*`;
}

export function portIsOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** The port of the broker the scripts start and stop: KAFKA_PORT, refused by name when it is no port, else 9092. */
export function kafkaPortOf(env: NodeJS.ProcessEnv = process.env): number {
  return wholeNumberFromEnv(env, "KAFKA_PORT", 9092, 1, 65_535);
}

/** A broker on host:port: the one already there, or one started from the jars. */
export async function ensureKafka(options: KafkaServerOptions = {}, log: Log = () => {}): Promise<KafkaServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? kafkaPortOf();
  const brokers = [`${host}:${port}`];
  if (await portIsOpen(host, port)) return reuse(brokers, log);
  const lock = await startLock(port, log);
  try {
    // Whoever held the lock before us may have just started it.
    if (await portIsOpen(host, port)) return await reuse(brokers, log);
    return await start(host, port, options, log);
  } finally {
    lock.close();
  }
}

/**
 * Two JVMs on one data dir corrupt it (seen: both writing the metadata quorum state) before
 * Kafka's own directory lock stops the second, so only one process at a time may start a
 * broker on a port. A Linux abstract socket is the lock: binding it is atomic and the kernel
 * releases it when its holder dies, so a crash leaves no stale lock file behind.
 */
async function startLock(port: number, log: Log): Promise<net.Server> {
  const name = `\0oms-kafka-start-${port}`;
  const deadline = Date.now() + 120_000;
  for (let waiting = false; ; waiting = true) {
    const server = net.createServer();
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once("error", resolve);
      server.listen(name, () => resolve(undefined));
    });
    if (!error) return server.unref();
    if (error.code !== "EADDRINUSE" || Date.now() > deadline) throw new Error(`cannot take the Kafka start lock for port ${port}: ${error.message}`);
    if (!waiting) log(`another process is starting Kafka on port ${port}; waiting for it`);
    await sleep(250);
  }
}

async function start(host: string, port: number, options: KafkaServerOptions, log: Log): Promise<KafkaServer> {
  const brokers = [`${host}:${port}`];
  const controllerPort = options.controllerPort ?? port + 1000;
  const dataDir = path.resolve(options.dataDir ?? path.join(kafkaHome, `data-${port}`));
  const logsDir = path.join(kafkaHome, `logs-${port}`);
  mkdirSync(logsDir, { recursive: true });
  const stdoutFile = path.join(logsDir, "stdout.log");
  const serverLog = path.join(logsDir, "server.log");
  // Log4j's own shutdown hook would close the file before Kafka's shutdown messages, which
  // then went to stderr as "Unable to register Log4j shutdown hook"; every line is flushed
  // as written, so nothing is lost without it.
  const logOptions = [`-Dlog4j2.configurationFile=${log4jConfig}`, `-Dkafka.logs.dir=${logsDir}`, "-Dlog4j2.shutdownHookEnabled=false"];

  const classpath = await kafkaClasspath(log);
  const propertiesFile = writeServerProperties({ host, port, controllerPort, dataDir });
  const format = await run(java, ["-Xmx256m", ...logOptions, "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterIdFor(dataDir), "-c", propertiesFile, "--standalone", "--ignore-formatted"]);
  if (format.code !== 0) throw new Error(`formatting Kafka's storage in ${dataDir} failed:\n${format.output}`);

  const out = openSync(stdoutFile, "a");
  const started = Date.now();
  const child = spawn(
    java,
    [
      `-Xmx${options.heapMb ?? 512}m`,
      "-Xms128m",
      // The GC flags of bin/kafka-run-class.sh.
      "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20",
      "-XX:InitiatingHeapOccupancyPercent=35",
      "-XX:+ExplicitGCInvokesConcurrent",
      "-Djava.awt.headless=true",
      ...logOptions,
      "-cp",
      classpath,
      "kafka.Kafka",
      propertiesFile,
    ],
    // Its own process group, so a terminal's Ctrl-C reaches us first and we stop the broker
    // in order (or, detached, it survives us); stop() signals the whole group.
    { detached: true, stdio: ["ignore", out, out] },
  );
  closeSync(out);
  const pid = child.pid!;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  // Without this a crashed or process.exit()-ing caller would leave the broker running
  // for good; SIGTERM lets it shut down cleanly on its own.
  const killOnExit = () => signalGroup(pid, "SIGTERM");
  if (options.detached) {
    child.unref();
    writeFileSync(pidFile(port), String(pid));
  } else {
    process.once("exit", killOnExit);
  }
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await stopProcessGroup(pid, exited);
    if (options.detached) rmSync(pidFile(port), { force: true });
  };
  log(`starting Kafka 4.3.1 on ${host}:${port} (data in ${path.relative(root, dataDir) || dataDir}, logs in ${path.relative(root, logsDir)})`);

  try {
    await waitUntilAnswering(brokers, 60_000, exited);
  } catch (error) {
    await stop();
    const tail = `${tailOf(serverLog, 40)}\n${tailOf(stdoutFile, 20)}`.trim();
    // Another process started a broker on the same data dir a moment before us: use that one.
    if (/another process or thread is using this directory/.test(tail)) return reuse(brokers, log);
    log(`Kafka did not start; the end of its logs:\n${tail}`);
    throw new Error(`Kafka did not start on ${host}:${port}: ${(error as Error).message} (logs in ${logsDir})`);
  }
  log(`Kafka ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { brokers, startedHere: true, pid, stop };
}

/** Stops a broker that `npm run infra -- up` left running (pid file); false when there is none. */
export async function stopDetachedKafka(port = kafkaPortOf()): Promise<boolean> {
  const file = pidFile(port);
  if (!existsSync(file)) return false;
  const pid = Number(readFileSync(file, "utf8").trim());
  // A stale file must not make us signal whatever process got that pid since
  // (and pid 0 would mean our own process group).
  const isOurBroker = () => Number.isInteger(pid) && pid > 1 && readCmdline(pid).includes("kafka.Kafka");
  if (!isOurBroker()) {
    unlinkSync(file);
    return false;
  }
  await stopProcessGroup(pid, () => !isOurBroker());
  rmSync(file, { force: true });
  return true;
}

/** Resolves once a kafkajs admin gets an answer to describeCluster from `brokers`. */
export async function waitUntilAnswering(brokers: string[], timeoutMs: number, exited: () => boolean = () => false): Promise<void> {
  const kafka = new Kafka({ brokers, clientId: "oms-infra-probe", logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1_000, requestTimeout: 5_000 });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("the broker process exited");
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.describeCluster();
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(`no answer within ${timeoutMs / 1000} s (${(lastError as Error | undefined)?.message ?? "port closed"})`);
}

async function reuse(brokers: string[], log: Log): Promise<KafkaServer> {
  log(`reusing the Kafka broker already listening on ${brokers[0]}`);
  try {
    await waitUntilAnswering(brokers, 30_000);
  } catch (error) {
    throw new Error(`something listens on ${brokers[0]} but does not answer as Kafka: ${(error as Error).message}`);
  }
  return { brokers, startedHere: false, stop: async () => {} };
}

function pidFile(port: number): string {
  return path.join(kafkaHome, `kafka-${port}.pid`);
}

function writeServerProperties(o: { host: string; port: number; controllerPort: number; dataDir: string }): string {
  mkdirSync(o.dataDir, { recursive: true });
  const file = path.join(path.dirname(o.dataDir), `server-${o.port}.properties`);
  // Keys as in Kafka's own config/server.properties for a combined KRaft node.
  const properties = {
    "process.roles": "broker,controller",
    "node.id": "1",
    // With `format --standalone`; never together with controller.quorum.voters.
    "controller.quorum.bootstrap.servers": `${o.host}:${o.controllerPort}`,
    listeners: `PLAINTEXT://${o.host}:${o.port},CONTROLLER://${o.host}:${o.controllerPort}`,
    "advertised.listeners": `PLAINTEXT://${o.host}:${o.port},CONTROLLER://${o.host}:${o.controllerPort}`,
    "inter.broker.listener.name": "PLAINTEXT",
    "controller.listener.names": "CONTROLLER",
    "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
    "log.dirs": o.dataDir,
    "num.partitions": "3",
    // Topics are created by the project with explicit partitions and retention; a typo in a
    // topic name must fail instead of creating a new topic.
    "auto.create.topics.enable": "false",
    // One broker: internal topics cannot have more replicas than that.
    "offsets.topic.replication.factor": "1",
    "offsets.topic.num.partitions": "10",
    "transaction.state.log.replication.factor": "1",
    "transaction.state.log.min.isr": "1",
    "share.coordinator.state.topic.replication.factor": "1",
    "share.coordinator.state.topic.min.isr": "1",
    // Consumers in tests join one at a time; waiting 3 s for more members only slows them.
    "group.initial.rebalance.delay.ms": "0",
    "log.retention.hours": "168",
    "log.retention.check.interval.ms": "300000",
    // Tests create many small topics; 1 GiB segments would only waste preallocated index space.
    "log.segment.bytes": String(64 * 1024 * 1024),
    "num.network.threads": "2",
    "num.io.threads": "4",
  };
  writeFileSync(file, `${Object.entries(properties).map(([k, v]) => `${k}=${v}`).join("\n")}\n`);
  return file;
}

/** The data dir's cluster id if it was formatted, else the saved one, else a new one (saved). */
function clusterIdFor(dataDir: string): string {
  const meta = path.join(dataDir, "meta.properties");
  const formatted = existsSync(meta) ? /^cluster\.id=(.+)$/m.exec(readFileSync(meta, "utf8"))?.[1]?.trim() : undefined;
  if (formatted) return formatted;
  const saved = `${dataDir}.cluster-id`;
  if (existsSync(saved)) return readFileSync(saved, "utf8").trim();
  // What `StorageTool random-uuid` prints (16 random bytes, URL-safe base64), without a JVM
  // start. Like Kafka's Uuid.randomUuid, never starting with "-": it would read as an option.
  const newId = () => Buffer.from(randomUUID().replace(/-/g, ""), "hex").toString("base64url");
  let id = newId();
  while (id.startsWith("-")) id = newId();
  writeFileSync(saved, id);
  return id;
}

/** Removes jar folders of older poms that no running JVM has on its classpath. */
function pruneUnusedLibs(current: string): void {
  let inUse = "";
  for (const entry of readdirSync("/proc")) if (/^\d+$/.test(entry)) inUse += readCmdline(Number(entry));
  for (const entry of readdirSync(libsRoot, { withFileTypes: true })) {
    if (entry.name === current || entry.name.includes(".tmp-")) continue;
    const target = path.join(libsRoot, entry.name);
    // Jars copied straight into libs/ by earlier versions of this file are in use as `libs/*`.
    if (inUse.includes(entry.isDirectory() ? `${target}/*` : `${libsRoot}/*`)) continue;
    rmSync(target, { recursive: true, force: true });
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function tailOf(file: string, lines: number): string {
  return existsSync(file) ? readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "";
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", (error) => resolve({ code: -1, output: `${command}: ${error.message}` }));
    child.once("close", (code) => resolve({ code: code ?? -1, output }));
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopProcessGroup(pid: number, exited: () => boolean): Promise<void> {
  if (exited()) return;
  signalGroup(pid, "SIGTERM");
  const deadline = Date.now() + 15_000;
  while (!exited() && Date.now() < deadline) await sleep(100);
  if (exited()) return;
  signalGroup(pid, "SIGKILL");
  while (!exited()) await sleep(50);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
