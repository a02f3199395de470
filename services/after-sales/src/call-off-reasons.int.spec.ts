import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { deskReasonsFromEnv } from "@oms/sealing";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { sealStoredWords } from "./app/seal-stored-words.ts";
import { sealedWordsFromEnv } from "./app/sealed-words.ts";
import { defineAfterSalesService } from "./service.ts";
import { afterSalesClients, agent, knownOrder, newStore, openRequest, seenBy, unseen } from "./test-fixtures.ts";

/**
 * The desk's reason for calling a return's goods off (ADR 024, twenty-fourth-session addendum), on
 * the real database and topic: kept on the case sealed as the warehouse sealed it under
 * WAREHOUSE_PERSONAL_DATA_KEYS, opened only for a named viewer and logged as a showing; an event
 * from before the sealing (the reason in the clear) still read; old clear rows sealed at start.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: ReturnType<typeof afterSalesClients>;
const storeId = newStore();
const env = {
  AFTERSALES_PERSONAL_DATA_KEYS: `as1:${Buffer.alloc(32, 21).toString("base64")}`,
  WAREHOUSE_PERSONAL_DATA_KEYS: `wh1:${Buffer.alloc(32, 22).toString("base64")}`,
};
const { reasons: warehouseReasons } = deskReasonsFromEnv(env);
const { words } = sealedWordsFromEnv(env);
const silent = createLogger({ service: "after-sales-test", level: "silent", pretty: false });
const reason = "Mrs Li (138 0013 8000) kept the kettles";

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

async function acceptedReturn(): Promise<{ orderId: string; caseId: string }> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId, { lines: [{ sku: "KETTLE-1", quantity: 2 }] });
  await clients.commands.openCase(ask);
  await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  return { orderId, caseId: ask.caseId };
}

async function calledOff(orderId: string, caseId: string, payload: { reason: string; sealedReason: Buffer }) {
  const event = newEvent(EventTypes.ReturnCalledOff, { caseId, ...payload, outstanding: 2 }, { producer: "warehouse", orderId, storeId, actor: { kind: "staff", id: agent.id, role: agent.role } });
  await publishEvents(namespace.name, Topics.warehouseStock, [event]);
  await eventually(async () => ((await clients.query.getCase({ caseId, ...unseen })).goodsCalledOffAt ? true : undefined));
}

const stored = async (caseId: string) =>
  (await afterSales.runtime.pool.query<{ reason: string; sealed: Buffer | null }>("SELECT goods_called_off_reason AS reason, goods_called_off_reason_sealed AS sealed FROM cases WHERE case_id = $1", [caseId])).rows[0]!;
const disclosuresOf = async (caseId: string) => (await clients.query.listCaseDisclosures({ caseId, pageSize: 0, pageToken: "" })).disclosures;

describe("the desk's call-off reason on a case", () => {
  it("is kept sealed as it came, shown only to a named viewer, and that showing logged with the field", async () => {
    const { orderId, caseId } = await acceptedReturn();
    await calledOff(orderId, caseId, { reason: "", sealedReason: warehouseReasons.seal("return-call-off", caseId, reason) });
    const row = await stored(caseId);
    expect(row.reason).toBe("");
    expect(row.sealed?.toString("latin1")).not.toContain("138");

    // Nobody named (the gateway's store lookup): sealed, nothing logged (the acceptance's answer logged its decider before).
    const before = await disclosuresOf(caseId);
    expect((await clients.query.getCase({ caseId, ...unseen })).goodsCalledOffReason).toBe("");
    expect(await disclosuresOf(caseId)).toEqual(before);

    const shown = await clients.query.getCase({ caseId, ...seenBy(agent, "corr-reason") });
    expect(shown.goodsCalledOffReason).toBe(reason);
    expect((await disclosuresOf(caseId)).slice(before.length)).toEqual([
      expect.objectContaining({ shownTo: "staff:cs-1", fields: ["description", "goods-called-off-reason"], correlationId: "corr-reason" }),
    ]);
    const listed = await clients.query.listCases({ storeId, orderId, status: "", kind: "", refundShortfall: false, replacementLate: false, inRework: false, limit: 10, pageSize: 0, pageToken: "", ...seenBy(agent) });
    expect(listed.cases.map((c) => c.goodsCalledOffReason)).toEqual([reason]);
  });

  it("bound to its case: sealed for another case, it is not shown as this one's", async () => {
    const { orderId, caseId } = await acceptedReturn();
    await calledOff(orderId, caseId, { reason: "", sealedReason: warehouseReasons.seal("return-call-off", `${caseId}-other`, reason) });
    await expect(clients.query.getCase({ caseId, ...seenBy(agent) })).rejects.toThrow(/fails authentication/);
  });

  it("from an event written before the sealing (in the clear) is still read, and sealed at the next start", async () => {
    const { orderId, caseId } = await acceptedReturn();
    await calledOff(orderId, caseId, { reason: "customer kept them, old event", sealedReason: Buffer.alloc(0) });
    expect(await stored(caseId)).toEqual({ reason: "customer kept them, old event", sealed: null });
    expect((await clients.query.getCase({ caseId, ...seenBy(agent) })).goodsCalledOffReason).toBe("customer kept them, old event");
    // Sealed with nothing in the clear, or in the clear: never both.
    await expect(afterSales.runtime.pool.query("UPDATE cases SET goods_called_off_reason_sealed = '\\x01'::bytea WHERE case_id = $1", [caseId])).rejects.toThrow(/sealed_or_clear/);

    // Another instance starting seals it (the start's step); then nothing is left in the clear.
    const restarted = await startService(defineAfterSalesService(env), testServiceConfig("after-sales", namespace));
    await restarted.stop();
    const row = await stored(caseId);
    expect(row.reason).toBe("");
    expect(warehouseReasons.toShow("return-call-off", caseId, { sealed: row.sealed! })).toBe("customer kept them, old event");
    expect((await sealStoredWords(afterSales.runtime.pool, words, silent)).callOffReasons).toBe(0);
    expect((await clients.query.getCase({ caseId, ...seenBy(agent) })).goodsCalledOffReason).toBe("customer kept them, old event");
  });

  it("from before the sealing stays in the clear at the start of an instance given its own key but not yet the warehouse's, rather than sealed under the development key", async () => {
    const { orderId, caseId } = await acceptedReturn();
    await calledOff(orderId, caseId, { reason: "parcel lost, old event", sealedReason: Buffer.alloc(0) });
    // The upgrade's first start, WAREHOUSE_PERSONAL_DATA_KEYS not yet given to after-sales: sealed under the key anyone can
    // derive, the reason would be readable by all and, once the real ring is set, opened by none.
    const ownKeyOnly = await startService(defineAfterSalesService({ AFTERSALES_PERSONAL_DATA_KEYS: env.AFTERSALES_PERSONAL_DATA_KEYS }), testServiceConfig("after-sales", namespace));
    await ownKeyOnly.stop();
    expect(await stored(caseId)).toEqual({ reason: "parcel lost, old event", sealed: null });
    // Given the warehouse's ring, the next start seals it under that ring.
    expect((await sealStoredWords(afterSales.runtime.pool, words, silent)).callOffReasons).toBeGreaterThanOrEqual(1);
    expect(warehouseReasons.toShow("return-call-off", caseId, { sealed: (await stored(caseId)).sealed! })).toBe("parcel lost, old event");
  });
});
