import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { NotFoundError } from "@oms/errors";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// WorkloadQuery.GetTaskForCaller over gRPC on the real servers: the person the gateway answers is shown a
// task only if it is theirs or they are of the desk that manages the store's tasks, of their stores (ADR 022,
// twenty-seventh session, second reading); a service's own read (GetTask) is unchanged.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest({}));
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const staff = (id: string, role: string) => ({ kind: "staff", id, role });

describe("dispatch: a task is read by its assignee and the desk", () => {
  it("answers another rider of the same store, and the desk of another store, as for a task nobody created; shows it to the assignee, the desk and a service's own read", async () => {
    const storeId = randomStore();
    const rider = `${storeId}-rider`;
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, rider, { roles: ["rider"], capacity: 5, skills: [{ skill: "delivery", level: 2 }] })]);
    const request = assignmentRequested(storeId, {});
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    const { taskId } = request.payload;
    await eventually(async () => ((await query.getTask({ taskId }).catch(() => undefined))?.status === "assigned" ? true : undefined));

    // Anyone who may not read it is answered as for a task nobody created: same error, code and message (twenty-eighth session).
    const answerTo = (taskIdAsked: string, caller: ReturnType<typeof staff>, stores: string[] = [], chainWide = stores.length === 0) =>
      query.getTaskForCaller({ taskId: taskIdAsked, caller, stores, chainWide }).then(
        () => "read",
        (error: unknown) => ({ notFound: error instanceof NotFoundError, code: (error as { code?: string }).code, message: (error as Error).message.replace(taskIdAsked, "<id>") }),
      );
    const unknown = await answerTo(`${taskId}-nobody`, staff("d-1", "dispatcher"));
    expect(unknown).toEqual({ notFound: true, code: "dispatch.task-not-found", message: "no task <id>" });
    expect(await answerTo(taskId, staff(`${storeId}-colleague`, "rider"))).toEqual(unknown);
    expect(await answerTo(taskId, staff("wc-1", "warehouse-clerk"))).toEqual(unknown);
    // The desk and the assignee held to other stores.
    expect(await answerTo(taskId, staff("d-2", "dispatcher"), ["store-elsewhere"])).toEqual(unknown);
    expect(await answerTo(taskId, staff(rider, "rider"), ["store-elsewhere"])).toEqual(unknown);
    // Fails closed: no stores and no word that the caller works chain-wide (a gateway that forgot both, or one from before
    // chain_wide, whose request decodes so) reaches no store.
    expect(await answerTo(taskId, staff(rider, "rider"), [], false)).toEqual(unknown);
    expect(await answerTo(taskId, staff("d-1", "dispatcher"), [], false)).toEqual(unknown);

    for (const reader of [staff(rider, "rider"), staff("d-1", "dispatcher"), staff("m-1", "store-manager"), staff("cs-1", "customer-service")]) {
      expect((await query.getTaskForCaller({ taskId, caller: reader, stores: [], chainWide: true })).staffId, reader.role).toBe(rider);
    }
    expect((await query.getTaskForCaller({ taskId, caller: staff("d-1", "dispatcher"), stores: ["store-elsewhere", storeId], chainWide: false })).staffId).toBe(rider);
    expect((await query.getTask({ taskId })).staffId).toBe(rider);
    expect(await query.getTaskForCaller({ taskId, caller: undefined, stores: [], chainWide: true }).then(() => "read", (error: { code?: string }) => error.code)).toBe("caller.missing");
  });
});
