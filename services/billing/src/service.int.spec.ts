import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, billingApi, decodeEvent, newEvent, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
import { billingService } from "./service.ts";

let namespace: TestNamespace;
let billing: RunningService;
let client: ReturnType<typeof createClient<typeof billingApi.SettlementQueryService>>;
let commands: ReturnType<typeof createClient<typeof billingApi.BillingCommandsService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  billing = await startService(billingService, testServiceConfig("billing", namespace));
  client = createClient(billingApi.SettlementQueryService, "oms.billing.v1.SettlementQuery", `127.0.0.1:${billing.grpc.port}`);
  commands = createClient(billingApi.BillingCommandsService, "oms.billing.v1.BillingCommands", `127.0.0.1:${billing.grpc.port}`);
});

afterAll(async () => {
  client?.close();
  commands?.close();
  await billing?.stop();
  await namespace?.drop();
});

function settlementRequested(orderId: string, prepaid: boolean): OrderEvent {
  return newEvent(
    EventTypes.SettlementRequested,
    {
      settlementId: randomUUID(),
      totals: { linesMinor: 10_000, discountMinor: 0, shippingFeeMinor: 800, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 10_800, currency: "CNY" },
      paymentMethod: prepaid ? "third-party" : "cash",
      prepaid,
      channel: "website",
    },
    { producer: "fulfillment", orderId, storeId: "store-test", actor: { kind: "system", id: "fulfillment", role: "system" } },
  );
}

async function settlementEventsOf(orderId: string) {
  const messages = await readTopic(Topics.billingSettlement, namespace.name);
  return messages.map((m) => decodeEvent(m.value!)).filter((e) => e?.orderId === orderId);
}

describe("billing", () => {
  it("prepares the settlement fulfillment asks for, answers it over gRPC and announces it", async () => {
    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [settlementRequested(orderId, true)]);

    const view = await eventually(() => client.getSettlement({ orderId }).catch(() => undefined));
    expect(view).toMatchObject({ orderId, status: "paid", amountDue: { minor: 10_800, currency: "CNY" } });
    const events = await eventually(async () => ((await settlementEventsOf(orderId)).length >= 2 ? settlementEventsOf(orderId) : undefined));
    expect(events.map((e) => e?.type)).toEqual([EventTypes.SettlementPrepared, EventTypes.OrderSettled]);
  });

  it("answers NOT_FOUND as a domain error for an unknown order", async () => {
    await expect(client.getSettlement({ orderId: randomUUID() })).rejects.toMatchObject({ kind: "not-found" });
  });

  it("applies a redelivered request once", async () => {
    const orderId = randomUUID();
    const request = settlementRequested(orderId, false);
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [request, request]);
    await eventually(() => client.getSettlement({ orderId }).catch(() => undefined));
    await billing.relay.flush();
    const events = await settlementEventsOf(orderId);
    expect(events).toHaveLength(1);
  });

  it("takes cash collected at the door as payment and announces the order settled", async () => {
    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [settlementRequested(orderId, false)]);
    await eventually(() => client.getSettlement({ orderId }).catch(() => undefined));
    const delivery = newEvent(
      EventTypes.DeliveryRecorded,
      { deliveredAt: new Date().toISOString(), place: "door", method: "rider", deliveredBy: "staff-li-wei", proofKind: "signature", proofRef: "s", collectedMinor: 10_800 , reservationId: "", taskId: "" },
      { producer: "fulfillment", orderId, storeId: "store-test", actor: { kind: "staff", id: "staff-li-wei", role: "rider" } },
    );
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [delivery, delivery]);
    const paid = await eventually(async () => {
      const view = await client.getSettlement({ orderId });
      return view.status === "paid" ? view : undefined;
    });
    expect(paid.amountPaid).toEqual({ minor: 10_800, currency: "CNY" });
    await billing.relay.flush();
    const types = (await settlementEventsOf(orderId)).map((e) => e?.type);
    expect(types).toEqual([EventTypes.SettlementPrepared, EventTypes.PaymentConfirmed, EventTypes.OrderSettled]);
  });

  it("confirms a finance clerk's payment once per reference and refuses an overpayment", async () => {
    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.fulfillmentOrder, [settlementRequested(orderId, false)]);
    await eventually(() => client.getSettlement({ orderId }).catch(() => undefined));
    const clerk = { callerKind: "staff", callerId: "staff-fin", callerRole: "finance" };
    const payment = { orderId, amount: { minor: 800, currency: "CNY" }, method: "bank-transfer", reference: "BANK-1", ...clerk };
    await commands.confirmPayment(payment);
    const again = await commands.confirmPayment(payment);
    expect(again.amountPaid?.minor).toBe(800);
    await expect(commands.confirmPayment({ ...payment, reference: "BANK-2", amount: { minor: 10_001, currency: "CNY" } })).rejects.toMatchObject({
      kind: "illegal-state",
      message: expect.stringContaining("exceeds the outstanding 10000"),
    });
    await expect(commands.confirmPayment({ ...payment, reference: "", amount: undefined })).rejects.toMatchObject({ kind: "validation" });
  });
});
