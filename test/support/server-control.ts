import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { checkPostgres, checkRedis, portIsOpen } from "@oms/infra";

/**
 * Postgres and Redis the fault harness may restart. By default they are private — a
 * Postgres cluster and a Redis server of the run's own, on free ports, removed at the
 * end — because restarting the machine's servers would break whatever else uses them
 * (other test runs, `npm start`). `--servers shared` restarts the machine's own instead
 * (pg_ctlcluster, redis-cli shutdown), for a machine that runs nothing else.
 */
export interface ControlledServer {
  url: string;
  /** A short name for the report, e.g. "private Postgres 15 on :41234". */
  description: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

type Log = (message: string) => void;

function run(command: string, args: string[], asUser?: string): { code: number; output: string } {
  const [cmd, argv] = asUser && userInfo().uid === 0 ? ["runuser", ["-u", asUser, "--", command, ...args]] : [command, args];
  const result = spawnSync(cmd, argv, { encoding: "utf8" });
  return { code: result.status ?? -1, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}` };
}

async function waitFor(check: () => Promise<Error | undefined>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (!last) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s: ${last?.message}`);
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    if (!(await portIsOpen("127.0.0.1", port, 200))) return port;
  }
  throw new Error("no free port found");
}

/** The newest installed Postgres's binaries (Debian layout), if any. */
function postgresBinDir(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, "bin/initdb")));
  const newest = versions.sort((a, b) => Number(a) - Number(b)).at(-1);
  return newest ? path.join(base, newest, "bin") : undefined;
}

export function canRunPrivatePostgres(): boolean {
  return postgresBinDir() !== undefined;
}

/** A throwaway cluster: initdb into a temporary directory, trust authentication, a free port. */
export async function startPrivatePostgres(log: Log): Promise<ControlledServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("no Postgres binaries under /usr/lib/postgresql: use --servers shared");
  const owner = userInfo().uid === 0 ? "postgres" : undefined;
  const dir = mkdtempSync(path.join(tmpdir(), "oms-chaos-pg-"));
  if (owner) {
    const { uid, gid } = userIds(owner);
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const init = run(path.join(bin, "initdb"), ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync"], owner);
  if (init.code !== 0) throw new Error(`initdb failed:\n${init.output.slice(-2000)}`);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=300`;
  const pgCtl = (...args: string[]) => run(path.join(bin, "pg_ctl"), ["-D", dir, "-l", path.join(dir, "server.log"), ...args], owner);
  const started = pgCtl("-o", options, "-w", "start");
  if (started.code !== 0) throw new Error(`pg_ctl start failed:\n${started.output.slice(-2000)}`);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor(() => checkPostgres(url), "the private Postgres");
  log(`private Postgres ${path.basename(path.dirname(bin))} on 127.0.0.1:${port} (data in ${dir})`);
  return {
    url,
    description: `private Postgres ${path.basename(path.dirname(bin))} on :${port}`,
    restart: async () => {
      const restarted = pgCtl("-m", "fast", "-w", "restart");
      if (restarted.code !== 0) throw new Error(`pg_ctl restart failed:\n${restarted.output.slice(-2000)}`);
      await waitFor(() => checkPostgres(url), "the private Postgres");
    },
    stop: async () => {
      pgCtl("-m", "immediate", "-w", "stop");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The machine's cluster, restarted with its own tool; the same call `ensurePostgres` starts it with. */
export function sharedPostgres(url: string): ControlledServer {
  const version = readdirSync("/etc/postgresql").sort((a, b) => Number(a) - Number(b)).at(-1) ?? "15";
  return {
    url,
    description: `the machine's Postgres ${version}/main`,
    restart: async () => {
      const restarted = run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "restart"]);
      if (restarted.code !== 0) throw new Error(`pg_ctlcluster restart failed:\n${restarted.output}`);
      await waitFor(() => checkPostgres(url), "Postgres");
    },
    stop: async () => {},
  };
}

function redisServerArgs(port: number, dir: string): string[] {
  // No persistence: the project keeps only locks and counters there, rebuilt on demand.
  return ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "yes", "--dir", dir, "--logfile", path.join(dir, "redis.log")];
}

async function restartRedisAt(port: number, dir: string, url: string): Promise<void> {
  run("redis-cli", ["-p", String(port), "shutdown", "nosave"]);
  const deadline = Date.now() + 10_000;
  while ((await portIsOpen("127.0.0.1", port, 200)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const started = run("redis-server", redisServerArgs(port, dir));
  if (started.code !== 0) throw new Error(`redis-server did not start:\n${started.output}`);
  await waitFor(() => checkRedis(url), "Redis", 15_000);
}

export async function startPrivateRedis(log: Log): Promise<ControlledServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "oms-chaos-redis-"));
  const started = run("redis-server", redisServerArgs(port, dir));
  if (started.code !== 0) throw new Error(`redis-server did not start:\n${started.output}`);
  const url = `redis://127.0.0.1:${port}`;
  await waitFor(() => checkRedis(url), "the private Redis", 15_000);
  log(`private Redis on 127.0.0.1:${port}`);
  return {
    url,
    description: `private Redis on :${port}`,
    restart: () => restartRedisAt(port, dir, url),
    stop: async () => {
      run("redis-cli", ["-p", String(port), "shutdown", "nosave"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The machine's Redis, shut down and started again the way `ensureRedis` starts it. */
export function sharedRedis(url: string): ControlledServer {
  const port = Number(new URL(url).port || 6379);
  return {
    url,
    description: `the machine's Redis on :${port}`,
    restart: () => restartRedisAt(port, existsSync("/var/lib/redis") ? "/var/lib/redis" : tmpdir(), url),
    stop: async () => {},
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const line = spawnSync("getent", ["passwd", name], { encoding: "utf8" }).stdout.trim();
  const [, , uid, gid] = line.split(":");
  if (!uid || !gid) throw new Error(`no user ${name} to run Postgres as`);
  return { uid: Number(uid), gid: Number(gid) };
}
