import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, type OrderEvent } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, testServiceConfig, type TestNamespace } from "@oms/testing";
import { sealStoredWords } from "./app/seal-stored-words.ts";
import { sealedWordsFromEnv } from "./app/sealed-words.ts";
import { defineAfterSalesService } from "./service.ts";
import { afterSalesClients, agent, caseEventsOf, customer, knownOrder, newStore, openRequest, rawCaseMessagesOf, refusal, seenBy } from "./test-fixtures.ts";

/**
 * The customer's own words in after-sales (ADR 017, sealing addendum) on the real database
 * and topic: a case's description and a survey's comment sealed in their rows and in their
 * events under this deployment's AFTERSALES_PERSONAL_DATA_KEYS, bound to the case (the
 * order's answer), opened only in the views and to compare a retry; old rows sealed at start.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: ReturnType<typeof afterSalesClients>;
const storeId = newStore();
const env = { AFTERSALES_PERSONAL_DATA_KEYS: `as1:${Buffer.alloc(32, 11).toString("base64")}` };
const { words: sealing } = sealedWordsFromEnv(env);
const silent = createLogger({ service: "after-sales-test", level: "silent", pretty: false });
const words = "Wang Fang, 138 0013 8000, 12 Jinqiao Road: the kettle leaks at the base";

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

const order = () => knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 2 });
const eventOf = async (orderId: string, type: string) =>
  eventually(async () => (await caseEventsOf(namespace.name, [orderId])).find((e) => e.type === type) as OrderEvent | undefined);

describe("a case's description", () => {
  it("is kept sealed in the case's row, bound to the case, and shown in the case's views", async () => {
    const orderId = await order();
    const opened = await clients.commands.openCase(openRequest(orderId, { caller: customer, channel: "online", description: words }));
    expect(opened.description).toBe(words);
    const { rows } = await afterSales.runtime.pool.query<{ description: string; description_sealed: Buffer }>(
      "SELECT description, description_sealed FROM cases WHERE case_id = $1",
      [opened.caseId],
    );
    expect(rows[0]!.description).toBe("");
    expect(rows[0]!.description_sealed.toString("latin1")).not.toMatch(/138 0013|Wang Fang/);
    expect(sealing.descriptionOf(opened.caseId, { sealed: rows[0]!.description_sealed })).toBe(words);
    expect(() => sealing.descriptionOf("another-case", { sealed: rows[0]!.description_sealed })).toThrow(/fails authentication/);

    expect((await clients.query.getCase({ caseId: opened.caseId, ...seenBy(agent) })).description).toBe(words);
    expect((await clients.query.listCases({ storeId: "", orderId, status: "", kind: "", refundShortfall: false, replacementLate: false, inRework: false, limit: 0, pageSize: 0, pageToken: "", ...seenBy(agent) })).cases.map((c) => c.description)).toEqual([words]);
    const accepted = await clients.commands.acceptCase({ caseId: opened.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "we collect it" });
    expect(accepted.description).toBe(words);
  });

  it("goes on the topic sealed only: CaseOpened's clear description empty, its sealed bytes opening under this deployment's key for this case only", async () => {
    const orderId = await order();
    const opened = await clients.commands.openCase(openRequest(orderId, { description: words }));
    const event = await eventOf(orderId, EventTypes.CaseOpened);
    const payload = event.payload as { description: string; sealedDescription: Uint8Array };
    expect(payload.description).toBe("");
    expect(sealing.descriptionOf(opened.caseId, { sealed: payload.sealedDescription })).toBe(words);
    expect(() => sealing.descriptionOf(`${opened.caseId}-moved`, { sealed: payload.sealedDescription })).toThrow(/fails authentication/);
    // Another deployment — its own key, or the development key anyone can derive — opens nothing.
    const { words: elsewhere } = sealedWordsFromEnv({ AFTERSALES_PERSONAL_DATA_KEYS: `as1:${Buffer.alloc(32, 12).toString("base64")}` });
    expect(() => elsewhere.descriptionOf(opened.caseId, { sealed: payload.sealedDescription })).toThrow(/fails authentication/);
    expect(() => sealedWordsFromEnv({}).words.descriptionOf(opened.caseId, { sealed: payload.sealedDescription })).toThrow(/key as1/);
    // What analytics read off the topic holds none of the words, in any field.
    const raw = await rawCaseMessagesOf(namespace.name, [orderId]);
    expect(raw.length).toBeGreaterThan(0);
    for (const bytes of raw) expect(bytes.toString("latin1")).not.toMatch(/138 0013|Wang Fang|Jinqiao/);
  });

  it("answers a retry with the same words with the case, and refuses other words under the id without repeating them", async () => {
    const orderId = await order();
    const ask = openRequest(orderId, { description: words });
    const opened = await clients.commands.openCase(ask);
    expect(await clients.commands.openCase({ ...ask, correlationId: "corr-retry" })).toEqual(opened);
    const other = clients.commands.openCase({ ...ask, description: "Li Na, 139 1111 2222: the lid is broken" });
    expect(await refusal(other)).toBe("IllegalStateError after-sales.case-id-reused");
    const message = await other.then(() => "", (error: Error) => error.message);
    expect(message).not.toMatch(/139 1111|Li Na|138 0013|Wang Fang/);
    const { rows } = await afterSales.runtime.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM cases WHERE case_id = $1", [ask.caseId]);
    expect(rows[0]!.n).toBe(1);
  });

  it("still shows, lists and moves on a case whose description no key it holds opens, the description left empty", async () => {
    const orderId = await order();
    const opened = await clients.commands.openCase(openRequest(orderId, { description: words }));
    // Sealed under a key this after-sales does not hold (removed from AFTERSALES_PERSONAL_DATA_KEYS too early).
    const { words: removed } = sealedWordsFromEnv({ AFTERSALES_PERSONAL_DATA_KEYS: `gone:${Buffer.alloc(32, 13).toString("base64")}` });
    await afterSales.runtime.pool.query("UPDATE cases SET description_sealed = $2 WHERE case_id = $1", [opened.caseId, removed.sealDescription(opened.caseId, words)]);
    expect(await clients.query.getCase({ caseId: opened.caseId, ...seenBy(agent) })).toMatchObject({ caseId: opened.caseId, description: "", status: "open" });
    expect((await clients.query.listCases({ storeId: "", orderId, status: "", kind: "", refundShortfall: false, replacementLate: false, inRework: false, limit: 0, pageSize: 0, pageToken: "", ...seenBy(agent) })).cases.map((c) => [c.caseId, c.description])).toEqual([[opened.caseId, ""]]);
    const accepted = await clients.commands.acceptCase({ caseId: opened.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    expect(accepted).toMatchObject({ status: "accepted", description: "" });
    // A retried opening cannot be compared with words nobody can open: refused, never taken as the same.
    expect(await refusal(clients.commands.openCase(openRequest(orderId, { caseId: opened.caseId, description: words })))).toBe("IllegalStateError sealing.unknown-key");
  });
});

describe("a satisfaction answer's comment", () => {
  it("is kept sealed in its row and in SatisfactionRecorded, bound to the order's answer; a retry with the same comment is answered, another refused", async () => {
    const orderId = await order();
    const answer = { orderId, caller: customer, correlationId: "corr-rating", score: 2, comment: "call me back on 138 0013 8000", channel: "online" };
    const rated = await clients.commands.recordSatisfaction(answer);
    expect(rated.comment).toBe(answer.comment);
    const { rows } = await afterSales.runtime.pool.query<{ comment: string; comment_sealed: Buffer }>("SELECT comment, comment_sealed FROM satisfaction WHERE order_id = $1", [orderId]);
    expect(rows[0]!.comment).toBe("");
    expect(sealing.commentOf(orderId, { sealed: rows[0]!.comment_sealed })).toBe(answer.comment);
    expect(await clients.commands.recordSatisfaction({ ...answer, correlationId: "corr-retry" })).toEqual(rated);
    expect(await refusal(clients.commands.recordSatisfaction({ ...answer, comment: "fine after all" }))).toBe("IllegalStateError after-sales.satisfaction-recorded");

    const event = await eventOf(orderId, EventTypes.SatisfactionRecorded);
    const payload = event.payload as { comment: string; sealedComment: Uint8Array };
    expect(payload.comment).toBe("");
    expect(sealing.commentOf(orderId, { sealed: payload.sealedComment })).toBe(answer.comment);
    expect(() => sealing.commentOf(`${orderId}-other`, { sealed: payload.sealedComment })).toThrow(/fails authentication/);
  });
});

describe("words stored in the clear before sealing", () => {
  it("are refused half-sealed by the table, sealed at after-sales' start, and still shown and compared", async () => {
    const pool = afterSales.runtime.pool;
    const orderId = await order();
    const ask = openRequest(orderId, { description: "sealed now, put back in the clear below" });
    const opened = await clients.commands.openCase(ask);
    await clients.commands.recordSatisfaction({ orderId, caller: customer, correlationId: "", score: 4, comment: "sealed now too", channel: "online" });
    // Rows as migration 012 found them: the words in the clear, nothing sealed.
    await pool.query("UPDATE cases SET description = $2, description_sealed = NULL WHERE case_id = $1", [opened.caseId, "Zhao Lei, 137 2222 3333: kept in the clear"]);
    await pool.query("UPDATE satisfaction SET comment = $2, comment_sealed = NULL WHERE order_id = $1", [orderId, "old comment, 137 2222 3333"]);
    expect((await clients.query.getCase({ caseId: opened.caseId, ...seenBy(agent) })).description).toBe("Zhao Lei, 137 2222 3333: kept in the clear");
    // Neither form, or both, is refused by the table.
    await expect(pool.query("UPDATE cases SET description = '' WHERE case_id = $1", [opened.caseId])).rejects.toThrow(/sealed_or_clear/);
    await expect(pool.query("UPDATE cases SET description_sealed = '\\x01'::bytea WHERE case_id = $1", [opened.caseId])).rejects.toThrow(/sealed_or_clear/);
    await expect(pool.query("UPDATE satisfaction SET comment_sealed = '\\x01'::bytea WHERE order_id = $1", [orderId])).rejects.toThrow(/sealed_or_clear/);

    // Another instance starting seals them (the start's step), then nothing is left in the clear.
    const restarted = await startService(defineAfterSalesService(env), testServiceConfig("after-sales", namespace));
    await restarted.stop();
    const clear = await pool.query<{ cases: number; answers: number }>(
      `SELECT (SELECT count(*)::int FROM cases WHERE description_sealed IS NULL OR description <> '') AS cases,
              (SELECT count(*)::int FROM satisfaction WHERE comment_sealed IS NULL OR comment <> '') AS answers`,
    );
    expect(clear.rows[0]).toEqual({ cases: 0, answers: 0 });
    expect(await sealStoredWords(pool, sealing, silent)).toEqual({ descriptions: 0, comments: 0, callOffReasons: 0 });

    expect((await clients.query.getCase({ caseId: opened.caseId, ...seenBy(agent) })).description).toBe("Zhao Lei, 137 2222 3333: kept in the clear");
    expect((await clients.commands.openCase({ ...ask, description: "Zhao Lei, 137 2222 3333: kept in the clear" })).caseId).toBe(opened.caseId);
    const retried = await clients.commands.recordSatisfaction({ orderId, caller: customer, correlationId: "", score: 4, comment: "old comment, 137 2222 3333", channel: "online" });
    expect(retried.comment).toBe("old comment, 137 2222 3333");
  });
});
