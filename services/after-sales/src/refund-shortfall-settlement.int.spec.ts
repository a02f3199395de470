import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import type { RunningService } from "@oms/service-kit";
import { eventually, publishEvents, type TestNamespace } from "@oms/testing";
import { agent, caseEventsOf, knownOrder, newStore, openRequest, refusal, seenBy, unseen, startAfterSalesUnderTest, stopAfterSalesUnderTest, type AfterSalesClients } from "./test-fixtures.ts";

/**
 * Finance settling a short refund by hand (ADR 017, addendum), on the real Kafka and Postgres:
 * the settlement is kept on the case, which leaves the worklist, and RefundShortfallSettled is
 * announced once; the same reference again answers the case as it stands; another reference,
 * a case without a shortfall, or a caller who is not finance is refused and writes nothing.
 */
let namespace: TestNamespace;
let afterSales: RunningService;
let clients: AfterSalesClients;
const storeId = newStore();
const finance = { kind: "staff", id: "fin-1", role: "finance" };

beforeAll(async () => {
  ({ namespace, afterSales, clients } = await startAfterSalesUnderTest());
});

afterAll(() => stopAfterSalesUnderTest({ namespace, afterSales, clients }));

async function resolvedReturn(refundMinor: number): Promise<{ orderId: string; caseId: string }> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId);
  await clients.commands.openCase(ask);
  await clients.commands.acceptCase({ caseId: ask.caseId, caller: agent, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await clients.commands.resolveCase({ caseId: ask.caseId, caller: agent, correlationId: "", resolution: "kettle taken back", cause: "product", refundMinor });
  return { orderId, caseId: ask.caseId };
}

/** A resolved case billing refunded nothing of, as billing announces it. */
async function shortCase(): Promise<{ orderId: string; caseId: string }> {
  const resolved = await resolvedReturn(3_000);
  const origin = { producer: "billing", orderId: resolved.orderId, storeId, actor: agent as { kind: "staff"; id: string; role: string } };
  const short = newEvent(EventTypes.CaseRefundShortfall, { caseId: resolved.caseId, requested: { minor: 3_000, currency: "CNY" }, refunded: { minor: 0, currency: "CNY" }, reason: "nothing paid on the order yet" }, origin);
  await publishEvents(namespace.name, Topics.billingSettlement, [short]);
  await eventually(async () => ((await clients.query.getCase({ caseId: resolved.caseId, ...unseen })).refundShortfall ? true : undefined));
  return resolved;
}

const worklist = async () => (await clients.query.listCases({ storeId, orderId: "", status: "", kind: "", limit: 0, pageSize: 0, pageToken: "", refundShortfall: true, replacementLate: false, inRework: false, ...unseen })).cases.map((c) => c.caseId);
const settle = (caseId: string, reference: string, correlationId: string, note = "", caller = finance) =>
  clients.commands.settleRefundShortfall({ caseId, caller, correlationId, reference, note });
const settledEvents = async (orderId: string) => (await caseEventsOf(namespace.name, [orderId])).filter((e) => e.type === EventTypes.RefundShortfallSettled);
const caseRow = async (caseId: string) => (await afterSales.runtime.pool.query("SELECT * FROM cases WHERE case_id = $1", [caseId])).rows[0];

describe("finance settling a refund shortfall", () => {
  it("keeps the settlement, takes the case off the worklist and announces it once; the same reference again answers the case as it stands", async () => {
    const { orderId, caseId } = await shortCase();
    expect(await worklist()).toContain(caseId);

    const settled = await settle(caseId, "  FIN-2026-0042 ", "corr-settle", " paid by bank transfer ");
    expect(settled.refundShortfall).toMatchObject({ requestedMinor: 3_000, refundedMinor: 0, settledBy: "staff:fin-1", settledReference: "FIN-2026-0042", settledNote: "paid by bank transfer" });
    expect(settled.refundShortfall?.settledAt).not.toBe("");
    expect(await worklist()).not.toContain(caseId);

    const again = await settle(caseId, "FIN-2026-0042", "corr-settle-retry", "another note");
    expect(again).toEqual(settled);
    // Finance's answer leaves the customer's words sealed; the desk's view of the case shows them.
    expect(settled.description).toBe("");
    expect(await clients.query.getCase({ caseId, ...seenBy(agent) })).toEqual({ ...settled, description: "the kettle leaks at the seam" });

    const events = await eventually(async () => {
      const found = await settledEvents(orderId);
      return found.length > 0 ? found : undefined;
    });
    // A moment more for a second one, should the repeat have announced one too.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await settledEvents(orderId)).toHaveLength(1);
    expect(events[0]).toMatchObject({ correlationId: "corr-settle", actor: { kind: "staff", id: "fin-1" }, payload: { caseId, reference: "FIN-2026-0042" } });
  });

  it("refuses another reference on a settled case, a case without a shortfall, and a caller who is not finance, writing nothing", async () => {
    const { orderId, caseId } = await shortCase();
    expect(await refusal(settle(caseId, "FIN-1", "corr-cs", "", agent))).toBe("ForbiddenError caller.not-permitted");
    expect(await refusal(settle(caseId, " ", "corr-blank"))).toBe("ValidationError reference");
    await settle(caseId, "FIN-1", "corr-first");
    const before = await caseRow(caseId);
    expect(await refusal(settle(caseId, "VOUCHER-7", "corr-other"))).toBe("IllegalStateError after-sales.shortfall-already-settled");
    expect(await caseRow(caseId)).toEqual(before);

    const whole = await resolvedReturn(1_000);
    const untouched = await caseRow(whole.caseId);
    expect(await refusal(settle(whole.caseId, "FIN-2", "corr-none"))).toBe("IllegalStateError after-sales.no-refund-shortfall");
    expect(await caseRow(whole.caseId)).toEqual(untouched);
    expect(await refusal(settle("case-nobody-has", "FIN-3", "corr-missing"))).toBe("NotFoundError after-sales.case-not-found");

    await eventually(async () => ((await settledEvents(orderId)).length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const all = [...(await settledEvents(orderId)), ...(await settledEvents(whole.orderId))];
    expect(all.map((e) => e.correlationId)).toEqual(["corr-first"]);
  });
});
