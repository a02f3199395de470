import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { eventually } from "@oms/testing";
import { pickWhenOnPickList } from "../support/pick-list.ts";
import { assignedRider, publicApi, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * An expected restock date staff record (ADR 030's second addendum), through the seven services
 * as separate processes: the store's kettles run out, so an exchanged kettle's replacement waits
 * for stock and a new order for a kettle waits on hold; the store's clerk records through
 * intake's HTTP the day the supplier's delivery is due; the case shows when the replacement can
 * come, and the waiting order's timeline when the kettle is expected. The delivery arrives: the
 * receipt clears the date and the replacement, waiting first, is reserved.
 */
let system: SystemUnderTest;
let api: PublicApi;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

const storeId = demoOrder.storeId as string;
// The store's own clerk: the store scope holds them to it (ADR 022).
const clerk = `staff:staff-wu-clerk:warehouse-clerk@${storeId}`;
const customer = "customer:c-zhou";
const agent = "staff:cs-wang:customer-service";

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

const call: PublicApi["call"] = (...args) => api.call(...args);

function placeDemoOrder(tag: string) {
  const withAccount = { ...(demoOrder.customer as object), customerId: "c-zhou" };
  return call("POST", "/v1/orders", customer, { ...demoOrder, customer: withAccount, channelOrderId: `WEB-RS-${tag}-${Date.now()}-${Math.random()}` });
}

/** The demo order (a kettle and towels), walked to settled by the people who do each step. */
async function deliveredOrder(): Promise<string> {
  const placed = await placeDemoOrder("delivered");
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId = placed.body.orderId as string;
  const reservation = encodeURIComponent((await api.until(orderId, "assigned")).reservationId);
  expect(await pickWhenOnPickList(call, reservation, clerk)).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/pack`, clerk, { parcels: 1 })).status).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/ship`, clerk, { carrier: "SF Express", trackingNumber: `SF${Date.now()}` })).status).toBe(200);
  await api.until(orderId, "shipped");
  const delivered = await call("POST", `/v1/orders/${orderId}/delivery`, await assignedRider(api, orderId), { place: "front desk", method: "rider", proofKind: "signature", proofRef: "sig-rs-1", collectedMinor: 0 });
  expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
  expect((await call("POST", `/v1/orders/${orderId}/acceptance`, customer)).status).toBe(200);
  await api.until(orderId, "settled");
  return orderId;
}

const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

describe("an expected restock date, from the clerk to the waiting customers", () => {
  it("tells the exchange's case and the waiting order when the kettle comes back; the delivery clears it and reserves the replacement first", async () => {
    const orderId = await deliveredOrder();

    // The shelf's kettles are gone: the count leaves only the safety stock, which is never promised.
    const counted = await call("POST", `/v1/stores/${storeId}/stock-counts`, clerk, { sku: "KETTLE-1L7", location: "A-01-01", counted: 2, reason: "sold out at the counter" });
    expect(counted, JSON.stringify(counted.body)).toMatchObject({ status: 200, body: { available: 0 } });

    // The kettle's exchange is accepted: its replacement waits for stock, with no day known.
    const caseId = `web-exchange-rs-${orderId}`;
    const ask = { caseId, kind: "exchange", channel: "online", description: "The switch broke after a week.", lines: [{ sku: "KETTLE-1L7", quantity: 1 }] };
    await eventually(async () => {
      const answer = await call("POST", `/v1/orders/${orderId}/after-sales-cases`, customer, ask);
      if (answer.status === 409 && answer.body.code === "after-sales.not-delivered-yet") return undefined;
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body;
    }, 20_000, 500);
    expect((await call("POST", `/v1/after-sales-cases/${caseId}/acceptance`, agent, { assigneeStaffId: "cs-wang", note: "swap it" })).body).toMatchObject({ status: "accepted" });
    const waiting = await eventually(async () => {
      const seen = await call("GET", `/v1/after-sales-cases/${caseId}`, agent);
      return seen.body.replacementStatus === "awaiting-stock" ? seen.body : undefined;
    }, 20_000, 300);
    expect(waiting.replacementExpectedRestockDate ?? "").toBe("");

    // A new order for a kettle waits on hold for the stock.
    const placed = await placeDemoOrder("backorder");
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const backorderId = placed.body.orderId as string;
    expect(await api.until(backorderId, "on-hold")).toMatchObject({ holdReason: "awaiting-stock" });

    // The supplier says the kettles come in a week: the store's clerk records it through the gateway.
    const restock = `/v1/stores/${storeId}/stock/KETTLE-1L7/expected-restock`;
    expect((await call("PUT", restock, "staff:staff-wu-clerk:warehouse-clerk@store-sh-pudong", { date: inAWeek })).body.code).toBe("caller.out-of-store-scope");
    expect((await call("PUT", restock, clerk, { date: "2020-01-01" })).body).toMatchObject({ code: "stock.invalid-restock-date", errors: [{ field: "date" }] });
    const recorded = await call("PUT", restock, clerk, { date: inAWeek });
    expect(recorded, JSON.stringify(recorded.body)).toMatchObject({ status: 200, body: { expectedRestockDate: inAWeek, changed: true, waitingReplacements: 1 } });
    expect((await call("GET", `/v1/stores/${storeId}/stock?sku=KETTLE-1L7`, clerk)).body.levels).toEqual([expect.objectContaining({ location: "A-01-01", expectedRestockDate: inAWeek })]);

    // Customer service sees when the replacement can come; the waiting order's timeline says when the kettle is expected.
    const told = await eventually(async () => {
      const seen = await call("GET", `/v1/after-sales-cases/${caseId}`, agent);
      return seen.body.replacementExpectedRestockDate === inAWeek ? seen.body : undefined;
    }, 20_000, 300);
    expect(told).toMatchObject({ replacementStatus: "awaiting-stock" });
    const onBackorder = await eventually(async () => {
      const timeline = (await call("GET", `/v1/orders/${backorderId}`, agent)).body.timeline as { what: string; detail: string; actor: string }[] | undefined;
      return timeline?.find((t) => t.what === "restock.expected");
    }, 20_000, 300);
    expect(onBackorder).toMatchObject({ detail: `restock of KETTLE-1L7 expected ${inAWeek} at ${storeId}`, actor: "staff:staff-wu-clerk" });

    // The delivery comes: the receipt clears the date, and the replacement, waiting first, takes the kettle.
    const received = await call("POST", `/v1/stores/${storeId}/stock-receipts`, clerk, { receiptId: `DN-RS-${orderId}`, sku: "KETTLE-1L7", location: "A-01-01", quantity: 1 });
    expect(received, JSON.stringify(received.body)).toMatchObject({ status: 200, body: { reserved: 1 } });
    expect(received.body.expectedRestockDate).toBeUndefined();
    const reserved = await eventually(async () => {
      const seen = await call("GET", `/v1/after-sales-cases/${caseId}`, agent);
      return seen.body.replacementStatus === "reserved" ? seen.body : undefined;
    }, 20_000, 300);
    expect(reserved.replacementExpectedRestockDate ?? "").toBe("");
    const listed = (await call("GET", `/v1/stores/${storeId}/replacements`, clerk)).body.replacements as { caseId: string; status: string }[];
    expect(listed.find((r) => r.caseId === caseId)).toMatchObject({ status: "reserved" });
  });
});
