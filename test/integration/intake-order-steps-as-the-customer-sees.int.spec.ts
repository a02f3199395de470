import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EventTypes, Topics, newEvent } from "@oms/contracts";
import { callerHeaders, eventually, publishEvents } from "@oms/testing";
import { postSigned, withTestPlatformSecrets, tmallOrder } from "../../services/intake/src/test-fixtures.ts";
import { customer, intakeInFrontOfFulfillment, system } from "./intake-fulfillment-fixture.ts";

// ADR 022, twenty-seventh-session addendum: what a customer sees of the store's working. Through intake's REST API on the real
// fulfillment, an order that went through overdue warnings, an invoice and a cancellation staff typed their own words for is read
// by its customer and by its marketplace without any of those steps or words — the cancellation told by its reason code — while
// the desk reads every step as fulfillment recorded it.
withTestPlatformSecrets();
const { world, submit, statusOf } = intakeInFrontOfFulfillment();

const desk = callerHeaders("staff:cs-1:customer-service");
const marketplace = callerHeaders("platform:tmall");
const staffWords = "customer shouted at Wang Fang on the phone, do not take orders from them";
type Step = { what: string; kind: string; detail: string; actor: string };

/** The store's own steps on an order: a late acknowledgement escalated to the manager, a late packing warned to the clerks, an invoice. */
async function throughTheStoresWorking(orderId: string): Promise<void> {
  const reporter = (producer: string) => ({ producer, orderId, storeId: "store-sh-jingan", actor: system });
  const { name } = world.namespace;
  await publishEvents(name, Topics.dispatchAssignment, [
    newEvent(EventTypes.StepOverdue, { taskId: `${orderId}/task/1`, step: "acknowledge", staffId: "r-7", level: 2, dueAt: "2026-12-07T09:00:00.000Z", escalatedTo: ["store-manager"] }, reporter("dispatch")),
  ]);
  await publishEvents(name, Topics.warehouseStock, [
    newEvent(
      EventTypes.ShipmentStepOverdue,
      { reservationId: `${orderId}/reservation/1`, step: "pack", level: 1, dueAt: "2026-12-07T09:00:00.000Z", responsibleRole: "warehouse-clerk", escalatedToRole: "", storeId: "store-sh-jingan" },
      reporter("warehouse"),
    ),
  ]);
  const invoice = { invoiceNumber: `INV-${randomUUID()}`, kind: "invoice", amount: { minor: 1999, currency: "CNY" }, tax: { minor: 230, currency: "CNY" }, corrects: "", refundId: "", issuedAt: "2026-12-07T09:30:00.000Z" };
  await publishEvents(name, Topics.billingSettlement, [newEvent(EventTypes.InvoiceIssued, invoice, reporter("billing"))]);
}

/** The desk's view once fulfillment recorded every step asked for. */
const deskSees = (orderId: string, whats: string[]): Promise<Step[]> =>
  eventually(async () => {
    const timeline = ((await world.api.get(`/v1/orders/${orderId}`, desk)).body.timeline ?? []) as Step[];
    return whats.every((what) => timeline.some((e) => e.what === what)) ? timeline : undefined;
  });

const storesWorking = ["step.acknowledge-overdue", "shipment.pack-overdue", "invoice.invoice-issued"];
const internalKinds = ["step-overdue", "invoice", "staff-task", "service-request", "stock-routing", "unknown"];

function expectNothingOfTheStore(body: { timeline: Step[] }): void {
  const shown = JSON.stringify(body);
  for (const word of ["Wang Fang", "shouted", "store-manager", "warehouse-clerk", "INV-", "overdue", "r-7", "cs-1"]) expect(shown, word).not.toContain(word);
  for (const entry of body.timeline) expect(internalKinds, `${entry.what} (${entry.kind})`).not.toContain(entry.kind);
}

describe("intake: an order as its customer reads it shows none of the store's working and none of staff's words", () => {
  it("shows the customer a cancellation by the store in the store's terms, without the overdue warnings, the invoice or the desk's words; the desk sees them all", async () => {
    const orderId = await submit();
    await statusOf(orderId, "credit-checked");
    await throughTheStoresWorking(orderId);
    await deskSees(orderId, storesWorking);

    const cancelled = await world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: staffWords }, desk);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);

    const seen = await world.api.get(`/v1/orders/${orderId}`, customer);
    expect(seen.status).toBe(200);
    expect(seen.body.status).toBe("cancelled");
    expectNothingOfTheStore(seen.body);
    expect(seen.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ what: "order.cancellation", kind: "order-cancelled", detail: "cancelled by the store", actor: "store" })]));

    const deskTimeline = await deskSees(orderId, [...storesWorking, "order.cancellation"]);
    expect(deskTimeline).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ what: "order.cancellation", kind: "order-cancelled", detail: staffWords, actor: "staff:cs-1" }),
        expect.objectContaining({ what: "step.acknowledge-overdue", kind: "step-overdue", detail: expect.stringContaining("store-manager") }),
        expect.objectContaining({ what: "shipment.pack-overdue", kind: "step-overdue", detail: expect.stringContaining("warehouse-clerk") }),
        expect.objectContaining({ what: "invoice.invoice-issued", kind: "invoice" }),
      ]),
    );
  });

  it("shows the marketplace the reason the desk picked, not the words it typed, and refuses a reason that is not on the list by its field", async () => {
    const pushed = await postSigned(world.intake.httpPort, "tmall", tmallOrder());
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    const orderId = pushed.body.orderId as string;
    await statusOf(orderId, "credit-checked");
    await throughTheStoresWorking(orderId);
    await deskSees(orderId, storesWorking);

    const offList = await world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: staffWords, reasonCode: "customer-was-rude" }, desk);
    expect(offList.status).toBe(400);
    expect(JSON.stringify(offList.body)).toContain("reasonCode");

    // The marketplace names only its customer's side: its own cancellation told as the store's decision would misstate who cancelled.
    const asTheStore = await world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: "shopper asked", reasonCode: "store-decision" }, marketplace);
    expect(asTheStore.status, JSON.stringify(asTheStore.body)).toBe(400);
    expect(JSON.stringify(asTheStore.body)).toContain("reasonCode");
    await deskSees(orderId, storesWorking);
    const cancelled = await world.api.post(`/v1/orders/${orderId}/cancellation`, { reason: staffWords, reasonCode: "out-of-stock" }, desk);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    const seen = await world.api.get(`/v1/orders/${orderId}`, marketplace);
    expect(seen.status).toBe(200);
    expectNothingOfTheStore(seen.body);
    expect(seen.body.timeline).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "order-cancelled", detail: "cancelled: the goods are out of stock" })]));
    // The desk's own answer to its command is a staff view: its words are there.
    expect(JSON.stringify(cancelled.body)).toContain("Wang Fang");
  });
});
