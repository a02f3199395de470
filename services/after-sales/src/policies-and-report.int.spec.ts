import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, testServiceConfig, type TestNamespace } from "@oms/testing";
import { sealedWordsFromEnv } from "./app/sealed-words.ts";
import { defineAfterSalesService } from "./service.ts";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import { afterSalesClients, agent, caseEventsOf, customer, day, knownOrder, manager, newStore, openRequest, refusal, seenBy, unseen } from "./test-fixtures.ts";

/**
 * A store's published policy, read back and applied to the cases opened after it; a
 * store's cases listed; and the report of what they add up to, on the real database over
 * gRPC. The chain's complaint response time is three seconds here, so a complaint can be late.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: ReturnType<typeof afterSalesClients>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  const env = { AFTERSALES_COMPLAINT_RESPONSE_HOURS: String(3 / 3600), AFTERSALES_WARRANTY_DAYS: "730" };
  afterSales = await startService(defineAfterSalesService(env), testServiceConfig("after-sales", namespace));
  clients = afterSalesClients(afterSales.grpc.port);
});

afterAll(async () => {
  clients?.query.close();
  clients?.commands.close();
  await afterSales?.stop();
  await namespace?.drop();
});

const policyOf = (storeId: string) => ({
  storeId,
  warrantyDays: 365,
  returnDays: 30,
  complaintResponseHours: 48,
  kinds: ["return", "exchange", "complaint"],
  process: "Bring the goods with the receipt.",
  liability: "Not liable for misuse.",
  updatedAt: "",
  updatedBy: "",
});

describe("a store's policy", () => {
  it("is the chain's defaults until its manager publishes one, which is read back and judges the cases opened after it", async () => {
    const storeId = newStore();
    expect(await clients.query.getPolicy({ storeId })).toMatchObject({
      storeId,
      warrantyDays: 730,
      returnDays: 7,
      complaintResponseHours: 1,
      kinds: ["repair", "maintenance", "return", "exchange", "complaint"],
      updatedAt: "",
      updatedBy: "",
    });
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 10 });
    expect(await clients.commands.openCase(openRequest(orderId))).toMatchObject({ status: "declined", withinPolicy: false });

    const set = { policy: policyOf(storeId), caller: manager, correlationId: "" };
    expect(await refusal(clients.commands.setPolicy({ ...set, caller: agent }))).toBe("ForbiddenError caller.not-permitted");
    expect(await refusal(clients.commands.setPolicy({ ...set, policy: undefined }))).toBe("ValidationError policy");
    const wrong = { ...policyOf(storeId), warrantyDays: 3651, returnDays: -1, complaintResponseHours: 0, kinds: ["refund"], liability: "x".repeat(2001) };
    expect(await refusal(clients.commands.setPolicy({ ...set, policy: wrong }))).toBe(
      "ValidationError policy.warrantyDays, policy.returnDays, policy.complaintResponseHours, policy.kinds[0], policy.liability",
    );
    expect(await refusal(clients.commands.setPolicy({ ...set, policy: { ...policyOf(storeId), kinds: [] } }))).toBe("ValidationError policy.kinds");

    const published = await clients.commands.setPolicy(set);
    expect(published).toMatchObject({ ...policyOf(storeId), updatedAt: expect.any(String), updatedBy: "staff:m-1" });
    expect(Math.abs(new Date(published.updatedAt).getTime() - Date.now())).toBeLessThan(60_000);
    expect(await clients.query.getPolicy({ storeId })).toEqual(published);
    expect(await refusal(clients.query.getPolicy({ storeId: "" }))).toBe("ValidationError storeId");

    // Thirty days to return now; repairs are no longer taken; complaints are due in 48 hours.
    expect(await clients.commands.openCase(openRequest(orderId))).toMatchObject({ status: "open", withinPolicy: true });
    expect(await clients.commands.openCase(openRequest(orderId, { kind: "repair" }))).toMatchObject({ status: "declined", policyNote: "the store does not take repair requests" });
    const complaint = await clients.commands.openCase(openRequest(orderId, { kind: "complaint", lines: [] }));
    expect(new Date(complaint.respondBy).getTime() - new Date(complaint.openedAt).getTime()).toBe(48 * 3600_000);
  });

  it("keeps every version published, whole, with who and when, in a table that refuses changes", async () => {
    const storeId = newStore();
    const pool = afterSales.runtime.pool;
    const first = await clients.commands.setPolicy({ policy: policyOf(storeId), caller: manager, correlationId: "" });
    const otherManager = { kind: "staff", id: "m-2", role: "store-manager" };
    const second = await clients.commands.setPolicy({ policy: { ...policyOf(storeId), returnDays: 14, kinds: ["return"] }, caller: otherManager, correlationId: "" });
    expect(await refusal(clients.commands.setPolicy({ policy: { ...policyOf(storeId), returnDays: -1 }, caller: manager, correlationId: "" }))).toBe("ValidationError policy.returnDays");

    const { rows } = await pool.query<{ return_days: number; kinds: string[]; process: string; published_at: Date; published_by: string }>(
      "SELECT return_days, kinds, process, published_at, published_by FROM policy_versions WHERE store_id = $1 ORDER BY version_id",
      [storeId],
    );
    expect(rows.map((r) => [r.return_days, r.kinds, r.process, r.published_by, r.published_at.toISOString()])).toEqual([
      [30, ["return", "exchange", "complaint"], "Bring the goods with the receipt.", "staff:m-1", first.updatedAt],
      [14, ["return"], "Bring the goods with the receipt.", "staff:m-2", second.updatedAt],
    ]);
    await expect(pool.query("UPDATE policy_versions SET return_days = 365 WHERE store_id = $1", [storeId])).rejects.toThrow(/append-only: UPDATE on policy_versions refused/);
    await expect(pool.query("DELETE FROM policy_versions WHERE store_id = $1", [storeId])).rejects.toThrow(/append-only: DELETE on policy_versions refused/);
    expect((await pool.query("SELECT 1 FROM policy_versions WHERE store_id = $1", [storeId])).rowCount).toBe(2);
  });
});

describe("a store's cases", () => {
  it("are listed newest first, narrowed by status, kind or order, within the limit", async () => {
    const storeId = newStore();
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const other = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const returned = await clients.commands.openCase(openRequest(orderId));
    const complaint = await clients.commands.openCase(openRequest(orderId, { kind: "complaint", lines: [] }));
    const repair = await clients.commands.openCase(openRequest(other, { kind: "repair" }));
    await clients.commands.declineCase({ caseId: repair.caseId, caller: agent, correlationId: "", explanation: "water damage" });
    const list = async (more: { status?: string; kind?: string; orderId?: string; limit?: number; storeId?: string }) =>
      (await clients.query.listCases({ storeId, status: "", kind: "", orderId: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: false, replacementLate: false, inRework: false, ...more, ...unseen })).cases.map((c) => c.caseId);

    expect(await list({})).toEqual([repair.caseId, complaint.caseId, returned.caseId]);
    expect(await list({ limit: 2 })).toEqual([repair.caseId, complaint.caseId]);
    expect(await list({ status: "declined" })).toEqual([repair.caseId]);
    expect(await list({ kind: "complaint" })).toEqual([complaint.caseId]);
    expect(await list({ storeId: "", orderId })).toEqual([complaint.caseId, returned.caseId]);
    expect(await list({ storeId: newStore() })).toEqual([]);
    expect(await refusal(list({ storeId: "" }))).toBe("ValidationError storeId");
    expect(await refusal(list({ status: "closed", kind: "refund", limit: 501 }))).toBe("ValidationError status, kind, limit");
    expect(await refusal(list({ limit: -1 }))).toBe("ValidationError limit");
    expect(await clients.query.getCase({ caseId: complaint.caseId, ...seenBy(agent) })).toEqual(complaint);
    expect(await refusal(clients.query.getCase({ caseId: "no-such-case", ...unseen }))).toBe("NotFoundError after-sales.case-not-found");
  });
});

describe("the case report", () => {
  it("counts a store's cases of the period by kind, cause and goods, and its complaints answered in time, late or not at all", async () => {
    const storeId = newStore();
    const pool = afterSales.runtime.pool;
    const recent = await knownOrder(pool, { storeId, deliveredDaysAgo: 1 });
    const old = await knownOrder(pool, { storeId, deliveredDaysAgo: 20 });
    const decide = { caller: agent, correlationId: "" };

    const resolved = await clients.commands.openCase(openRequest(recent, { lines: [{ sku: "KETTLE-1", quantity: 2 }, { sku: "CUP-6", quantity: 1 }] }));
    await clients.commands.acceptCase({ ...decide, caseId: resolved.caseId, assigneeStaffId: "agent-9", note: "" });
    await clients.commands.resolveCase({ ...decide, caseId: resolved.caseId, resolution: "refunded", cause: "carrier", refundMinor: 5_000 });
    await clients.commands.openCase(openRequest(old, { kind: "exchange" })); // declined by the policy: 7 days to exchange
    const repair = await clients.commands.openCase(openRequest(recent, { kind: "repair" }));
    await clients.commands.declineCase({ ...decide, caseId: repair.caseId, explanation: "misuse" });
    const inTime = await clients.commands.openCase(openRequest(recent, { kind: "complaint", lines: [] }));
    await clients.commands.answerComplaint({ ...decide, caseId: inTime.caseId, answer: "sorry" });
    const late = await clients.commands.openCase(openRequest(recent, { kind: "complaint", lines: [] }));
    await clients.commands.openCase(openRequest(recent, { kind: "complaint", lines: [] })); // never answered
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    await clients.commands.answerComplaint({ ...decide, caseId: late.caseId, answer: "sorry for the wait" });

    const from = new Date(Date.now() - 3600_000).toISOString();
    const until = new Date(Date.now() + 3600_000).toISOString();
    const report = await clients.query.getCaseReport({ storeId, from, until });
    expect(report).toMatchObject({
      storeId,
      from,
      until,
      opened: 6,
      declined: 2,
      resolved: 1,
      byKind: [
        { key: "complaint", count: 3 },
        { key: "exchange", count: 1 },
        { key: "repair", count: 1 },
        { key: "return", count: 1 },
      ],
      byCause: [{ key: "carrier", count: 1 }],
      bySku: [
        { key: "KETTLE-1", count: 3 },
        { key: "CUP-6", count: 1 },
      ],
      complaints: 3,
      complaintsAnsweredInTime: 1,
      complaintsAnsweredLate: 1,
      complaintsUnanswered: 1,
    });
    // Two answers, one at once and one after more than three seconds: their mean is over a second and a half.
    expect(report.meanResponseHours * 3600).toBeGreaterThan(1.6);
    expect(report.meanResponseHours * 3600).toBeLessThan(10);
    // Another period, or another store, counts none of them.
    expect(await clients.query.getCaseReport({ storeId, from: new Date(Date.now() - 30 * day).toISOString(), until: from })).toMatchObject({ opened: 0, bySku: [], meanResponseHours: 0 });
    expect(await clients.query.getCaseReport({ storeId: newStore(), from, until })).toMatchObject({ opened: 0 });
  });

  it("counts declined complaints, by a person or by the policy, in none of in time, late and unanswered: with them the buckets add up to the complaints", async () => {
    const storeId = newStore();
    const recent = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const decide = { caller: agent, correlationId: "" };
    const complain = () => clients.commands.openCase(openRequest(recent, { kind: "complaint", lines: [] }));
    const [answered, declined, answeredThenDeclined] = [await complain(), await complain(), await complain()];
    await complain(); // never answered
    await clients.commands.answerComplaint({ ...decide, caseId: answered.caseId, answer: "sorry" });
    await clients.commands.declineCase({ ...decide, caseId: declined.caseId, explanation: "about another shop" });
    await clients.commands.answerComplaint({ ...decide, caseId: answeredThenDeclined.caseId, answer: "we will look into it" });
    await clients.commands.declineCase({ ...decide, caseId: answeredThenDeclined.caseId, explanation: "the carrier's, not ours" });
    await clients.commands.setPolicy({ policy: { ...policyOf(storeId), kinds: ["return"] }, caller: manager, correlationId: "" });
    expect(await complain()).toMatchObject({ status: "declined", withinPolicy: false });

    const from = new Date(Date.now() - 3600_000).toISOString();
    const report = await clients.query.getCaseReport({ storeId, from, until: new Date(Date.now() + 3600_000).toISOString() });
    expect(report).toMatchObject({ opened: 5, declined: 3, complaints: 5, complaintsAnsweredInTime: 1, complaintsAnsweredLate: 0, complaintsUnanswered: 1 });
    const declinedComplaints = (await clients.query.listCases({ storeId, status: "declined", kind: "complaint", orderId: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: false, replacementLate: false, inRework: false, ...unseen })).cases.length;
    expect(report.complaintsAnsweredInTime + report.complaintsAnsweredLate + report.complaintsUnanswered + declinedComplaints).toBe(report.complaints);
  });

  it("refuses a period that is missing, not RFC 3339, backwards or longer than 366 days", async () => {
    const report = (storeId: string, from: string, until: string) => refusal(clients.query.getCaseReport({ storeId, from, until }));
    expect(await report("", "", "")).toBe("ValidationError storeId, from, until");
    expect(await report("s", "2026-12-01", "yesterday")).toBe("ValidationError from, until");
    expect(await report("s", "2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z")).toBe("ValidationError until");
    // A year of local days at most, and the hour the clocks may go back in it: a second beyond is refused.
    expect(await report("s", "2026-01-01T00:00:00Z", "2027-01-02T01:00:01Z")).toBe("ValidationError until");
    expect(await report("s", "0000-01-01T00:00:00Z", "0000-06-01T00:00:00Z")).toBe("ValidationError from, until");
    expect(await report("s", "2026-01-01T00:00:00+08:00", "2027-01-02T00:00:00+08:00")).toBe("granted");
  });
});

describe("customer satisfaction", () => {
  it("is recorded once per order that reached its customer, announced with the caller's correlation id, and averaged in the store's report", async () => {
    const storeId = newStore();
    const pool = afterSales.runtime.pool;
    const [first, second, notYet] = [
      await knownOrder(pool, { storeId, deliveredDaysAgo: 2 }),
      await knownOrder(pool, { storeId, deliveredDaysAgo: 1 }),
      await knownOrder(pool, { storeId }),
    ];
    const from = new Date(Date.now() - 60_000).toISOString();
    const online = { caller: customer, correlationId: "corr-rating", score: 5, comment: "arrived early", channel: "online" };
    const rated = await clients.commands.recordSatisfaction({ ...online, orderId: first });
    expect(rated).toMatchObject({ orderId: first, storeId, score: 5, channel: "online", recordedBy: `customer:${customer.id}` });
    // A retry after a lost answer is answered as recorded; another score is refused: an order is rated once.
    expect(await clients.commands.recordSatisfaction({ ...online, orderId: first, correlationId: "corr-retry" })).toEqual(rated);
    expect(await refusal(clients.commands.recordSatisfaction({ ...online, orderId: first, score: 1 }))).toBe("IllegalStateError after-sales.satisfaction-recorded");
    expect(await refusal(clients.commands.recordSatisfaction({ ...online, orderId: notYet }))).toBe("IllegalStateError after-sales.not-delivered-yet");
    expect(await refusal(clients.commands.recordSatisfaction({ ...online, orderId: second, score: 0, channel: "follow-up-call" }))).toBe("ValidationError score, channel");
    await clients.commands.recordSatisfaction({ orderId: second, caller: agent, correlationId: "", score: 2, comment: "the rider was late", channel: "follow-up-call" });

    const events = await eventually(async () => {
      const found = (await caseEventsOf(namespace.name, [first, second])).filter((e) => e.type === EventTypes.SatisfactionRecorded);
      return found.length >= 2 ? found : undefined;
    });
    // Two orders, two partitions perhaps: in the order of the scores, not of the topic.
    const byScore = events.sort((a, b) => (b.payload as { score: number }).score - (a.payload as { score: number }).score);
    // The comment travels sealed (ADR 017's sealing addendum), bound to the order's answer.
    const { words } = sealedWordsFromEnv({});
    const announced = (e: OrderEvent) => {
      const { sealedComment, ...rest } = e.payload as { sealedComment: Uint8Array };
      return { ...rest, opened: words.commentOf(e.orderId, { sealed: sealedComment }) };
    };
    expect(byScore.map((e) => [e.orderId, e.correlationId, e.actor.id, announced(e)])).toEqual([
      [first, "corr-rating", customer.id, { score: 5, comment: "", channel: "online", opened: "arrived early" }],
      [second, expect.any(String), agent.id, { score: 2, comment: "", channel: "follow-up-call", opened: "the rider was late" }],
    ]);
    const report = await clients.query.getCaseReport({ storeId, from, until: new Date(Date.now() + 60_000).toISOString() });
    expect(report).toMatchObject({ satisfactionResponses: 2, meanSatisfaction: 3.5 });
  });
});
