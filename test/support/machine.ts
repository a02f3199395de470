import { spawnSync } from "node:child_process";
import os from "node:os";
import pg from "pg";
import { Redis } from "ioredis";
import { kafkaClasspath } from "@oms/infra";

/** What a result was measured on: results from different machines are not comparable without it. */
export interface MachineDescription {
  date: string;
  hostname: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  java: string;
  postgres: string;
  kafka: string;
  redis: string;
  loadAverageAtStart: number[];
}

export async function describeMachine(servers: { serverUrl: string; redisUrl: string }): Promise<MachineDescription> {
  const javaVersion = spawnSync(process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : "java", ["-version"], { encoding: "utf8" });
  const classpath = await kafkaClasspath().catch(() => "");
  const kafkaJar = classpath ? spawnSync("sh", ["-c", `ls ${classpath.replace(/\*$/, "")} | grep '^kafka-clients-'`], { encoding: "utf8" }).stdout.trim() : "";
  return {
    date: new Date().toISOString(),
    hostname: os.hostname(),
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    java: (javaVersion.stderr || javaVersion.stdout || "").split("\n")[0]?.trim() ?? "unknown",
    postgres: await postgresVersion(servers.serverUrl),
    kafka: /kafka-clients-(.+)\.jar/.exec(kafkaJar)?.[1] ?? "unknown",
    redis: await redisVersion(servers.redisUrl),
    loadAverageAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
    // The settings that move a run's figures: durability, memory, checkpoints and vacuum.
    const settings = await client.query<{ name: string; setting: string }>(
      `SELECT name, current_setting(name) AS setting FROM pg_settings
       WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'autovacuum') ORDER BY name`,
    );
    return `${rows[0]?.server_version ?? "?"} (${settings.rows.map((r) => `${r.name}=${r.setting}`).join(", ")})`;
  } catch {
    return "unknown";
  } finally {
    await client.end().catch(() => {});
  }
}

async function redisVersion(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => {});
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info("server"))?.[1] ?? "unknown";
  } catch {
    return "unknown";
  } finally {
    redis.disconnect();
  }
}
