import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import type { Redis } from "ioredis";
import { EventTypes, Topics, decodeEvent, type OrderEvent } from "@oms/contracts";
import { checkHealth } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { createPool, withTransaction } from "@oms/postgres";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testInfrastructure, testServiceConfig, type TestNamespace } from "@oms/testing";
import { taskRepository } from "./adapters/pg/task-repository.ts";
import { deleteAllKeys, dispatchKeys } from "./adapters/redis/keys.ts";
import { connectRedis } from "./adapters/redis/redis-client.ts";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { dispatchServiceWith } from "./service.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// A dispatch replica as a separate process, SIGKILLed while it holds a task's lock (held
// there by the test-only fault seam DISPATCH_TEST_PAUSE_AFTER_LOCK_MS). Another replica
// must assign the task once the dead one's lock expires, exactly once, and the dead
// one's token can never write.
const mainTs = path.join(import.meta.dirname, "main.ts");
const repositoryRoot = path.resolve(import.meta.dirname, "../../..");
let namespace: TestNamespace;
let redis: Redis;
let survivor: RunningService | undefined;
let doomed: ChildProcess | undefined;
let doomedOutput = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function spawnReplica(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const [grpcPort, opsPort] = [await freePort(), await freePort()];
  const infrastructure = testInfrastructure();
  const child = spawn(process.execPath, [mainTs], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DATABASE_URL: namespace.databaseUrl,
      KAFKA_BROKERS: infrastructure.kafkaBrokers.join(","),
      REDIS_URL: infrastructure.redisUrl,
      OMS_NAMESPACE: namespace.name,
      DISPATCH_GRPC_PORT: String(grpcPort),
      DISPATCH_OPS_PORT: String(opsPort),
      LOG_FORMAT: "json",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => (doomedOutput += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (doomedOutput += chunk.toString()));
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`the replica exited (${child.exitCode}):\n${doomedOutput}`);
    return (await checkHealth(`127.0.0.1:${grpcPort}`, 500)) === "SERVING" ? true : undefined;
  }, 60_000);
  return child;
}

beforeAll(async () => {
  namespace = await createTestNamespace();
  redis = await connectRedis(testServiceConfig("dispatch", namespace).redisUrl, createLogger({ service: "test", level: "error", pretty: false }));
});

afterAll(async () => {
  if (doomed && doomed.exitCode === null && doomed.signalCode === null) doomed.kill("SIGKILL");
  await survivor?.stop();
  if (redis) {
    await deleteAllKeys(redis, dispatchKeys(namespace.name));
    await redis.quit();
  }
  await namespace?.drop();
});

describe("a dispatch replica killed while it holds a task's lock", () => {
  it("leaves the task to another replica after the lock expires: one assignee, one announcement, its stale token refused", async () => {
    doomed = await spawnReplica({ DISPATCH_TEST_PAUSE_AFTER_LOCK_MS: "120000", DISPATCH_LOCK_TTL_MS: "4000" });
    const keys = dispatchKeys(namespace.name);

    // The replica migrated the schema; staff and the request go in through the database and the topic.
    const config = testServiceConfig("dispatch", namespace);
    const pool: pg.Pool = createPool({ url: config.serviceDatabaseUrl, schema: config.schema, applicationName: "replica-kill-test" });
    try {
      const storeId = randomStore();
      await upsertStaff(pool, config.schema, [staffMember(storeId, `${storeId}-a`), staffMember(storeId, `${storeId}-b`)]);
      const request = assignmentRequested(storeId);
      const taskId = request.payload.taskId;
      await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);

      // The replica took the lock and stalls before writing.
      const staleToken = await eventually(async () => {
        const held = await redis.get(keys.taskLock(taskId));
        return held ? Number(held) : undefined;
      }, 30_000);
      // Its log line comes through a pipe and may trail the lock's appearing in Redis.
      await eventually(async () => (doomedOutput.includes("fault injection: holding the task lock before writing") ? true : undefined), 10_000);
      doomed.kill("SIGKILL");
      await new Promise((resolve) => doomed!.once("exit", resolve));
      expect(doomed.signalCode).toBe("SIGKILL");
      expect((await taskRepository.findById(pool, taskId))?.status).toBe("pending");

      // The lock of the dead replica still stands for the rest of its TTL; then another replica takes over.
      survivor = await startService(dispatchServiceWith(), config);
      const assigned = await eventually(async () => {
        const task = await taskRepository.findById(pool, taskId);
        return task?.status === "assigned" ? task : undefined;
      }, 30_000);
      expect(assigned.fencingToken).toBeGreaterThan(staleToken);
      const history = await taskRepository.assignmentsOf(pool, taskId);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({ staffId: assigned.assigneeStaffId, fencingToken: assigned.fencingToken, outcome: "open" });

      // Had the dead replica come back to write, Postgres would refuse its token.
      const staleWrite = await withTransaction(pool, (tx) =>
        taskRepository.recordAssignment(tx, {
          taskId,
          assignmentId: `${taskId}-stale`,
          staffId: `${storeId}-b`,
          fencingToken: staleToken,
          assignedAt: new Date(),
          acknowledgeBy: new Date(Date.now() + 60_000),
        }),
      );
      expect(staleWrite).toBe(false);
      expect(await taskRepository.assignmentsOf(pool, taskId)).toHaveLength(1);

      await survivor.relay.flush();
      const announced = await eventually(async () => {
        const events = (await readTopic(Topics.dispatchAssignment, namespace.name))
          .map((m) => decodeEvent(m.value!))
          .filter((e): e is OrderEvent => !!e && "taskId" in e.payload && e.payload.taskId === taskId);
        return events.length > 0 ? events : undefined;
      });
      expect(announced.map((e) => [e.type, (e.payload as { fencingToken: number }).fencingToken])).toEqual([[EventTypes.TaskAssigned, assigned.fencingToken]]);
    } finally {
      await pool.end();
    }
  }, 120_000);
});
