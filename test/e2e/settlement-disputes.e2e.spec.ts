import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { eventually } from "@oms/testing";
import { pickWhenOnPickList } from "../support/pick-list.ts";
import { assignedRider, publicApi, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A settlement dispute through the gateway, the seven services as separate processes (ADR
 * 026): a prepaid order is delivered and settled; its customer disputes part of the amount;
 * finance cannot close it while the dispute is open; the store and finance add their
 * findings; finance upholds it with a refund; then the order closes and is invoiced for the
 * money it kept, and the dispute is on the order's timeline without the customer's words.
 */
let system: SystemUnderTest;
let api: PublicApi;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

const people = {
  warehouseClerk: "staff:staff-wu-clerk:warehouse-clerk",
  rider: "staff:staff-li-wei:rider",
  customer: "customer:c-dispute",
  finance: "staff:staff-qian-fin:finance",
  storeManager: "staff:staff-zhou-sm:store-manager",
};

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, people.customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** From placed to settled: picked, packed, shipped, delivered with a signature, signed for by the customer. */
async function settledOrder(): Promise<string> {
  const { call, until } = api;
  const placed = await call("POST", "/v1/orders", people.customer, { ...demoOrder, channelOrderId: `WEB-DISPUTE-${Date.now()}` });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId = placed.body.orderId as string;
  const assigned = await until(orderId, "assigned");
  const reservation = encodeURIComponent(assigned.reservationId);
  expect(await pickWhenOnPickList(call, reservation, people.warehouseClerk)).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/pack`, people.warehouseClerk, { parcels: 1 })).status).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/ship`, people.warehouseClerk, { carrier: "SF Express", trackingNumber: `SF${Date.now()}` })).status).toBe(200);
  await until(orderId, "shipped");
  const delivered = await call("POST", `/v1/orders/${orderId}/delivery`, await assignedRider(api, orderId), { place: "front door", method: "rider", proofKind: "signature", proofRef: `sig-${orderId}`, collectedMinor: 0 });
  expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
  expect((await call("POST", `/v1/orders/${orderId}/acceptance`, people.customer)).status).toBe(200);
  await until(orderId, "settled");
  return orderId;
}

describe("a settlement dispute", () => {
  it("holds the order's closure until finance resolves it, and its refund is in the invoice", async () => {
    const { call, until } = api;
    const orderId = await settledOrder();
    const paid = (await call("GET", `/v1/orders/${orderId}/refunds`, people.finance)).body.paidTotal as { minor: number; currency: string };
    expect(paid.minor).toBeGreaterThan(2_000);

    const opened = await call("POST", `/v1/orders/${orderId}/settlement-disputes`, people.customer, {
      requestId: "app-dispute-1",
      kind: "amount",
      amountMinor: 2_000,
      statement: "I was charged for gift wrapping I never asked for.",
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const disputeId = opened.body.disputeId as string;

    const refused = await call("POST", `/v1/orders/${orderId}/closure`, people.finance);
    expect(refused).toMatchObject({ status: 409, body: { code: "order.settlement-dispute-open" } });
    expect(refused.body.detail).toContain(disputeId);

    expect((await call("POST", `/v1/settlement-disputes/${disputeId}/findings`, people.storeManager, { findingId: "store-1", finding: "No gift wrapping was prepared." })).status).toBe(201);
    expect((await call("POST", `/v1/settlement-disputes/${disputeId}/findings`, people.finance, { findingId: "fin-1", finding: "The charge came with the wrapping line." })).status).toBe(201);
    const resolved = await call("POST", `/v1/settlement-disputes/${disputeId}/resolution`, people.finance, {
      outcome: "upheld",
      correction: "refund",
      refundMinor: 2_000,
      reason: "wrapping charged, not provided",
      customerAnswer: "You were right: 20.00 is refunded to your card.",
    });
    expect(resolved).toMatchObject({ status: 200, body: { status: "resolved", resolution: { outcome: "upheld", refunded: { minor: 2_000 } } } });

    const closure = await call("POST", `/v1/orders/${orderId}/closure`, people.finance);
    expect(closure.status, JSON.stringify(closure.body)).toBe(200);
    await until(orderId, "closed");
    const invoices = await eventually(async () => {
      const { body } = await call("GET", `/v1/orders/${orderId}/invoices`, people.finance);
      return body.invoices?.length > 0 ? body : undefined;
    }, 30_000, 250);
    expect(invoices.invoices).toMatchObject([{ kind: "invoice", amount: { minor: paid.minor - 2_000 } }]);

    const timeline = await eventually(async () => {
      const entries = (await call("GET", `/v1/orders/${orderId}`, people.finance)).body.timeline as { what: string; detail: string }[] | undefined;
      return entries?.some((t) => t.what === "settlement.dispute-upheld") ? entries : undefined;
    }, 30_000, 250);
    expect(timeline.map((t) => t.what)).toEqual(expect.arrayContaining(["settlement.dispute-opened", "settlement.dispute-finding-added", "settlement.dispute-upheld"]));
    expect(JSON.stringify(timeline)).not.toContain("gift wrapping");
    const seen = await call("GET", `/v1/orders/${orderId}/settlement-disputes`, people.customer);
    expect(seen.body.disputes).toMatchObject([{ disputeId, status: "resolved", findings: [], resolution: { customerAnswer: "You were right: 20.00 is refunded to your card." } }]);
  });
});
