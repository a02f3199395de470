import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, afterSalesVisitTaskId, newEvent, type OrderEvent } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { sealedWordsFromEnv } from "./app/sealed-words.ts";
import { defineAfterSalesService } from "./service.ts";
import { afterSalesClients, agent, caseEventsOf, customer, day, knownOrder, newStore, openRequest, rawCaseMessagesOf, refusal, seenBy, unseen } from "./test-fixtures.ts";

/**
 * A repair the customer says did not fix it (ADR 025, rework addendum), on the real Kafka and
 * Postgres: after the visit's report (dispatch's news, published here as dispatch would) the
 * customer rejects it with their reason; the case shows the visit in rework, the reason sealed
 * in the row and in VisitRejected, opened for the case's viewers with a showing logged; the
 * round's new report ends it again and the case shows both rounds. Refused: twice in a round,
 * another customer, before a report, after the acceptance period, on a resolved case.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: ReturnType<typeof afterSalesClients>;
const storeId = newStore();
const env = { AFTERSALES_PERSONAL_DATA_KEYS: `as1:${Buffer.alloc(32, 21).toString("base64")}` };
const { words: sealing } = sealedWordsFromEnv(env);
const reason = "Zhao Min, 139 2222 3333: it heated once and went cold again";

beforeAll(async () => {
  namespace = await createTestNamespace();
  afterSales = await startService(defineAfterSalesService(env), testServiceConfig("after-sales", namespace));
  clients = afterSalesClients(afterSales.grpc.port);
});

afterAll(async () => {
  clients?.query.close();
  clients?.commands.close();
  await afterSales?.stop();
  await namespace?.drop();
});

async function acceptedRepair() {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 30 });
  const ask = openRequest(orderId, { kind: "repair", caller: customer, channel: "online", description: "the kettle does not heat" });
  await clients.commands.openCase(ask);
  await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "tech-1", note: "" });
  return { orderId, caseId: ask.caseId, taskId: afterSalesVisitTaskId(ask.caseId) };
}

/** Dispatch's report of the visit's round, as finish-after-sales-visit.ts announces it. */
function reported(orderId: string, taskId: string, round: number, submittedAt: Date, summary: string): OrderEvent {
  const origin = { producer: "dispatch" as const, orderId, storeId, actor: { kind: "staff", id: "tech-1", role: "service-staff" } as const };
  return newEvent(
    EventTypes.AfterSalesVisitReported,
    { taskId, caseId: "", reportId: `rep-${round}-${randomUUID()}`, staffId: "tech-1", submittedAt: submittedAt.toISOString(), summary, recordId: `rec-${round}`, attachmentRefs: [], round },
    origin,
  );
}

async function reportedRepair(submittedAt = new Date()) {
  const repair = await acceptedRepair();
  await publishEvents(namespace.name, Topics.dispatchAssignment, [reported(repair.orderId, repair.taskId, 0, submittedAt, "replaced the thermostat")]);
  await eventually(async () => ((await clients.query.getCase({ caseId: repair.caseId, ...unseen })).visitStatus === "done" ? true : undefined));
  return repair;
}

const rejection = (caseId: string, caller: { kind: string; id: string; role: string } = customer, why = reason) => ({ caseId, caller, correlationId: `corr-${randomUUID()}`, reason: why });

describe("a repair visit the customer rejects", () => {
  it("goes back for rework with the customer's reason sealed at rest and on the topic, shown to the case's viewers and logged; the new round's report ends it", async () => {
    const { orderId, caseId, taskId } = await reportedRepair();
    const rejected = await clients.commands.rejectVisit(rejection(caseId));
    expect(rejected).toMatchObject({ status: "accepted", visitStatus: "rework", visitRound: 1, visitStaffId: "", visitDoneAt: "" });
    expect(rejected.visitRounds).toMatchObject([
      { round: 0, reportedBy: "tech-1", summary: "replaced the thermostat", rejectedBy: "customer:c-42", rejectionReason: reason },
      { round: 1, reportedAt: "", rejectedAt: "" },
    ]);

    // At rest: the visit's document holds the reason sealed, bound to the case and the round.
    const { rows } = await afterSales.runtime.pool.query<{ visit: { pastRounds: { rejection: { reasonSealed: string } }[] } }>("SELECT visit FROM cases WHERE case_id = $1", [caseId]);
    expect(JSON.stringify(rows[0]!.visit)).not.toMatch(/139 2222|Zhao Min/);
    const stored = { sealed: Buffer.from(rows[0]!.visit.pastRounds[0]!.rejection.reasonSealed, "base64") };
    expect(sealing.visitRejectionReasonOf(caseId, 1, stored)).toBe(reason);
    expect(() => sealing.visitRejectionReasonOf(caseId, 2, stored)).toThrow(/fails authentication/);
    // A clear reason is refused by the database itself (migration 020).
    await expect(
      afterSales.runtime.pool.query(`UPDATE cases SET visit = jsonb_set(visit, '{pastRounds,0,rejection}', '{"at":"x","by":"y","reason":"in the clear"}') WHERE case_id = $1`, [caseId]),
    ).rejects.toThrow(/cases_visit_rejections_sealed/);

    // On the topic: the case, the task, the round, the reason sealed only.
    const announced = await eventually(async () => (await caseEventsOf(namespace.name, [orderId])).find((e) => e.type === EventTypes.VisitRejected));
    expect(announced.payload).toMatchObject({ caseId, taskId, round: 1 });
    expect(sealing.visitRejectionReasonOf(caseId, 1, { sealed: (announced.payload as { sealedReason: Uint8Array }).sealedReason })).toBe(reason);
    for (const bytes of await rawCaseMessagesOf(namespace.name, [orderId])) expect(bytes.toString("latin1")).not.toMatch(/139 2222|Zhao Min/);

    // Shown to the desk, logged as a showing of the field; a view naming nobody leaves it sealed.
    const seen = await clients.query.getCase({ caseId, ...seenBy(agent, "corr-desk") });
    expect(seen.visitRounds[0]!.rejectionReason).toBe(reason);
    expect((await clients.query.getCase({ caseId, ...unseen })).visitRounds[0]!.rejectionReason).toBe("");
    const { rows: showings } = await afterSales.runtime.pool.query<{ fields: string[] }>("SELECT fields FROM case_disclosures WHERE case_id = $1 AND correlation_id = 'corr-desk'", [caseId]);
    expect(showings.map((s) => s.fields)).toEqual([["description", "visit-rejection-reason"]]);

    // The same rejection again answers as it stands; another is refused: one rejection a round.
    expect((await clients.commands.rejectVisit(rejection(caseId))).visitRound).toBe(1);
    expect(await refusal(clients.commands.rejectVisit(rejection(caseId, customer, "it also leaks")))).toBe("IllegalStateError after-sales.visit-already-rejected");
    expect((await caseEventsOf(namespace.name, [orderId])).filter((e) => e.type === EventTypes.VisitRejected)).toHaveLength(1);

    // Dispatch's news of the new round: assigned, then its report ends the round.
    const origin = { producer: "dispatch" as const, orderId, storeId, actor: { kind: "staff", id: "tech-1", role: "service-staff" } as const };
    await publishEvents(namespace.name, Topics.dispatchAssignment, [
      newEvent(EventTypes.TaskAssigned, { taskId, assignmentId: randomUUID(), staffId: "tech-1", acknowledgeBy: new Date().toISOString(), fencingToken: 7 }, origin),
    ]);
    await eventually(async () => ((await clients.query.getCase({ caseId, ...unseen })).visitStatus === "assigned" ? true : undefined));
    // A retry after a lost answer finds the new round already taken on: still the same answer, and nothing written.
    expect(await clients.commands.rejectVisit(rejection(caseId))).toMatchObject({ visitStatus: "assigned", visitRound: 1 });
    expect(await refusal(clients.commands.rejectVisit(rejection(caseId, customer, "it also leaks")))).toBe("IllegalStateError after-sales.visit-already-rejected");
    await publishEvents(namespace.name, Topics.dispatchAssignment, [reported(orderId, taskId, 1, new Date(), "replaced the heating element too")]);
    const again = await eventually(async () => {
      const c = await clients.query.getCase({ caseId, ...seenBy(customer) });
      return c.visitStatus === "done" ? c : undefined;
    });
    expect(again).toMatchObject({ visitRound: 1, visitDoneBy: "tech-1", visitSummary: "replaced the heating element too" });
    expect(again.visitRounds.map((r) => [r.round, r.summary, r.rejectionReason])).toEqual([
      [0, "replaced the thermostat", reason],
      [1, "replaced the heating element too", ""],
    ]);
  });

  it("names the round it rejects: a retry arriving after the next round's report answers as recorded, opening nothing; a superseded round's report is refused", async () => {
    const { orderId, caseId, taskId } = await reportedRepair();
    const first = { ...rejection(caseId), round: 0 };
    expect((await clients.commands.rejectVisit(first)).visitRound).toBe(1);
    await publishEvents(namespace.name, Topics.dispatchAssignment, [reported(orderId, taskId, 1, new Date(), "replaced the heating element too")]);
    await eventually(async () => ((await clients.query.getCase({ caseId, ...unseen })).visitStatus === "done" ? true : undefined));

    // The customer's first rejection, retried over a flaky network after the technician's second visit: the recorded one, not a new one.
    expect(await clients.commands.rejectVisit({ ...first, correlationId: `corr-${randomUUID()}` })).toMatchObject({ visitStatus: "done", visitRound: 1, visitSummary: "replaced the heating element too" });
    // So is one naming no round (an older caller): the same words by the same caller as the rejection that opened round 1.
    expect(await clients.commands.rejectVisit(rejection(caseId))).toMatchObject({ visitStatus: "done", visitRound: 1 });
    // Round 0's report, named with other words or by the desk, was superseded by round 1's.
    expect(await refusal(clients.commands.rejectVisit({ ...rejection(caseId, customer, "it also leaks"), round: 0 }))).toBe("IllegalStateError after-sales.visit-report-superseded");
    expect(await refusal(clients.commands.rejectVisit({ ...rejection(caseId, agent), round: 0 }))).toBe("IllegalStateError after-sales.visit-report-superseded");
    expect(await refusal(clients.commands.rejectVisit({ ...rejection(caseId), round: 2 }))).toBe("IllegalStateError after-sales.visit-not-reported");
    expect(await refusal(clients.commands.rejectVisit({ ...rejection(caseId), round: -1 }))).toBe("ValidationError round");
    expect((await caseEventsOf(namespace.name, [orderId])).filter((e) => e.type === EventTypes.VisitRejected)).toHaveLength(1);

    // Round 1's report named: a new rejection, even in the same words, opening round 2 (its earlier round's reason still sealed as stored).
    const second = await clients.commands.rejectVisit({ ...rejection(caseId), round: 1 });
    expect(second).toMatchObject({ visitStatus: "rework", visitRound: 2 });
    expect(second.visitRounds.map((r) => [r.round, r.rejectionReason])).toEqual([[0, reason], [1, reason], [2, ""]]);
    const announced = await eventually(async () => {
      const all = (await caseEventsOf(namespace.name, [orderId])).filter((e) => e.type === EventTypes.VisitRejected);
      return all.length === 2 ? all : undefined;
    });
    expect(announced.map((e) => (e.payload as { round: number }).round)).toEqual([1, 2]);
  });

  it("shows the desk the visits in rework (inRework) and counts the store's rework rounds opened and completed in its report", async () => {
    // Only this test's cases: the earlier tests' were opened at the same store moments before.
    const from = new Date().toISOString();
    const awaiting = await reportedRepair();
    await clients.commands.rejectVisit({ ...rejection(awaiting.caseId), round: 0 });
    const reworked = await reportedRepair();
    await clients.commands.rejectVisit({ ...rejection(reworked.caseId), round: 0 });
    await publishEvents(namespace.name, Topics.dispatchAssignment, [reported(reworked.orderId, reworked.taskId, 1, new Date(), "replaced the heating element too")]);
    await eventually(async () => ((await clients.query.getCase({ caseId: reworked.caseId, ...unseen })).visitStatus === "done" ? true : undefined));
    const untouched = await reportedRepair();

    const inRework = (await clients.query.listCases({ storeId, orderId: "", status: "", kind: "", limit: 500, pageSize: 0, pageToken: "", refundShortfall: false, replacementLate: false, inRework: true, ...unseen })).cases;
    const listed = inRework.map((c) => c.caseId);
    expect(listed).toContain(awaiting.caseId);
    expect(listed).not.toContain(reworked.caseId);
    expect(listed).not.toContain(untouched.caseId);
    expect(inRework.every((c) => c.visitRound > 0 && c.visitStatus !== "done" && c.visitStatus !== "called-off")).toBe(true);
    expect(await refusal(clients.query.listCases({ storeId: "", orderId: "", status: "", kind: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: true, replacementLate: false, inRework: true, ...unseen }))).toBe("ValidationError storeId");

    const report = await clients.query.getCaseReport({ storeId, from, until: new Date(Date.now() + 60_000).toISOString() });
    expect(report).toMatchObject({ opened: 3, visitReworkRoundsOpened: 2, visitReworkRoundsCompleted: 1 });
  });

  it("is refused, writing nothing, to another customer, before a report, after the acceptance period, and on a resolved case", async () => {
    const { orderId, caseId } = await reportedRepair();
    expect(await refusal(clients.commands.rejectVisit(rejection(caseId, { kind: "customer", id: "c-other", role: "customer" })))).toBe("NotFoundError after-sales.case-not-found");
    expect(await refusal(clients.commands.rejectVisit(rejection(caseId, { kind: "staff", id: "fin-1", role: "finance" })))).toBe("ForbiddenError caller.not-permitted");
    expect(await refusal(clients.commands.rejectVisit(rejection(caseId, customer, " ")))).toBe("ValidationError reason");
    await clients.commands.resolveCase({ caseId, caller: agent, correlationId: "", resolution: "repaired on site", cause: "product", refundMinor: 0 });
    expect(await refusal(clients.commands.rejectVisit(rejection(caseId)))).toBe("IllegalStateError after-sales.case-resolved");

    const waiting = await acceptedRepair();
    expect(await refusal(clients.commands.rejectVisit(rejection(waiting.caseId)))).toBe("IllegalStateError after-sales.visit-not-reported");

    const late = await reportedRepair(new Date(Date.now() - 4 * day));
    expect(await refusal(clients.commands.rejectVisit(rejection(late.caseId, agent)))).toBe("IllegalStateError after-sales.acceptance-period-over");

    const types = (await caseEventsOf(namespace.name, [orderId, waiting.orderId, late.orderId])).map((e) => e.type);
    expect(types).not.toContain(EventTypes.VisitRejected);
    for (const c of [caseId, waiting.caseId, late.caseId]) expect((await clients.query.getCase({ caseId: c, ...unseen })).visitRound).toBe(0);
  });
});
