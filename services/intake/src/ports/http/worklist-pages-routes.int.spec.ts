import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerHeaders, readEveryPage } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { randomStore, staffMember } from "../../../../dispatch/src/testing/fixtures.ts";
import { upsertStaff } from "../../../../dispatch/src/app/commands/upsert-staff.ts";
import { plantDoneTask } from "../../../../dispatch/src/testing/worklist-rows.ts";
import { startIntakeWithDispatch, type IntakeWithDispatch } from "./intake-with-dispatch.ts";

// The worklists through intake's REST API a page at a time (twenty-ninth session), asked of a
// real dispatch: pageSize and pageToken in, nextPageToken out (absent on the last page), so a
// rider's or a store's list longer than a page is read whole; limit is kept as pageSize's older name.
let under: IntakeWithDispatch;

beforeAll(async () => {
  under = await startIntakeWithDispatch();
});

afterAll(() => under?.stop());

const desk = callerHeaders("staff:d-1:dispatcher");
const base = Date.now();
const minutesAgo = (minutes: number) => new Date(base - minutes * 60_000);

/** A store with a rider holding six done tasks, two created in the same instant; answers the store, the rider and the tasks oldest first. */
async function storeWithSixDoneTasks() {
  const storeId = randomStore();
  const rider = `${storeId}-rider`;
  const pool = under.dispatch.runtime.pool;
  await upsertStaff(pool, "dispatch", [staffMember(storeId, rider, { roles: ["rider"], capacity: 10, skills: [{ skill: "delivery", level: 2 }] })]);
  const planted = [];
  for (const minutes of [30, 50, 20, 40, 40, 10]) planted.push({ id: await plantDoneTask(pool, storeId, minutesAgo(minutes), rider), minutes });
  const oldestFirst = planted.sort((a, b) => b.minutes - a.minutes || (a.id < b.id ? -1 : 1)).map((t) => t.id);
  return { storeId, rider, oldestFirst };
}

describe("intake: worklists, a page at a time", () => {
  it("a store's queue and a rider's own list are read whole over pages, in their order, nothing twice or missing", async () => {
    const { storeId, rider, oldestFirst } = await storeWithSixDoneTasks();
    // Done tasks have no appointment or open assignment: a rider's list is due by creation, the same order.
    for (const [path, headers] of [
      [`/v1/stores/${storeId}/tasks`, desk],
      [`/v1/staff/${rider}/tasks`, callerHeaders(`staff:${rider}:rider`)],
    ] as const) {
      const whole = await readEveryPage(async (pageToken) => {
        const answer = await under.api.get(`${path}?status=done&pageSize=4${pageToken && `&pageToken=${pageToken}`}`, headers);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        return { items: (answer.body.tasks as { taskId: string }[]).map((t) => t.taskId), nextPageToken: answer.body.nextPageToken };
      });
      expect(whole, path).toEqual({ items: oldestFirst, pages: 2 });
    }
    // A caller built before paging sizes the page by limit, and is told there is more.
    const byLimit = await under.api.get(`/v1/stores/${storeId}/tasks?status=done&limit=5`, desk);
    expect({ listed: byLimit.body.tasks.length, more: typeof byLimit.body.nextPageToken }).toEqual({ listed: 5, more: "string" });
  });

  it("refuses a token dispatch did not give, a size out of range and both sizes at once, naming the field", async () => {
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "t-x"])).toString("base64url");
    for (const [query, field] of [
      ["pageToken=not-a-token", "pageToken"],
      [`pageToken=${forged}`, "pageToken"],
      ["pageSize=501", "pageSize"],
      ["pageSize=0", "pageSize"],
      ["pageSize=2&limit=2", "limit"],
    ]) {
      const refused = await under.api.get(`/v1/stores/${randomStore()}/tasks?${query}`, desk);
      expect({ query, status: refused.status, fields: refused.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ query, status: 400, fields: [field] });
    }
  });
});
