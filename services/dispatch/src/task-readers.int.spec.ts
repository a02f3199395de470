import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { ForbiddenError } from "@oms/errors";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";
import { assignmentRequested, randomStore, staffMember } from "./testing/fixtures.ts";

// WorkloadQuery.GetTaskForCaller over gRPC on the real servers: the person the gateway answers is shown a
// task only if it is theirs or they are of the desk that manages the store's tasks (ADR 022,
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
  it("refuses another rider of the same store, naming who may, and answers the assignee, the desk and a service's own read", async () => {
    const storeId = randomStore();
    const rider = `${storeId}-rider`;
    await upsertStaff(dispatch.runtime.pool, "dispatch", [staffMember(storeId, rider, { roles: ["rider"], capacity: 5, skills: [{ skill: "delivery", level: 2 }] })]);
    const request = assignmentRequested(storeId, {});
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request]);
    const { taskId } = request.payload;
    await eventually(async () => ((await query.getTask({ taskId }).catch(() => undefined))?.status === "assigned" ? true : undefined));

    const refused = await query.getTaskForCaller({ taskId, caller: staff(`${storeId}-colleague`, "rider") }).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused).toMatchObject({ code: "dispatch.task-not-yours", message: expect.stringContaining("the caller is staff with role rider") });
    expect(await query.getTaskForCaller({ taskId, caller: staff("wc-1", "warehouse-clerk") }).then(() => "read", () => "refused")).toBe("refused");

    for (const reader of [staff(rider, "rider"), staff("d-1", "dispatcher"), staff("m-1", "store-manager"), staff("cs-1", "customer-service")]) {
      expect((await query.getTaskForCaller({ taskId, caller: reader })).staffId, reader.role).toBe(rider);
    }
    expect((await query.getTask({ taskId })).staffId).toBe(rider);
    expect(await query.getTaskForCaller({ taskId, caller: undefined }).then(() => "read", (error: { code?: string }) => error.code)).toBe("caller.missing");
  });
});
