import { Redis } from "ioredis";
import { UnavailableError } from "@oms/errors";
import type { Logger } from "@oms/observability";

function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

/**
 * Connects to Redis and proves it answers. Commands fail fast while Redis is away (few
 * retries per request) instead of queueing forever; the client reconnects by itself.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
  });
  let lastError = "";
  redis.on("error", (error: Error) => {
    // ioredis reports every failed reconnect; one line per distinct error is enough.
    if (error.message === lastError) return;
    lastError = error.message;
    logger.warn({ err: error }, "redis connection error");
  });
  redis.on("ready", () => (lastError = ""));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new UnavailableError("dispatch.redis-unreachable", `dispatch cannot reach Redis at ${redacted(url)}: ${(error as Error).message}. Set REDIS_URL.`, {
      cause: error,
    });
  }
  return redis;
}
