import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@oms/service-kit";
import { eventually, readEveryPage, type TestNamespace } from "@oms/testing";
import { sealedWordsFromEnv } from "./app/sealed-words.ts";
import { agent, customer, knownOrder, manager, newStore, openRequest, refusal, seenBy, unseen, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * Every showing of a case's sealed description is logged (ADR 017, showings addendum), on the
 * real database: a case view names its viewer in case_disclosures, a list one row per case
 * shown in one statement, a decision's answer its decider; a view naming nobody, a description
 * no held key opens and the opener's own echo are no showings; the log is append-only.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;
const storeId = newStore();
const words = "Sun Li, 136 5555 0101: the kettle's switch sparks";

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

const openedCase = async () => clients.commands.openCase(openRequest(await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 }), { description: words }));
const disclosuresOf = async (caseId: string) => (await clients.query.listCaseDisclosures({ caseId, pageSize: 0, pageToken: "" })).disclosures;
const rowsOf = async (caseId: string) =>
  (await afterSales.runtime.pool.query<{ order_id: string; shown_to: string; role: string; fields: string[] }>("SELECT order_id, shown_to, role, fields FROM case_disclosures WHERE case_id = $1", [caseId])).rows;

describe("showings of a case's description", () => {
  it("logs a case view as exactly one showing naming the caller, their role, the field and the request — never the words", async () => {
    const opened = await openedCase();
    const correlationId = `corr-${randomUUID()}`;
    expect((await clients.query.getCase({ caseId: opened.caseId, ...seenBy(manager, correlationId) })).description).toBe(words);
    expect(await rowsOf(opened.caseId)).toEqual([{ order_id: opened.orderId, shown_to: "staff:m-1", role: "store-manager", fields: ["description"] }]);
    const [shown] = await disclosuresOf(opened.caseId);
    expect(shown).toEqual({ shownTo: "staff:m-1", role: "store-manager", fields: ["description"], at: expect.any(String), correlationId });
    expect(Date.parse(shown!.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(await disclosuresOf(opened.caseId))).not.toMatch(/136 5555|Sun Li/);
  });

  it("logs a list as one showing per case shown, oldest showing first", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const first = await clients.commands.openCase(openRequest(orderId, { description: words }));
    const second = await clients.commands.openCase(openRequest(orderId, { kind: "complaint", lines: [], description: "the other kettle too" }));
    const listed = await clients.query.listCases({ storeId: "", orderId, status: "", kind: "", refundShortfall: false, replacementLate: false, inRework: false, limit: 0, pageSize: 0, pageToken: "", ...seenBy(agent, "corr-list") });
    expect(listed.cases.map((c) => c.description).sort()).toEqual(["the other kettle too", words].sort());
    await clients.query.getCase({ caseId: first.caseId, ...seenBy(customer, "corr-own") });
    expect((await disclosuresOf(first.caseId)).map((d) => [d.shownTo, d.role, d.correlationId])).toEqual([
      ["staff:cs-1", "customer-service", "corr-list"],
      ["customer:c-42", "customer", "corr-own"],
    ]);
    expect((await disclosuresOf(second.caseId)).map((d) => [d.shownTo, d.correlationId])).toEqual([["staff:cs-1", "corr-list"]]);
  });

  it("logs a decision's answer, which shows the case to its decider, but not the opener's own words echoed back", async () => {
    const ask = openRequest(await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 }), { description: words });
    await clients.commands.openCase(ask);
    await clients.commands.openCase({ ...ask, correlationId: "corr-retry" });
    expect(await disclosuresOf(ask.caseId)).toEqual([]);
    const accepted = await clients.commands.acceptCase({ caseId: ask.caseId, caller: manager, correlationId: "corr-accept", assigneeStaffId: "cs-1", note: "" });
    expect(accepted.description).toBe(words);
    expect((await disclosuresOf(ask.caseId)).map((d) => [d.shownTo, d.correlationId])).toEqual([["staff:m-1", "corr-accept"]]);
  });

  it("is not a showing when the view names nobody (the words stay sealed) or no key it holds opens the words", async () => {
    const opened = await openedCase();
    expect((await clients.query.getCase({ caseId: opened.caseId, ...unseen })).description).toBe("");
    expect((await clients.query.listCases({ storeId, orderId: "", status: "", kind: "", refundShortfall: false, replacementLate: false, inRework: false, limit: 500, pageSize: 0, pageToken: "", ...unseen })).cases.every((c) => c.description === "")).toBe(true);
    const { words: removed } = sealedWordsFromEnv({ AFTERSALES_PERSONAL_DATA_KEYS: `gone:${Buffer.alloc(32, 21).toString("base64")}` });
    await afterSales.runtime.pool.query("UPDATE cases SET description_sealed = $2 WHERE case_id = $1", [opened.caseId, removed.sealDescription(opened.caseId, words)]);
    expect((await clients.query.getCase({ caseId: opened.caseId, ...seenBy(agent) })).description).toBe("");
    expect(await rowsOf(opened.caseId)).toEqual([]);
    expect(await refusal(clients.query.getCase({ caseId: opened.caseId, caller: { kind: "staff", id: "", role: "auditor" }, correlationId: "" }))).toBe("UnauthenticatedError caller.missing");
  });

  it("shows a list whose logging met a step's lock in a deadlock, taken again rather than refused", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const older = await clients.commands.openCase(openRequest(orderId, { description: words }));
    const newer = await clients.commands.openCase(openRequest(orderId, { kind: "complaint", lines: [], description: "the other kettle too" }));
    // A consumer's batch (refunds, returned goods) locks its cases one after the other in one transaction.
    const batch = await afterSales.runtime.pool.connect();
    try {
      await batch.query("BEGIN");
      await batch.query("SELECT 1 FROM cases WHERE case_id = $1 FOR UPDATE", [older.caseId]);
      // The list logs the newer case's showing first (newest first), then waits on the older one's lock ...
      const listed = clients.query.listCases({ storeId: "", orderId, status: "", kind: "", refundShortfall: false, replacementLate: false, inRework: false, limit: 0, pageSize: 0, pageToken: "", ...seenBy(agent, "corr-deadlock") });
      await eventually(async () => {
        const { rows } = await afterSales.runtime.pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%case_disclosures%'");
        return rows.length > 0 ? true : undefined;
      });
      // ... while the batch goes on to the newer case: one of the two is chosen to give way.
      const next = batch.query("SELECT 1 FROM cases WHERE case_id = $1 FOR UPDATE", [newer.caseId]).then(
        () => "locked",
        (error: Error & { code?: string }) => error.code,
      );
      await batch.query((await next) === "locked" ? "COMMIT" : "ROLLBACK");
      // The reader is the one chosen here (it waited first); it is answered all the same.
      const answer = await listed.then(
        (view) => view.cases.map((c) => c.description).sort(),
        (error: Error & { code?: string }) => `${error.constructor.name} ${error.code}`,
      );
      expect(answer).toEqual(["the other kettle too", words].sort());
    } finally {
      await batch.query("ROLLBACK").catch(() => {});
      batch.release();
    }
    expect((await disclosuresOf(newer.caseId)).map((d) => d.correlationId)).toEqual(["corr-deadlock"]);
  });

  it("keeps its showings for good: the log refuses to be changed or emptied, and an unknown case has none to list", async () => {
    const opened = await openedCase();
    await clients.query.getCase({ caseId: opened.caseId, ...seenBy(agent) });
    const pool = afterSales.runtime.pool;
    await expect(pool.query("UPDATE case_disclosures SET shown_to = 'nobody' WHERE case_id = $1", [opened.caseId])).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM case_disclosures WHERE case_id = $1", [opened.caseId])).rejects.toThrow(/append-only/);
    await expect(pool.query("TRUNCATE case_disclosures")).rejects.toThrow(/append-only/);
    expect(await rowsOf(opened.caseId)).toHaveLength(1);
    expect(await refusal(clients.query.listCaseDisclosures({ caseId: "no-such-case", pageSize: 0, pageToken: "" }))).toBe("NotFoundError after-sales.case-not-found");
  });
});

describe("reading a case's showings a page at a time", () => {
  // 450 showings, three to each microsecond and all within one millisecond (a Date's cursor
  // would repeat or skip them), in the order their ids were given: c-000 … c-449 is the log's order.
  const manyShowings = async () => {
    const opened = await openedCase();
    await afterSales.runtime.pool.query(
      `INSERT INTO case_disclosures (case_id, order_id, fields, shown_to, role, correlation_id, shown_at)
       SELECT $1, $2, ARRAY['description'], 'staff:au-1', 'auditor', 'c-' || lpad(i::text, 3, '0'), timestamptz '2026-12-01 10:00:00.0005+00' + (i / 3) * interval '1 microsecond'
       FROM generate_series(0, 449) AS i ORDER BY i`,
      [opened.caseId, opened.orderId],
    );
    return opened.caseId;
  };
  const logOrder = Array.from({ length: 450 }, (_, i) => `c-${String(i).padStart(3, "0")}`);

  it("gives every showing once, oldest first, page after page, and an empty token after the last", async () => {
    const caseId = await manyShowings();
    const { items: read, pages } = await readEveryPage(async (pageToken) => {
      const page = await clients.query.listCaseDisclosures({ caseId, pageSize: 100, pageToken });
      expect(page.disclosures.length).toBeLessThanOrEqual(100);
      return { items: page.disclosures.map((d) => d.correlationId), nextPageToken: page.nextPageToken };
    });
    expect(read).toEqual(logOrder);
    // Four pages with a token, the fifth with "" (the helper stops there).
    expect(pages).toBe(5);
  });

  it("answers an old caller, who asks no size, with the first 200 and a token for the rest", async () => {
    const caseId = await manyShowings();
    const first = await clients.query.listCaseDisclosures({ caseId, pageSize: 0, pageToken: "" });
    expect(first.disclosures.map((d) => d.correlationId)).toEqual(logOrder.slice(0, 200));
    const rest = await clients.query.listCaseDisclosures({ caseId, pageSize: 1_000, pageToken: first.nextPageToken });
    expect(rest.disclosures.map((d) => d.correlationId)).toEqual(logOrder.slice(200));
    expect(rest.nextPageToken).toBe("");
  });

  it("refuses a size outside 1 to 1,000 or a token it did not give, naming the field", async () => {
    const caseId = await manyShowings();
    expect(await refusal(clients.query.listCaseDisclosures({ caseId, pageSize: 1_001, pageToken: "" }))).toBe("ValidationError pageSize");
    expect(await refusal(clients.query.listCaseDisclosures({ caseId, pageSize: -1, pageToken: "" }))).toBe("ValidationError pageSize");
    expect(await refusal(clients.query.listCaseDisclosures({ caseId, pageSize: 10, pageToken: "not-a-token" }))).toBe("ValidationError pageToken");
    const forged = Buffer.from(JSON.stringify(["1; DROP TABLE cases", "1"])).toString("base64url");
    expect(await refusal(clients.query.listCaseDisclosures({ caseId, pageSize: 10, pageToken: forged }))).toBe("ValidationError pageToken");
    // Digits the token's pattern allows but bigint cannot hold: refused as any other forged token, not failed on in the query (INTERNAL).
    const outOfRange = Buffer.from(JSON.stringify(["1764583200000500", "9999999999999999999"])).toString("base64url");
    expect(await refusal(clients.query.listCaseDisclosures({ caseId, pageSize: 10, pageToken: outOfRange }))).toBe("ValidationError pageToken");
  });
});
