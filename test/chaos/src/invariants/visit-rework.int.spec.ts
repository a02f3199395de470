import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { EventTypes, Topics, afterSalesVisitTaskId } from "@oms/contracts";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { contextOf, eventOf, messageOf } from "./test-fixtures.ts";
import { rejectedVisitsReworkedOnce } from "./visit-rework.ts";

/**
 * The rework check reads what it claims to: the visits' documents in after-sales' cases (a table
 * shaped like the service's, only the columns it reads) and the rounds the case and dispatch
 * topics announced, a republished copy counted once; a round dispatch opened twice is caught.
 */
let namespace: TestNamespace;
let db: pg.Pool;

beforeAll(async () => {
  namespace = await createTestNamespace();
  db = new pg.Pool({ connectionString: namespace.databaseUrl, max: 2 });
  await db.query(`CREATE SCHEMA after_sales; CREATE TABLE after_sales.cases (case_id text PRIMARY KEY, kind text NOT NULL, visit jsonb)`);
});

afterAll(async () => {
  await db?.end();
  await namespace?.drop();
});

const pastRound = (round: number) => ({ round, report: { at: "2026-12-07T08:00:00Z", by: "tech-1", summary: "", reportId: `rep-${round}` }, rejection: { at: "2026-12-07T09:00:00Z", by: "customer:c-1", reasonSealed: "c2VhbGVk" } });
const rejected = (caseId: string, round: number) => eventOf(EventTypes.VisitRejected, { caseId, taskId: afterSalesVisitTaskId(caseId), round, rejectedReportId: "", sealedReason: Buffer.from("sealed") }, `o-${caseId}`, "after-sales");
const reworkStarted = (caseId: string, round: number) => eventOf(EventTypes.ServiceReworkStarted, { taskId: afterSalesVisitTaskId(caseId), staffId: "tech-1", refusedReportId: "", reason: "", round }, `o-${caseId}`, "dispatch");
const reported = (caseId: string, round: number) =>
  eventOf(EventTypes.AfterSalesVisitReported, { taskId: afterSalesVisitTaskId(caseId), caseId, reportId: `rep-${round}`, staffId: "tech-1", submittedAt: "2026-12-07T10:00:00Z", summary: "", recordId: "", attachmentRefs: [], round }, `o-${caseId}`, "dispatch");

describe("invariant: every rejected visit report got one new round that ended", () => {
  it("passes a visit reworked once, its events heard twice; catches a round dispatch opened twice", async () => {
    await db.query("INSERT INTO after_sales.cases VALUES ('v-ok', 'repair', $1), ('v-twice', 'maintenance', $1), ('v-never', 'repair', $2), ('r-1', 'return', NULL)", [
      JSON.stringify({ taskId: afterSalesVisitTaskId("v"), status: "done", round: 1, exceptions: [], pastRounds: [pastRound(0)] }),
      JSON.stringify({ taskId: afterSalesVisitTaskId("v-never"), status: "done", exceptions: [] }),
    ]);
    const okEvents = [rejected("v-ok", 1), reworkStarted("v-ok", 1), reported("v-ok", 0), reported("v-ok", 1)];
    const twiceEvents = [rejected("v-twice", 1), reworkStarted("v-twice", 1), reworkStarted("v-twice", 1), reported("v-twice", 0), reported("v-twice", 1)];
    const all = [...okEvents, ...okEvents, ...twiceEvents, reported("v-never", 0)];
    const topics = {
      [Topics.afterSalesCase]: all.filter((e) => e.type === EventTypes.VisitRejected).map((e) => messageOf(e)),
      [Topics.dispatchAssignment]: all.filter((e) => e.type !== EventTypes.VisitRejected).map((e) => messageOf(e)),
    };
    const outcome = await rejectedVisitsReworkedOnce(contextOf(topics, { db }));
    expect(outcome.details).toEqual(["case v-twice: round 1 opened 2 times by dispatch"]);
    expect(outcome.figure).toBe("3 visits, 2 reports rejected: 2 new rounds reported, 0 called off with their case; 1 problems");
  });
});
