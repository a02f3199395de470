import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "@oms/infra";
import { eventually } from "@oms/testing";
import { pickWhenOnPickList } from "../support/pick-list.ts";
import { assignedRider, publicApi, type PublicApi } from "../support/public-api.ts";
import { startSystem, type SystemUnderTest } from "../support/system-under-test.ts";

/**
 * A goods order from the website to closed, through the seven services as separate
 * processes, with every human step done through the public API as the person would:
 * the warehouse clerk picks, packs and ships; the rider delivers with proof; the
 * customer signs; finance closes. A cash-on-delivery order is paid at the door. An
 * order no single store has every line of is split over two stores, each part picked,
 * shipped, delivered and paid for on its own, before it closes as one. The closed order's
 * dossier is read by customer service on a request an auditor approved.
 */
let system: SystemUnderTest;
const demoOrder = JSON.parse(readFileSync(path.join(repositoryRoot, "infra/demo/chain.json"), "utf8")).demoOrder as Record<string, unknown>;

const clerk = "staff:staff-wu-clerk:warehouse-clerk";
const rider = "staff:staff-li-wei:rider";
const customer = "customer:c-zhou";
const finance = "staff:staff-qian-fin:finance";

beforeAll(async () => {
  system = await startSystem();
  api = publicApi(system.url, customer);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

// The public API as the people use it (test/support/public-api.ts), once the system is up.
let api: PublicApi;
const call: PublicApi["call"] = (...args) => api.call(...args);
const until: PublicApi["until"] = (...args) => api.until(...args);

async function walkToClosed(order: Record<string, unknown>, collectedMinor: number) {
  const accepted = await call("POST", "/v1/orders", customer, order);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  const orderId = accepted.body.orderId as string;
  const assigned = await until(orderId, "assigned");
  const reservation = encodeURIComponent(assigned.reservationId);

  expect(await pickWhenOnPickList(call, reservation, clerk)).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/pack`, clerk, { parcels: 1 })).status).toBe(200);
  expect((await call("POST", `/v1/reservations/${reservation}/ship`, clerk, { carrier: "SF Express", trackingNumber: `SF${Date.now()}` })).status).toBe(200);
  const shipped = await until(orderId, "shipped");
  expect(shipped.trackingNumber).toMatch(/^SF/);

  const delivered = await call("POST", `/v1/orders/${orderId}/delivery`, await assignedRider(api, orderId), {
    place: "88 Nanjing West Road, front desk",
    method: "rider",
    proofKind: "signature",
    proofRef: "signature-scan-001",
    collectedMinor,
  });
  expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
  expect((await call("POST", `/v1/orders/${orderId}/acceptance`, customer)).status).toBe(200);
  await until(orderId, "settled");
  expect((await call("POST", `/v1/orders/${orderId}/closure`, rider)).status).toBe(403);
  expect((await call("POST", `/v1/orders/${orderId}/closure`, finance)).status).toBe(200);
  return until(orderId, "closed");
}

describe("a goods order from the website to closed", () => {
  it("walks a prepaid order through picking, shipping, delivery with proof, acceptance and closing", async () => {
    // A registered customer's order (the demo order is a guest's, readable by whoever holds its id).
    const registered = { ...(demoOrder.customer as Record<string, unknown>), customerId: "c-zhou" };
    const closed = await walkToClosed({ ...demoOrder, customer: registered, channelOrderId: `WEB-LIFE-${Date.now()}` }, 0);
    const steps = closed.timeline.map((t: { what: string }) => t.what);
    for (const step of ["order.picked", "order.packed", "order.shipped", "delivery.recorded", "order.accepted", "order.completed", "order.settled", "order.closed"]) {
      expect(steps).toContain(step);
    }
    // Finance reads who took each step; the customer reads the store's staff in kind (ADR 022, twenty-sixth-session addendum).
    const audited = (await call("GET", `/v1/orders/${closed.orderId}`, finance)).body;
    const who = Object.fromEntries(audited.timeline.map((t: { what: string; actor: string }) => [t.what, t.actor]));
    expect(who["shipment.dispatched"]).toBe("staff:staff-wu-clerk");
    expect(who["order.accepted"]).toBe("customer:c-zhou");
    expect(who["order.closed"]).toBe("staff:staff-qian-fin");
    const seen = Object.fromEntries(closed.timeline.map((t: { what: string; actor: string }) => [t.what, t.actor]));
    expect([seen["shipment.dispatched"], seen["order.accepted"], seen["order.closed"]]).toEqual(["store", "customer:c-zhou", "store"]);
    // Closing it is finance's invoice: the customer reads it, numbered in the store's series, for what they paid.
    const invoices = await eventually(async () => {
      const answer = await call("GET", `/v1/orders/${closed.orderId}/invoices`, customer);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.invoices.length > 0 ? answer.body : undefined;
    }, 30_000, 250);
    expect(invoices.invoices).toEqual([
      expect.objectContaining({ kind: "invoice", amount: { minor: 45_700, currency: "CNY" }, issuedBy: "staff:staff-qian-fin", invoiceNumber: expect.stringMatching(new RegExp(`^${closed.storeId}-\\d{6}$`)) }),
    ]);
    // Another customer is answered as if the order did not exist (ADR 022, twenty-fifth session).
    expect((await call("GET", `/v1/orders/${closed.orderId}/invoices`, "customer:c-someone-else")).body).toMatchObject({ status: 404, code: "order.not-found" });
    // The store manager reads the store's order KPIs: this order counts, confirmed and shipped.
    const period = `from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}&until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const kpis = await call("GET", `/v1/stores/${closed.storeId}/order-kpis?${period}`, "staff:mgr-chen:store-manager");
    expect(kpis.status, JSON.stringify(kpis.body)).toBe(200);
    expect(kpis.body.orders).toBeGreaterThanOrEqual(1);
    expect(kpis.body.shipped).toBeGreaterThanOrEqual(1);
    expect(kpis.body.meanHoursToShip).toBeGreaterThan(0);
    expect((await call("GET", `/v1/stores/${closed.storeId}/order-kpis?${period}`, customer)).status).toBe(403);
    // And its sales: the closed order's items sold, its money in the store's sales and its channel's, the trend in the store's time zone.
    const sales = await call("GET", `/v1/stores/${closed.storeId}/sales-report?${period}&interval=day&timeZone=Asia%2FShanghai`, "staff:au-1:auditor");
    expect(sales.status, JSON.stringify(sales.body)).toBe(200);
    const lines = (demoOrder.lines as { sku: string }[]).map((l) => l.sku);
    expect(sales.body.items.map((i: { sku: string }) => i.sku)).toEqual(expect.arrayContaining(lines));
    expect(sales.body.salesMinor).toBeGreaterThanOrEqual(45_700);
    expect(sales.body.channels).toEqual(expect.arrayContaining([expect.objectContaining({ key: demoOrder.channel })]));
    expect(sales.body.trend.reduce((total: number, p: { salesMinor: number }) => total + p.salesMinor, 0)).toBe(sales.body.salesMinor);
    expect((await call("GET", `/v1/stores/${closed.storeId}/sales-report?${period}&timeZone=%2B08%3A00`, "staff:au-1:auditor")).status).toBe(400);
    expect((await call("GET", `/v1/stores/${closed.storeId}/sales-report?${period}`, "staff:s-7:order-taker")).status).toBe(403);
  });

  it("keeps the closed order's dossier, which customer service reads on a request an auditor approved, every viewing logged", async () => {
    const { orderId } = await walkToClosed({ ...demoOrder, channelOrderId: `WEB-DOSSIER-${Date.now()}` }, 0);
    const agent = "staff:staff-cs-1:customer-service";
    const auditor = "staff:staff-au-1:auditor";
    const requestId = `cs-1/${orderId}`;
    // The dossier is filed from the topics a moment after the events: until then the order has none (404).
    const asked = await eventually(async () => {
      const answer = await call("POST", `/v1/orders/${orderId}/dossier-access-requests`, agent, { requestId, reason: "the customer asks what was delivered" });
      return answer.status === 404 ? undefined : answer;
    }, 30_000, 250);
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body).toMatchObject({ requestId, orderId, status: "pending", requestedBy: "staff:staff-cs-1" });
    const path = `/v1/orders/${orderId}/dossier?requestId=${encodeURIComponent(requestId)}`;
    expect((await call("GET", path, agent)).status).toBe(409);
    expect((await call("POST", `/v1/dossier-access-requests/${encodeURIComponent(requestId)}/approval`, agent, {})).status).toBe(403);
    expect((await call("POST", `/v1/dossier-access-requests/${encodeURIComponent(requestId)}/approval`, auditor, {})).body).toMatchObject({ status: "approved", decidedBy: "staff:staff-au-1" });

    // The dossier is filed from the topics as they come: read until the closing is in it; each read is a viewing.
    let reads = 0;
    const view = await eventually(async () => {
      const answer = await call("GET", path, agent);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      reads++;
      // Until the closing and the invoice it brought are in it.
      const types = answer.body.records.map((r: { eventType: string }) => r.eventType);
      return types.includes("oms.events.v1.InvoiceIssued") ? answer.body : undefined;
    }, 30_000, 500);
    const types = view.records.map((r: { eventType: string }) => r.eventType);
    expect(types[0]).toBe("oms.events.v1.OrderReceived");
    expect(types).toEqual(
      expect.arrayContaining(["oms.events.v1.StockReserved", "oms.events.v1.TaskAssigned", "oms.events.v1.ShipmentDispatched", "oms.events.v1.SettlementPrepared", "oms.events.v1.InvoiceIssued"]),
    );
    expect(view.records.map((r: { payload: { toStatus?: string } }) => r.payload.toStatus)).toContain("closed");
    // Opened from the sealed envelope: the customer's details, for the approved reader only.
    expect(view.records[0].payload.order.customer.name).toBe("Zhou Lan");
    // Someone else's request is answered as one nobody made (ADR 022, twenty-eighth session): same status, code and message.
    const unknownPath = `/v1/orders/${orderId}/dossier?requestId=${encodeURIComponent(`${requestId}-nobody`)}`;
    const unknown = await call("GET", unknownPath, agent);
    expect(unknown.status).toBe(404);
    const notTheirs = await call("GET", path, "staff:staff-cs-2:customer-service");
    expect({ status: notTheirs.status, code: notTheirs.body.code, detail: notTheirs.body.detail }).toEqual({
      status: 404,
      code: "archive.access-request-not-found",
      detail: (unknown.body.detail as string).replace(`${requestId}-nobody`, requestId),
    });

    const history = await call("GET", `/v1/orders/${orderId}/dossier-access`, auditor);
    expect(history.body.requests).toEqual([expect.objectContaining({ requestId, status: "approved", reason: "the customer asks what was delivered" })]);
    expect(history.body.viewings).toHaveLength(reads);
    expect(history.body.viewings.every((v: { viewer: string; requestId: string }) => v.viewer === "staff:staff-cs-1" && v.requestId === requestId)).toBe(true);
    expect((await call("GET", `/v1/orders/${orderId}/dossier-access`, agent)).status).toBe(403);
  });

  it("takes cash at the door for a cash-on-delivery order before it can be closed", async () => {
    const order = { ...demoOrder, channelOrderId: `WEB-COD-${Date.now()}`, paymentMethod: "cash", prepaid: false };
    const closed = await walkToClosed(order, 45_700);
    const { body: settlement } = await call("GET", `/v1/orders/${closed.orderId}/settlement`, finance);
    expect(settlement).toMatchObject({ status: "paid", amountPaidMinor: 45_700, amountDueMinor: 45_700, currency: "CNY" });
  });

  it("splits an order over two stores when the customer accepts two parcels, and closes it once both parts are delivered and paid", async () => {
    // Pudong receives strawberries; Jing'an has 25 punnets and the only glass vases.
    const received = await call("POST", "/v1/stores/store-sh-pudong/stock-receipts", clerk, { receiptId: "DN-E2E-1", sku: "STRAWBERRY-500G", location: "C-01-01", quantity: 40 });
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    const grandTotalMinor = 30 * 5_990 + 38_800;
    const order = {
      ...demoOrder,
      channelOrderId: `WEB-SPLIT-${Date.now()}`,
      storeId: "store-sh-pudong",
      customer: { name: "Li Na", phone: "+86 139 0000 3333", address: { line1: "1 Zhongshan East Road", city: "Shanghai", district: "Huangpu", country: "CN" } },
      lines: [
        { sku: "STRAWBERRY-500G", quantity: 30, unitPriceMinor: 5_990 },
        { sku: "VASE-GLASS-L", quantity: 1, unitPriceMinor: 38_800 },
      ],
      totals: { discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor, currency: "CNY" },
      paymentMethod: "cash",
      prepaid: false,
      partialShipment: true,
    };
    const accepted = await call("POST", "/v1/orders", customer, order);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const orderId = accepted.body.orderId as string;
    // Dispatch gives each part's delivery to a rider of the part's own store.
    const seenByCustomer = await until(orderId, "assigned");
    // The dispatcher reads whom each part went to: the customer is shown no rider (ADR 022, twenty-sixth-session addendum).
    expect(seenByCustomer.parts.map((p: { assigneeStaffId?: string }) => p.assigneeStaffId)).toEqual([undefined, undefined]);
    const deskView = (await call("GET", `/v1/orders/${orderId}`, "staff:staff-he-disp:dispatcher")).body;
    const parts = deskView.parts as { partId: string; storeId: string; reservationId: string; assigneeStaffId: string }[];
    expect(parts.map((p) => [p.storeId, p.assigneeStaffId])).toEqual([
      ["store-sh-pudong", "staff-chen-jie"],
      ["store-sh-jingan", "staff-li-wei"],
    ]);

    const cashAtDoor = [30 * 5_990, 38_800];
    for (const [index, part] of parts.entries()) {
      const reservation = encodeURIComponent(part.reservationId);
      expect(await pickWhenOnPickList(call, reservation, clerk)).toBe(200);
      expect((await call("POST", `/v1/reservations/${reservation}/pack`, clerk, { parcels: 1 })).status).toBe(200);
      expect((await call("POST", `/v1/reservations/${reservation}/ship`, clerk, { carrier: "SF Express", trackingNumber: `SF-PART-${part.partId}-${Date.now()}` })).status).toBe(200);
      await eventually(async () => {
        const { body } = await call("GET", `/v1/orders/${orderId}`, customer);
        return body.parts?.[index]?.stage === "shipped" ? body : undefined;
      }, 60_000, 200);
      if (index === 0) expect((await call("GET", `/v1/orders/${orderId}`, customer)).body.status).toBe("partially-shipped");
      const delivered = await call("POST", `/v1/orders/${orderId}/delivery`, `staff:${part.assigneeStaffId}:rider`, {
        place: "1 Zhongshan East Road, front door",
        method: "rider",
        proofKind: "photo",
        proofRef: `photo-part-${part.partId}`,
        collectedMinor: cashAtDoor[index],
        partId: part.partId,
      });
      expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
      expect(delivered.body.status).toBe(index === 0 ? "partially-delivered" : "delivered");
    }
    expect((await call("POST", `/v1/orders/${orderId}/acceptance`, customer)).status).toBe(200);
    await until(orderId, "settled");
    const { body: settlement } = await call("GET", `/v1/orders/${orderId}/settlement`, finance);
    expect(settlement).toMatchObject({ status: "paid", amountPaidMinor: grandTotalMinor, amountDueMinor: grandTotalMinor });
    expect((await call("POST", `/v1/orders/${orderId}/closure`, finance)).status).toBe(200);
    const closed = await until(orderId, "closed");
    const statuses = closed.timeline.filter((t: { what: string }) => t.what.startsWith("order.")).map((t: { what: string }) => t.what);
    expect(statuses).toEqual(expect.arrayContaining(["order.partially-shipped", "order.partially-delivered", "order.delivered", "order.closed"]));
  });
});
