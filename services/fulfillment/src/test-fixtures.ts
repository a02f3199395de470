import { EventTypes, fulfillmentApi, newEvent, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import type { RunningService } from "@oms/service-kit";
import { eventually, startServiceUnderTest, type TestNamespace } from "@oms/testing";
import { defineFulfillmentService, settingsFromEnv, type FulfillmentSettings } from "./service.ts";

/** Intake's announcement of a goods order of one kettle, prepaid, as fulfillment receives it. */
export function intakeOrderReceived(orderId: string, confirmedByChannel: boolean, store: string, fulfillmentMethod = "ship"): OrderEvent {
  return newEvent(
    EventTypes.OrderReceived,
    {
      reviewId: "",
      order: {
        orderId,
        storeId: store,
        channel: "website",
        channelOrderId: `W-${orderId}`,
        kind: "goods",
        fulfillmentMethod,
        region: "Jing'an",
        customer: { customerId: "c-42", name: "", phone: "", email: "", address: undefined, vip: false },
        lines: [{ lineId: "1", sku: "KETTLE-1L7", description: "Kettle", quantity: 1, unitPriceMinor: 19_900, lineTotalMinor: 19_900, specialRequests: "" }],
        totals: { linesMinor: 19_900, discountMinor: 0, shippingFeeMinor: 0, serviceFeeMinor: 0, taxMinor: 0, grandTotalMinor: 19_900, currency: "CNY" },
        paymentMethod: "third-party",
        prepaid: true,
        orderedAt: new Date().toISOString(),
        requestedFrom: "",
        requestedUntil: "",
        tags: [],
        notes: "",
        confirmedByChannel,
        partialShipmentAllowed: false,
        sealedContact: Buffer.alloc(0),
      },
    },
    { producer: "intake", orderId, storeId: store, actor: { kind: "customer", id: "c-42", role: "customer" } },
  );
}

/** Fulfillment of its own namespace with clients of its query and commands. */
export interface FulfillmentUnderTest {
  namespace: TestNamespace;
  fulfillment: RunningService;
  query: ReturnType<typeof createClient<typeof fulfillmentApi.OrderQueryService>>;
  commands: ReturnType<typeof createClient<typeof fulfillmentApi.OrderCommandsService>>;
  /** Waits until the order is in `status`; answers its view. */
  statusOf(orderId: string, status: string): Promise<fulfillmentApi.OrderView>;
  /** Closes the clients, stops the service and drops the namespace. */
  stop(): Promise<void>;
}

export async function startTestFulfillment(settings: FulfillmentSettings = settingsFromEnv({})): Promise<FulfillmentUnderTest> {
  const { namespace, service, clients, stop } = await startServiceUnderTest("fulfillment", defineFulfillmentService(settings), (address) => ({
    query: createClient(fulfillmentApi.OrderQueryService, "oms.fulfillment.v1.OrderQuery", address),
    commands: createClient(fulfillmentApi.OrderCommandsService, "oms.fulfillment.v1.OrderCommands", address),
  }));
  const statusOf = (orderId: string, status: string) =>
    eventually(async () => {
      const view = await clients.query.getOrder({ orderId });
      return view.status === status ? view : undefined;
    });
  return { namespace, fulfillment: service, ...clients, statusOf, stop };
}
