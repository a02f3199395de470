import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@oms/service-kit";
import { readEveryPage, type TestNamespace } from "@oms/testing";
import { upsertStaff } from "./app/commands/upsert-staff.ts";
import { startDispatchUnderTest, stopDispatchUnderTest, type DispatchUnderTest } from "./testing/dispatch-under-test.ts";
import { randomStore, staffMember } from "./testing/fixtures.ts";
import { plantDoneTask as plantDoneTaskIn } from "./testing/worklist-rows.ts";

// Worklists a page at a time (ADR 006's twenty-ninth-session addendum) over gRPC on the real
// servers: once cut at `limit` unsaid, now read whole — a tie on the sort key broken by the task
// id, a task recorded between pages neither repeating nor skipping one.
let namespace: TestNamespace;
let dispatch: RunningService;
let query: DispatchUnderTest["query"];
let commands: DispatchUnderTest["commands"];

beforeAll(async () => {
  ({ namespace, dispatch, query, commands } = await startDispatchUnderTest());
});

afterAll(() => stopDispatchUnderTest({ namespace, dispatch, query, commands }));

const base = Date.now();
const minutesAgo = (minutes: number) => new Date(base - minutes * 60_000);
const pool = () => dispatch.runtime.pool;
/** The ids in the list's order: by its keys, the task id (compared as Postgres' "C" collation does) breaking a tie. */
const inOrder = <T extends { id: string }>(rows: T[], compare: (a: T, b: T) => number) => [...rows].sort((a, b) => compare(a, b) || (a.id < b.id ? -1 : 1)).map((r) => r.id);

const plantDoneTask = (storeId: string, createdAt: Date, staffId: string, appointmentAt?: Date) => plantDoneTaskIn(pool(), storeId, createdAt, staffId, appointmentAt);

const page = (request: { staffId?: string; storeId?: string }, pageToken: string) =>
  query.listTasks({ staffId: "", storeId: "", statuses: ["done"], limit: 0, pageSize: 2, pageToken, ...request });

async function personAt(storeId: string): Promise<string> {
  const person = `${storeId}-rider`;
  await upsertStaff(pool(), "dispatch", [staffMember(storeId, person, { roles: ["rider"], capacity: 10, skills: [{ skill: "delivery", level: 2 }] })]);
  return person;
}

describe("worklists, a page at a time", () => {
  it("a store's is read whole, oldest first, none twice or missing while a task is created meanwhile", async () => {
    const storeId = randomStore();
    const person = await personAt(storeId);
    // Five tasks created out of order, two in the same instant (the task id breaks the tie).
    const planted = [];
    for (const minutes of [30, 50, 20, 40, 40]) planted.push({ id: await plantDoneTask(storeId, minutesAgo(minutes), person), minutes });
    const expected = inOrder(planted, (a, b) => b.minutes - a.minutes);
    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const answer = await page({ storeId }, pageToken);
      if (!meanwhile) meanwhile = await plantDoneTask(storeId, new Date(), person);
      return { items: answer.tasks.map((t) => t.taskId), nextPageToken: answer.nextPageToken };
    });
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 3 });
  });

  it("a person's is read whole, soonest due first (the appointment, else the creation; then the creation), none twice or missing while a task is created meanwhile", async () => {
    const storeId = randomStore();
    const person = await personAt(storeId);
    // Two visits due at the same instant, created apart (the creation breaks the tie); two deliveries
    // created in the same instant (the task id breaks it); a visit due later than it was created.
    const appointment = minutesAgo(45);
    const planted = [
      { id: await plantDoneTask(storeId, minutesAgo(90), person, appointment), due: 45, created: 90 },
      { id: await plantDoneTask(storeId, minutesAgo(80), person, appointment), due: 45, created: 80 },
      { id: await plantDoneTask(storeId, minutesAgo(60), person), due: 60, created: 60 },
      { id: await plantDoneTask(storeId, minutesAgo(30), person), due: 30, created: 30 },
      { id: await plantDoneTask(storeId, minutesAgo(30), person), due: 30, created: 30 },
      { id: await plantDoneTask(storeId, minutesAgo(100), person, minutesAgo(10)), due: 10, created: 100 },
    ];
    const expected = inOrder(planted, (a, b) => b.due - a.due || b.created - a.created);
    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const answer = await page({ staffId: person }, pageToken);
      if (!meanwhile) meanwhile = await plantDoneTask(storeId, new Date(), person);
      return { items: answer.tasks.map((t) => t.taskId), nextPageToken: answer.nextPageToken };
    });
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 4 });
  });

  it("a caller sizing the page by limit, its older name, gets the first page and a token to the rest", async () => {
    const storeId = randomStore();
    const person = await personAt(storeId);
    for (const minutes of [3, 2, 1]) await plantDoneTask(storeId, minutesAgo(minutes), person);
    const first = await query.listTasks({ staffId: "", storeId, statuses: ["done"], limit: 2, pageSize: 0, pageToken: "" });
    const rest = await query.listTasks({ staffId: "", storeId, statuses: ["done"], limit: 2, pageSize: 0, pageToken: first.nextPageToken });
    expect([first.tasks.length, rest.tasks.length, rest.nextPageToken]).toEqual([2, 1, ""]);
  });

  it("refuses a rider's page token on the store's list, which would start the desk at a place its own list never gave", async () => {
    const storeId = randomStore();
    const person = await personAt(storeId);
    for (const minutes of [3, 2, 1]) await plantDoneTask(storeId, minutesAgo(minutes), person);
    const riders = await page({ staffId: person }, "");
    expect(riders.nextPageToken).not.toBe("");
    await expect(page({ storeId }, riders.nextPageToken)).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageToken" })] });
  });

  it("refuses a forged or malformed page token, a size out of range and both sizes at once, naming each with the request's other wrong fields", async () => {
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "t-x"])).toString("base64url");
    const request = { staffId: "", storeId: randomStore(), statuses: [], limit: 0, pageSize: 0, pageToken: "" };
    for (const pageToken of ["not-a-token", forged]) {
      await expect(query.listTasks({ ...request, pageToken })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageToken" })] });
    }
    await expect(query.listTasks({ ...request, pageSize: 501 })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageSize" })] });
    await expect(query.listTasks({ ...request, pageSize: 2, limit: 2 })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "limit" })] });
    const refused = query.listTasks({ ...request, statuses: ["lost"], pageToken: "not-a-token" });
    await expect(refused).rejects.toMatchObject({ fields: [expect.objectContaining({ field: "statuses[0]" }), expect.objectContaining({ field: "pageToken" })] });
  });
});
