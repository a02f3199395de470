import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { describeError, hasCommand, isConnectionRefused } from "./postgres.ts";

type Log = (message: string) => void;

const localHosts = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Undefined when Redis answers PING at `url`; otherwise why not. Starts nothing. */
export async function checkRedis(url: string): Promise<Error | undefined> {
  // One attempt, no reconnect loop: ioredis would otherwise retry forever and log each try.
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: Error | undefined;
  redis.on("error", (error: Error) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    // With retries off, connect() rejects with "Connection is closed."; the socket's own
    // error (ECONNREFUSED…) is the one worth reporting.
    return lastError ?? (error as Error);
  } finally {
    redis.disconnect();
  }
}

/** Makes sure Redis answers at `url`; a local one that is installed but stopped is started. */
export async function ensureRedis(url: string, log: Log = () => {}): Promise<void> {
  let error = await checkRedis(url);
  if (!error) return;
  const where = url.replace(/\/\/[^@/]*@/, "//***@");
  const { hostname, port } = new URL(url);
  if (isConnectionRefused(error) && localHosts.has(hostname) && hasCommand("redis-server")) {
    log(`Redis is not answering at ${where}; starting the local server`);
    // No persistence: the project keeps only locks and counters there, rebuilt on demand.
    const started = spawnSync(
      "redis-server",
      ["--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", port || "6379", "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"],
      { encoding: "utf8" },
    );
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      error = await checkRedis(url);
      if (!error) return;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const output = `${started.stdout ?? ""}${started.stderr ?? ""}`.trim();
    log(`redis-server did not come up${output ? `: ${output}` : ""} (see /var/log/redis/ci.log)`);
  }
  const hint = isConnectionRefused(error) ? "Start it, or set REDIS_URL to a server you can use." : "Check REDIS_URL.";
  throw new Error(`cannot use Redis at ${where}: ${describeError(error)}. ${hint}`);
}
