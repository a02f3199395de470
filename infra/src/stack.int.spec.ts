import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { serviceNames, type ServiceName } from "@oms/service-kit";
import { startStack, type StackOptions } from "./stack.ts";

/** The services a start spawned, found by a variable only their environment holds. */
function processesMarked(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(`OMS_STACK_TEST=${marker}`)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read: not one of the services.
    }
  }
  return pids;
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Options for a stack that can never serve: Postgres is a socket that accepts and never
 * answers, so each service hangs in its first query, and nothing is left in a database.
 */
async function stackThatNeverServes(): Promise<{ options: StackOptions; marker: string }> {
  const sockets: net.Socket[] = [];
  const silentPostgres = net.createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silentPostgres.listen(0, "127.0.0.1", resolve));
  const logDir = mkdtempSync(path.join(tmpdir(), "oms-stack-"));
  const marker = randomBytes(6).toString("hex");
  cleanups.push(() => {
    for (const pid of processesMarked(marker)) process.kill(pid, "SIGKILL");
    for (const socket of sockets) socket.destroy();
    silentPostgres.close();
    rmSync(logDir, { recursive: true, force: true });
  });
  const { port } = silentPostgres.address() as net.AddressInfo;
  const ports = Object.fromEntries(serviceNames.map((name) => [name, { grpc: 0, http: 0 }])) as Record<ServiceName, { grpc: number; http: number }>;
  return {
    marker,
    options: {
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/oms`,
      kafkaBrokers: ["127.0.0.1:1"],
      redisUrl: "redis://127.0.0.1:1",
      namespace: `s${marker}`,
      ports,
      logDir,
      env: { OMS_STACK_TEST: marker },
    },
  };
}

describe("a start of the stack that does not get through", () => {
  it("stops the services it spawned when spawning a later one throws", async () => {
    const { options, marker } = await stackThatNeverServes();
    // The background services are to start under SCHED_IDLE, and chrt cannot be found.
    const savedPath = process.env.PATH;
    process.env.PATH = "/nonexistent";
    cleanups.push(() => void (process.env.PATH = savedPath));

    await expect(startStack({ ...options, env: { ...options.env, OMS_BACKGROUND_NICE: "idle" } })).rejects.toThrow(/needs chrt/);

    expect(processesMarked(marker)).toEqual([]);
  });

  it("stops the services it spawned when it is given up while they are starting", async () => {
    const { options, marker } = await stackThatNeverServes();
    const giveUp = new AbortController();
    setTimeout(() => giveUp.abort(new Error("SIGTERM during the start")), 1_000);

    const started = Date.now();
    await expect(startStack({ ...options, signal: giveUp.signal })).rejects.toThrow("SIGTERM during the start");

    expect(Date.now() - started).toBeLessThan(30_000);
    expect(processesMarked(marker)).toEqual([]);
  });

  it("says in its error what the service that could not start last wrote, not only where its log is", async () => {
    const { options, marker } = await stackThatNeverServes();
    // Nothing listens on port 1: each service's first query is refused and the process exits.
    const refused = startStack({ ...options, databaseUrl: "postgres://postgres@127.0.0.1:1/oms" });

    await expect(refused).rejects.toThrow(/exited \(\d+\) before serving; see its log\n--- its last \d+ line\(s\) of output ---\n[\s\S]*ECONNREFUSED/);
    expect(processesMarked(marker)).toEqual([]);
  });
});
