import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "@oms/service-kit";
import { type TestNamespace } from "@oms/testing";
import { agent, day, knownOrder, newStore, openRequest, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * The store's claims against carriers to chase (ADR 017, carrier-claim addendum), on the real
 * Postgres: claims filed, one settled, one rejected, one filed 31 days ago (dated by SQL, as a
 * month cannot pass in a test); the oldest filing first, each overdue once past its follow-up
 * date, narrowed by status and to the overdue; never the customer's words, nothing logged.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;
const finance = { kind: "staff", id: "fin-1", role: "finance" };

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

const pool = () => afterSales.runtime.pool;

/** A return resolved with cause carrier at the store and claimed for `amountMinor`. */
async function claimed(storeId: string, amountMinor: number, carrier = "SF Express"): Promise<{ orderId: string; caseId: string }> {
  const orderId = await knownOrder(pool(), { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId, { description: "the kettle arrived crushed" });
  await clients.commands.openCase(ask);
  await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "kettle taken back", cause: "carrier", refundMinor: 10_000 });
  await clients.commands.fileCarrierClaim({ caseId: ask.caseId, caller: agent, correlationId: "", carrier, carrierReference: `REF-${amountMinor}`, amountMinor });
  return { orderId, caseId: ask.caseId };
}

/** Dated back by SQL: filed `daysAgo` days ago. */
const filedDaysAgo = (caseId: string, daysAgo: number) =>
  pool().query("UPDATE cases SET carrier_claim_filed_at = now() - make_interval(days => $2) WHERE case_id = $1", [caseId, daysAgo]);

const list = (storeId: string, status = "", overdueOnly = false, limit = 0) => clients.query.listCarrierClaims({ storeId, status, overdueOnly, limit, pageSize: 0, pageToken: "" });

describe("the store's claims against carriers", () => {
  it("lists them oldest filing first, the overdue marked, narrowed by status and to the overdue, never with the customer's words", async () => {
    const storeId = newStore();
    const overdue = await claimed(storeId, 5_000, "ZTO Express");
    await filedDaysAgo(overdue.caseId, 31);
    const nearlyDue = await claimed(storeId, 6_000);
    await filedDaysAgo(nearlyDue.caseId, 29);
    const settled = await claimed(storeId, 7_000);
    await filedDaysAgo(settled.caseId, 40);
    await clients.commands.settleCarrierClaim({ caseId: settled.caseId, caller: finance, correlationId: "", recoveredMinor: 4_000 });
    const rejected = await claimed(storeId, 8_000);
    await clients.commands.rejectCarrierClaim({ caseId: rejected.caseId, caller: agent, correlationId: "", reason: "packed badly" });
    // Another store's overdue claim is not this store's.
    const elsewhere = await claimed(newStore(), 9_000);
    await filedDaysAgo(elsewhere.caseId, 35);

    const { claims } = await list(storeId);
    expect(claims.map((c) => [c.caseId, c.claim?.status, c.overdue])).toEqual([
      [settled.caseId, "settled", false],
      [overdue.caseId, "filed", true],
      [nearlyDue.caseId, "filed", false],
      [rejected.caseId, "rejected", false],
    ]);
    const first = claims[1]!;
    expect(first).toMatchObject({ caseId: overdue.caseId, orderId: overdue.orderId, storeId, claim: { carrier: "ZTO Express", carrierReference: "REF-5000", claimedMinor: 5_000, currency: "CNY", filedBy: "staff:cs-1", recoveredMinor: 0 } });
    expect(Date.parse(first.claim!.followUpBy) - Date.parse(first.claim!.filedAt)).toBe(30 * day);
    expect(Date.parse(first.claim!.followUpBy)).toBeLessThan(Date.now());
    expect(claims[0]!.claim).toMatchObject({ recoveredMinor: 4_000, followUpBy: "" });
    expect(JSON.stringify(claims)).not.toContain("crushed");

    expect((await list(storeId, "", true)).claims.map((c) => c.caseId)).toEqual([overdue.caseId]);
    expect((await list(storeId, "filed", true)).claims.map((c) => c.caseId)).toEqual([overdue.caseId]);
    expect((await list(storeId, "filed")).claims.map((c) => c.caseId)).toEqual([overdue.caseId, nearlyDue.caseId]);
    expect((await list(storeId, "settled")).claims.map((c) => c.caseId)).toEqual([settled.caseId]);
    expect((await list(storeId, "rejected")).claims.map((c) => c.caseId)).toEqual([rejected.caseId]);
    expect((await list(storeId, "", false, 2)).claims.map((c) => c.caseId)).toEqual([settled.caseId, overdue.caseId]);

    // Answered, it is no longer to chase.
    await clients.commands.settleCarrierClaim({ caseId: overdue.caseId, caller: finance, correlationId: "", recoveredMinor: 5_000 });
    expect((await list(storeId, "", true)).claims).toEqual([]);
    // The list showed no one the customer's words, so it logged nothing.
    const { rows } = await pool().query("SELECT count(*)::int AS n FROM case_disclosures WHERE case_id = ANY($1)", [[overdue.caseId, nearlyDue.caseId, settled.caseId, rejected.caseId]]);
    const shownByCommands = rows[0].n;
    await list(storeId);
    const after = await pool().query("SELECT count(*)::int AS n FROM case_disclosures WHERE case_id = ANY($1)", [[overdue.caseId, nearlyDue.caseId, settled.caseId, rejected.caseId]]);
    expect(after.rows[0].n).toBe(shownByCommands);
  });

  it("refuses a request naming no store, an unknown status, a status no overdue claim has, or a limit out of range, naming the field", async () => {
    const fieldsOf = async (request: Promise<unknown>) => {
      try {
        await request;
      } catch (error) {
        return (error as { fields: { field: string }[] }).fields.map((f) => f.field);
      }
      return [];
    };
    expect(await fieldsOf(list(" "))).toEqual(["storeId"]);
    expect(await fieldsOf(list(newStore(), "lost"))).toEqual(["status"]);
    expect(await fieldsOf(list(newStore(), "settled", true))).toEqual(["status"]);
    expect(await fieldsOf(list(newStore(), "", false, 501))).toEqual(["limit"]);
    await expect(list(newStore(), "lost")).rejects.toMatchObject({ kind: "validation" });
    expect((await list(newStore())).claims).toEqual([]);
  });
});
