import { expect } from "vitest";
import { eventually, callerHeaders } from "@oms/testing";
import { pickWhenOnPickList } from "./pick-list.ts";

/**
 * The system's public HTTP API as the people use it in end-to-end tests: each call names
 * its caller (a token from the demo identity provider, callerHeaders), and `until` waits for an order to reach a status as someone
 * refreshing the order page would. `walkShippedOrderToClosed` is the goods order's life
 * after assignment, each step by the person who takes it.
 */
export interface PublicApi {
  call(method: string, pathName: string, actor: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }>;
  until(orderId: string, status: string): Promise<Record<string, any>>;
}

export function publicApi(baseUrl: string, viewer = "customer:c-viewer"): PublicApi {
  const call: PublicApi["call"] = async (method, pathName, actor, body) => {
    const response = await fetch(`${baseUrl}${pathName}`, {
      method,
      headers: { "content-type": "application/json", ...callerHeaders(actor) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
  };
  const until: PublicApi["until"] = (orderId, status) =>
    eventually(async () => {
      const { body } = await call("GET", `/v1/orders/${orderId}`, viewer);
      return body.status === status ? body : undefined;
    }, 60_000, 200);
  return { call, until };
}

/**
 * The rider dispatch gave the order to, as the desk reads it off the order: a delivery is the
 * assignee's to record (ADR 022, twenty-seventh session, second reading), and a store with two
 * riders gives the next order to whichever has room.
 */
export async function assignedRider(api: PublicApi, orderId: string): Promise<string> {
  const { body } = await api.call("GET", `/v1/orders/${orderId}`, "staff:e2e-desk:dispatcher");
  expect(body.assigneeStaffId, JSON.stringify(body)).toBeTruthy();
  return `staff:${body.assigneeStaffId}:rider`;
}

export interface GoodsOrderPeople {
  warehouseClerk: string;
  /** Who records the delivery: a marketplace's platform, or (any staff rider given) the rider the order was assigned to. */
  rider: string;
  customer: string;
  finance: string;
}

/**
 * From assigned to closed for a goods order that is shipped: the clerk picks, packs and
 * ships; the rider delivers with a signature (taking `collectedMinor` at the door); the
 * customer signs; once settled, finance closes. Returns the closed order.
 */
export async function walkShippedOrderToClosed(api: PublicApi, orderId: string, people: GoodsOrderPeople, collectedMinor = 0) {
  const { call, until } = api;
  const assigned = await until(orderId, "assigned");
  const reservation = encodeURIComponent(assigned.reservationId);
  expect(await pickWhenOnPickList(call, reservation, people.warehouseClerk)).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/pack`, people.warehouseClerk, { parcels: 1 })).status).toBe(200);
  const shipping = await call("POST", `/v1/reservations/${reservation}/ship`, people.warehouseClerk, { carrier: "SF Express", trackingNumber: `SF${Date.now()}` });
  expect(shipping.status, JSON.stringify(shipping.body)).toBe(200);
  await until(orderId, "shipped");
  const rider = people.rider.startsWith("platform:") ? people.rider : await assignedRider(api, orderId);
  const delivered = await call("POST", `/v1/orders/${orderId}/delivery`, rider, {
    place: "front door",
    method: "rider",
    proofKind: "signature",
    proofRef: `signature-${orderId}`,
    collectedMinor,
  });
  expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
  expect((await call("POST", `/v1/orders/${orderId}/acceptance`, people.customer)).status).toBe(200);
  await until(orderId, "settled");
  const closure = await call("POST", `/v1/orders/${orderId}/closure`, people.finance);
  expect(closure.status, JSON.stringify(closure.body)).toBe(200);
  return until(orderId, "closed");
}
