import { Topics, decodeEvent, dispatchApi, type OrderEvent } from "@oms/contracts";
import { createClient, type PromiseClient } from "@oms/grpc";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
import { deleteAllKeys, dispatchKeys } from "../adapters/redis/keys.ts";
import { connectRedis } from "../adapters/redis/redis-client.ts";
import { dispatchServiceWith, type DispatchOptions } from "../service.ts";
import { assignmentRequested } from "./fixtures.ts";

/** One dispatch service on the real servers, in a namespace of its own, with its gRPC clients. */
export interface DispatchUnderTest {
  namespace: TestNamespace;
  dispatch: RunningService;
  query: PromiseClient<typeof dispatchApi.WorkloadQueryService>;
  commands: PromiseClient<typeof dispatchApi.DispatchCommandsService>;
}

export async function startDispatchUnderTest(options: Partial<DispatchOptions> = {}): Promise<DispatchUnderTest> {
  const namespace = await createTestNamespace();
  const dispatch = await startService(dispatchServiceWith(options), testServiceConfig("dispatch", namespace));
  const address = `127.0.0.1:${dispatch.grpc.port}`;
  return {
    namespace,
    dispatch,
    query: createClient(dispatchApi.WorkloadQueryService, "oms.dispatch.v1.WorkloadQuery", address),
    commands: createClient(dispatchApi.DispatchCommandsService, "oms.dispatch.v1.DispatchCommands", address),
  };
}

/** Closes the clients, stops the service, and leaves no trace: the run's Redis keys and its namespace go. */
export async function stopDispatchUnderTest(under: Partial<DispatchUnderTest> | undefined): Promise<void> {
  if (!under) return;
  under.query?.close();
  under.commands?.close();
  await under.dispatch?.stop();
  if (!under.namespace) return;
  const redis = await connectRedis(testServiceConfig("dispatch", under.namespace).redisUrl, createLogger({ service: "test", level: "error", pretty: false }));
  await deleteAllKeys(redis, dispatchKeys(under.namespace.name));
  await redis.quit();
  await under.namespace.drop();
}

/** Asks for a task at the store as fulfillment would; answers the task's id. */
export async function requestTask(under: Pick<DispatchUnderTest, "namespace">, storeId: string): Promise<string> {
  const request = assignmentRequested(storeId);
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, [request]);
  return request.payload.taskId;
}

/** Waits until the task is assigned to this person; answers its view. */
export function taskHeldBy(under: Pick<DispatchUnderTest, "query">, taskId: string, staffId: string) {
  return eventually(async () => {
    const view = await under.query.getTask({ taskId }).catch(() => undefined);
    return view?.status === "assigned" && view.staffId === staffId ? view : undefined;
  });
}

/** The task's events on dispatch's topic, once the relay has published what is committed. */
export async function taskEventsOf(under: Pick<DispatchUnderTest, "namespace" | "dispatch">, taskId: string): Promise<OrderEvent[]> {
  await under.dispatch.relay.flush();
  return (await readTopic(Topics.dispatchAssignment, under.namespace.name))
    .map((m) => decodeEvent(m.value!))
    .filter((e): e is OrderEvent => !!e && "taskId" in e.payload && e.payload.taskId === taskId);
}
