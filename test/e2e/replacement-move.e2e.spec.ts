import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { eventually } from "@oms/testing";
import { pickWhenOnPickList } from "../support/pick-list.ts";
import { assignedRider, publicApi, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A waiting replacement sent from another store (ADR 030's third addendum), through the seven
 * services as separate processes: the order's store (Jing'an) has sold out of kettles, so an
 * exchanged kettle's replacement waits there; Pudong has kettles on its shelf, so the desk moves
 * the replacement there through intake's HTTP; Pudong's clerk finds it on the store's list and
 * ships it; the case shows it shipped from Pudong and the order's timeline says where it comes from.
 */
let system: SystemUnderTest;
let api: PublicApi;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

const storeId = demoOrder.storeId as string;
const otherStore = "store-sh-pudong";
const clerk = `staff:staff-wu-clerk:warehouse-clerk@${storeId}`;
const otherClerk = `staff:staff-pd-clerk:warehouse-clerk@${otherStore}`;
const customer = "customer:c-zhou";
// The desk of the order's store: the store scope holds it to the case's store, not to where the goods come from.
const desk = `staff:cs-wang:customer-service@${storeId}`;

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

const call: PublicApi["call"] = (...args) => api.call(...args);

/** The demo order (a kettle and towels), walked to settled by the people who do each step. */
async function deliveredOrder(): Promise<string> {
  const withAccount = { ...(demoOrder.customer as object), customerId: "c-zhou" };
  const placed = await call("POST", "/v1/orders", customer, { ...demoOrder, customer: withAccount, channelOrderId: `WEB-MV-${Date.now()}-${Math.random()}` });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId = placed.body.orderId as string;
  const reservation = encodeURIComponent((await api.until(orderId, "assigned")).reservationId);
  expect(await pickWhenOnPickList(call, reservation, clerk)).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/pack`, clerk, { parcels: 1 })).status).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/ship`, clerk, { carrier: "SF Express", trackingNumber: `SF${Date.now()}` })).status).toBe(200);
  await api.until(orderId, "shipped");
  const delivered = await call("POST", `/v1/orders/${orderId}/delivery`, await assignedRider(api, orderId), { place: "front desk", method: "rider", proofKind: "signature", proofRef: "sig-mv-1", collectedMinor: 0 });
  expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
  expect((await call("POST", `/v1/orders/${orderId}/acceptance`, customer)).status).toBe(200);
  await api.until(orderId, "settled");
  return orderId;
}

describe("a waiting replacement sent from another store", () => {
  it("waits at the order's store, is moved by the desk to the store that has the kettle, and ships from there", async () => {
    const orderId = await deliveredOrder();

    // Jing'an's kettles are gone: the count leaves only the safety stock, which is never promised.
    const counted = await call("POST", `/v1/stores/${storeId}/stock-counts`, clerk, { sku: "KETTLE-1L7", location: "A-01-01", counted: 2, reason: "sold out at the counter" });
    expect(counted, JSON.stringify(counted.body)).toMatchObject({ status: 200, body: { available: 0 } });

    const caseId = `web-exchange-mv-${orderId}`;
    const ask = { caseId, kind: "exchange", channel: "online", description: "The lid does not close.", lines: [{ sku: "KETTLE-1L7", quantity: 1 }] };
    await eventually(async () => {
      const answer = await call("POST", `/v1/orders/${orderId}/after-sales-cases`, customer, ask);
      if (answer.status === 409 && answer.body.code === "after-sales.not-delivered-yet") return undefined;
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body;
    }, 20_000, 500);
    expect((await call("POST", `/v1/after-sales-cases/${caseId}/acceptance`, desk, { assigneeStaffId: "cs-wang", note: "swap it" })).body).toMatchObject({ status: "accepted" });
    await eventually(async () => {
      const seen = await call("GET", `/v1/after-sales-cases/${caseId}`, desk);
      return seen.body.replacementStatus === "awaiting-stock" ? seen.body : undefined;
    }, 20_000, 300);

    // Pudong's desk does not decide for Jing'an's case; Jing'an's desk sends it from Pudong.
    const move = { toStoreId: otherStore, reason: "Pudong has the kettle; Jing'an's delivery is weeks out" };
    expect((await call("POST", `/v1/replacements/${caseId}/move`, `staff:cs-pd:customer-service@${otherStore}`, move)).body.code).toBe("caller.out-of-store-scope");
    const moved = await call("POST", `/v1/replacements/${caseId}/move`, desk, move);
    expect(moved, JSON.stringify(moved.body)).toMatchObject({ status: 200, body: { storeId: otherStore, status: "reserved", movedFromStoreId: storeId } });
    const listedAtPudong = (await call("GET", `/v1/stores/${otherStore}/replacements`, otherClerk)).body.replacements as { caseId: string }[];
    expect(listedAtPudong.map((r) => r.caseId)).toContain(caseId);
    const listedAtJingan = (await call("GET", `/v1/stores/${storeId}/replacements`, clerk)).body.replacements as { caseId: string }[];
    expect(listedAtJingan.map((r) => r.caseId)).not.toContain(caseId);

    // Once the case knows where it ships from, Pudong's clerk ships it under the case's id.
    await eventually(async () => {
      const seen = await call("GET", `/v1/after-sales-cases/${caseId}`, desk);
      return seen.body.replacementStoreId === otherStore ? seen.body : undefined;
    }, 20_000, 300);
    // Its steps are taken there (ADR 030's seventh addendum).
    expect((await call("POST", `/v1/replacements/${caseId}/pick`, otherClerk, {})).body).toMatchObject({ storeId: otherStore, awaitedStep: "pack" });
    expect((await call("POST", `/v1/replacements/${caseId}/pack`, otherClerk, { parcels: 1 })).body).toMatchObject({ storeId: otherStore, awaitedStep: "ship" });
    const shipped = await call("POST", `/v1/replacements/${caseId}/shipment`, otherClerk, { carrier: "SF Express", trackingNumber: "SF-MV-1" });
    expect(shipped, JSON.stringify(shipped.body)).toMatchObject({ status: 200, body: { storeId: otherStore, status: "shipped" } });

    const onCase = await eventually(async () => {
      const seen = await call("GET", `/v1/after-sales-cases/${caseId}`, desk);
      return seen.body.replacementStatus === "shipped" ? seen.body : undefined;
    }, 20_000, 300);
    expect(onCase).toMatchObject({ storeId, replacementStoreId: otherStore, replacementTrackingNumber: "SF-MV-1" });
    const timeline = await eventually(async () => {
      const entries = (await call("GET", `/v1/orders/${orderId}`, desk)).body.timeline as { what: string; detail: string }[] | undefined;
      return entries?.some((t) => t.what === "replacement.shipped") ? entries : undefined;
    }, 20_000, 300);
    expect(timeline.find((t) => t.what === "replacement.moved")?.detail).toContain(`ship from ${otherStore}`);
  });
});
