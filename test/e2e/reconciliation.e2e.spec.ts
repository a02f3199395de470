import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { eventually } from "@oms/testing";
import { publicApi, walkShippedOrderToClosed, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A store's day reconciled through the gateway, the seven services as separate processes
 * (billing asking fulfillment over mutual TLS, ADR 023): orders paid in advance and at the
 * door are closed and invoiced, another is cancelled and refunded; finance reconciles the
 * stores they were served from over the day and finds billing and fulfillment agree —
 * balanced, no difference — and an auditor reads the same.
 */
let system: SystemUnderTest;
let api: PublicApi;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

const people = {
  warehouseClerk: "staff:staff-wu-clerk:warehouse-clerk",
  rider: "staff:staff-li-wei:rider",
  customer: "customer:c-recon",
  finance: "staff:staff-qian-fin:finance",
};
const auditor = "staff:staff-au-1:auditor";
const dayStarted = new Date(Date.now() - 10 * 60_000);

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, people.customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

async function place(channelOrderId: string, payment: Record<string, unknown>): Promise<string> {
  const placed = await api.call("POST", "/v1/orders", people.customer, { ...demoOrder, channelOrderId, ...payment });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  return placed.body.orderId as string;
}

describe("reconciling a store's day", () => {
  it("finds billing's money and fulfillment's orders in agreement: closed orders settled and invoiced, a cancelled one refunded", async () => {
    const prepaid = await place(`WEB-RECON-PRE-${Date.now()}`, {});
    const cashOnDelivery = await place(`WEB-RECON-COD-${Date.now()}`, { paymentMethod: "cash", prepaid: false });
    const cancelled = await place(`WEB-RECON-CXL-${Date.now()}`, {});

    const closed = [await walkShippedOrderToClosed(api, prepaid, people), await walkShippedOrderToClosed(api, cashOnDelivery, people, 45_700)];
    const cancellation = await api.call("POST", `/v1/orders/${cancelled}/cancellation`, people.customer, { reason: "ordered twice by mistake" });
    expect(cancellation.status, JSON.stringify(cancellation.body)).toBe(200);
    const cancelledOrder = await api.until(cancelled, "cancelled");

    // Billing hears the closures and the cancellation a moment later: each closed order invoiced, the cancelled one refunded.
    for (const order of closed) {
      await eventually(async () => ((await api.call("GET", `/v1/orders/${order.orderId}/invoices`, people.finance)).body.invoices?.length > 0 ? true : undefined), 30_000, 250);
    }
    await eventually(async () => ((await api.call("GET", `/v1/orders/${cancelled}/refunds`, people.finance)).body.refunds?.length > 0 ? true : undefined), 30_000, 250);

    const period = { from: dayStarted.toISOString(), until: new Date(Date.now() + 60_000).toISOString() };
    const stores = [...new Set([...closed.map((o) => o.storeId as string), cancelledOrder.storeId as string])];
    let compared = 0;
    for (const storeId of stores) {
      const run = await api.call("POST", `/v1/stores/${storeId}/reconciliations`, people.finance, { requestId: `e2e-day-${storeId}`, ...period });
      expect(run.status, JSON.stringify(run.body)).toBe(201);
      expect(run.body).toMatchObject({ storeId, balanced: true, differencesFound: 0, openDifferences: 0, differences: [], startedBy: "staff:staff-qian-fin" });
      compared += run.body.ordersCompared;

      const read = await api.call("GET", `/v1/reconciliations/${run.body.reconciliationId}`, auditor);
      expect(read).toMatchObject({ status: 200, body: { reconciliationId: run.body.reconciliationId, balanced: true } });
      const listed = await api.call("GET", `/v1/stores/${storeId}/reconciliations?from=${encodeURIComponent(period.from)}&until=${encodeURIComponent(period.until)}`, auditor);
      expect(listed.body.reconciliations).toEqual([expect.objectContaining({ reconciliationId: run.body.reconciliationId, balanced: true })]);
      expect((await api.call("POST", `/v1/stores/${storeId}/reconciliations`, auditor, { requestId: "auditor-try", ...period })).status).toBe(403);
    }
    // Every order of the day was looked at, on one store's run or another's.
    expect(compared).toBeGreaterThanOrEqual(3);
  });
});
