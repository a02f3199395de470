import type { ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from "node:fs";
import path from "node:path";
import { checkHealth, type GrpcPeer, type TlsIdentity } from "@oms/grpc";
import { defaultPortsOf, envKey, serviceNames, type ServiceName } from "@oms/service-kit";
import { ensureDevCertificates, toolsIdentity, type DevCertificates } from "./grpc-certificates.ts";
import { OutputTail } from "./output-tail.ts";
import { backgroundPriorityOf, spawnAtPriority } from "./process-priority.ts";

export const repositoryRoot = path.resolve(import.meta.dirname, "../..");

export interface StackOptions {
  /** Admin URL of the database the services provision their schemas in. */
  databaseUrl: string;
  kafkaBrokers: string[];
  redisUrl: string;
  namespace?: string;
  seedDemo?: boolean;
  /** Ports per service; default: the standard ports (intake HTTP 8080, gRPC 7050-7056, ops 9101-9106). */
  ports?: Partial<Record<ServiceName, { grpc: number; http: number }>>;
  /** Each service's output goes to `<logDir>/<service>.log`; without it, to this process's stdout, line-prefixed. */
  logDir?: string;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** Gives up the start: the services already spawned are stopped and startStack rejects (`npm start` on SIGTERM). */
  signal?: AbortSignal;
}

export interface StackService {
  name: ServiceName;
  /** Its gRPC server, reached over mutual TLS with the tools' certificate (ADR 020). */
  grpc: GrpcPeer;
  httpPort: number;
  process: ChildProcess;
}

export interface RunningStack {
  services: Record<ServiceName, StackService>;
  intakeUrl: string;
  /** The environment every service got (namespace, addresses); for tools that join the stack. */
  env: NodeJS.ProcessEnv;
  /** Stops one service as a crash would (SIGKILL by default) — for the fault harness. */
  kill(name: ServiceName, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped service again and waits until it serves. */
  restart(name: ServiceName): Promise<void>;
  /** SIGTERM to all (graceful), SIGKILL to any still running after 20 s. */
  stop(): Promise<void>;
}

/**
 * Resident memory close to what a service really uses (docs/performance.md): with
 * glibc's default of one malloc arena per thread and V8's lazy young and old generations,
 * an idle service sat at 160 MB and one under load at 250–380 MB although its live heap is
 * some 40 MB. Two arenas and a smaller young generation keep it at 120–140 MB under the
 * same load for the same CPU. Intake's young generation is larger: it holds hundreds of
 * requests in flight, each living tens of milliseconds, which a 4 MB semi-space promotes
 * to the old generation (some 90 major collections a minute at 2,000 orders/s, their
 * pauses in the latency's tail). With 8 MB its p99 at 1,000/s was 39.5–66.5 ms in five
 * runs (median 53) against 50.5–61.6 ms with 4 MB: the best runs, not a clear shift, for
 * 10–20 MB more RSS (166–188 MB at 2,000/s; 16 MB took it to 195; ADR 009).
 * OMS_SERVICE_NODE_OPTIONS replaces the V8 flags of every service; a caller's own
 * NODE_OPTIONS (e.g. the bench's --cpu-prof) are kept after them.
 */
export function serviceMemorySettings(parent: NodeJS.ProcessEnv, service: ServiceName): NodeJS.ProcessEnv {
  const semiSpaceMb = service === "intake" ? 8 : 4;
  const v8Flags = parent.OMS_SERVICE_NODE_OPTIONS ?? `--max-semi-space-size=${semiSpaceMb} --max-old-space-size=256`;
  return {
    MALLOC_ARENA_MAX: parent.MALLOC_ARENA_MAX ?? "2",
    NODE_OPTIONS: [v8Flags, parent.NODE_OPTIONS].filter(Boolean).join(" "),
  };
}

/**
 * Node's on-disk compile cache for the services (NODE_COMPILE_CACHE; a caller's own wins).
 * A service's start is mostly compiling: stripping the types of some 400 TypeScript files
 * and compiling them and its dependencies; with the cache, a restart (a crash, a deploy of
 * unchanged modules) reads both from disk. Node checks each entry against its source and
 * compiles anew whatever changed.
 */
export function compileCacheSettings(parent: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { NODE_COMPILE_CACHE: parent.NODE_COMPILE_CACHE ?? path.join(repositoryRoot, ".runtime", "node-compile-cache") };
}

/**
 * A service's own certificate, under mutual TLS required (a missing file stops it rather
 * than start it in plaintext); besides intake, the tools that join the stack may call.
 * Given at every spawn, so a service restarted after a kill (the fault harness) has it too.
 */
export function grpcTlsSettings(certificates: DevCertificates, service: ServiceName): NodeJS.ProcessEnv {
  const own = certificates.filesOf(service);
  return {
    OMS_GRPC_TLS: "required",
    OMS_GRPC_TLS_CA: certificates.caFile,
    OMS_GRPC_TLS_CERT: own.cert,
    OMS_GRPC_TLS_KEY: own.key,
    OMS_GRPC_ALLOWED_CALLERS: `intake,${toolsIdentity}`,
  };
}

function toolsTlsIdentity(certificates: DevCertificates): TlsIdentity {
  const files = certificates.filesOf(toolsIdentity);
  return { ca: readFileSync(certificates.caFile), cert: readFileSync(files.cert), key: readFileSync(files.key) };
}

/** Starts the seven services as separate processes, each with its certificate, and waits until each serves gRPC health. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => {});
  const certificates = await ensureDevCertificates(undefined, log);
  const tools = toolsTlsIdentity(certificates);
  const ports = Object.fromEntries(
    serviceNames.map((name) => {
      const defaults = defaultPortsOf(name);
      return [name, options.ports?.[name] ?? { grpc: defaults.grpc, http: defaults.ops }];
    }),
  ) as Record<ServiceName, { grpc: number; http: number }>;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    KAFKA_BROKERS: options.kafkaBrokers.join(","),
    REDIS_URL: options.redisUrl,
    OMS_NAMESPACE: options.namespace ?? "",
    OMS_SEED_DEMO: options.seedDemo ? "true" : "false",
    ...options.env,
    ...compileCacheSettings({ ...process.env, ...options.env }),
  };
  for (const name of serviceNames) {
    env[envKey(name, "GRPC_PORT")] = String(ports[name].grpc);
    env[envKey(name, "GRPC_ADDRESS")] = `127.0.0.1:${ports[name].grpc}`;
    env[name === "intake" ? "INTAKE_HTTP_PORT" : envKey(name, "OPS_PORT")] = String(ports[name].http);
  }
  if (options.logDir) mkdirSync(options.logDir, { recursive: true });

  // On a machine the whole system shares, the gateway that answers customers and platforms
  // can be put first (OMS_BACKGROUND_NICE): the six services behind intake wait durably in
  // Kafka (load levelling) while orders keep being taken. Their database and broker work is not lowered.
  const backgroundPriority = backgroundPriorityOf(env);
  const services = {} as Record<ServiceName, StackService>;
  const tails = {} as Record<ServiceName, OutputTail>;
  const spawnService = (name: ServiceName) => {
    const child = spawnAtPriority(process.execPath, [path.join(repositoryRoot, "services", name, "src/main.ts")], name === "intake" ? 0 : backgroundPriority, {
      env: { ...env, ...serviceMemorySettings({ ...process.env, ...options.env }, name), ...grpcTlsSettings(certificates, name) },
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    pipeOutput(name, child, options.logDir);
    // Each spawn starts a fresh tail: a restart's failure is explained by the new process's output.
    const tail = (tails[name] = new OutputTail());
    child.stdout?.on("data", (chunk: Buffer) => tail.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => tail.push(chunk));
    const grpc = { address: `127.0.0.1:${ports[name].grpc}`, tls: { identity: tools, serverName: name } };
    services[name] = { name, grpc, httpPort: ports[name].http, process: child };
    return child;
  };

  const waitServing = async (name: ServiceName, timeoutMs = 90_000) => {
    const child = services[name].process;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      options.signal?.throwIfAborted();
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before serving; see its log${tails[name].describe()}`);
      }
      if ((await checkHealth(services[name].grpc, 500)) === "SERVING") return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${name} did not serve within ${timeoutMs} ms${tails[name].describe()}`);
  };

  try {
    // Inside the try: a spawn that throws (OMS_BACKGROUND_NICE without nice or chrt) must
    // not leave the services spawned before it running.
    for (const name of serviceNames) {
      options.signal?.throwIfAborted();
      spawnService(name);
    }
    await Promise.all(serviceNames.map((name) => waitServing(name)));
  } catch (error) {
    await stopAll(services);
    throw error;
  }
  log(`seven services serving${options.namespace ? ` in namespace ${options.namespace}` : ""}`);

  return {
    services,
    env,
    intakeUrl: `http://127.0.0.1:${ports.intake.http}`,
    kill: async (name, signal = "SIGKILL") => {
      const child = services[name].process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill(signal);
      await exited;
    },
    restart: async (name) => {
      spawnService(name);
      await waitServing(name);
    },
    stop: () => stopAll(services),
  };
}

async function stopAll(services: Partial<Record<ServiceName, StackService>>): Promise<void> {
  await Promise.all(
    Object.values(services).map(async (service) => {
      const child = service!.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(force);
    }),
  );
}

const streams = new Map<string, WriteStream>();

function pipeOutput(name: ServiceName, child: ChildProcess, logDir: string | undefined): void {
  if (logDir) {
    const file = path.join(logDir, `${name}.log`);
    let stream = streams.get(file);
    if (!stream) {
      stream = createWriteStream(file, { flags: "a" });
      streams.set(file, stream);
    }
    child.stdout?.pipe(stream, { end: false });
    child.stderr?.pipe(stream, { end: false });
    return;
  }
  const prefix = `${name.padEnd(11)} | `;
  for (const source of [child.stdout, child.stderr]) {
    let buffered = "";
    source?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
}
