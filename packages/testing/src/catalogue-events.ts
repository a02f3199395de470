import { EventTypes, newEvent, type OrderEventOf, type PayloadOf } from "@oms/contracts";

type StoreProfile = NonNullable<PayloadOf<typeof EventTypes.StorePublished>["store"]>;

/**
 * A store's profile as intake publishes it (ADR 028): a Shanghai store serving Jing'an,
 * taking orders, with `overrides` on top. The envelope names the store and no order.
 */
export function storePublished(storeId: string, version: number, overrides: Partial<StoreProfile> = {}): OrderEventOf<typeof EventTypes.StorePublished> {
  const store: StoreProfile = {
    storeId,
    name: `Store ${storeId}`,
    city: "Shanghai",
    timeZone: "Asia/Shanghai",
    currency: "CNY",
    acceptingOrders: true,
    serviceAreas: ["Jing'an"],
    orderKinds: ["goods"],
    fulfillmentMethods: ["ship", "pickup"],
    businessHours: undefined,
    shippingFeeMinor: 1_200,
    freeShippingFromMinor: 20_000,
    taxRateBasisPoints: 0,
    reviewThresholdMinor: 500_000,
    reviewLineQuantityAbove: 0,
    partialShipments: false,
    routingPriority: 1,
    location: { lat: 31.2286, lon: 121.448 },
    dailyCapacity: 100,
    districtLocations: [],
    confirmationFollowUpHours: 24,
    confirmationEscalationHours: 36,
    confirmationCancelHours: 48,
    ...overrides,
  };
  return newEvent(EventTypes.StorePublished, { version, store }, { producer: "intake", orderId: "", storeId, actor: { kind: "staff", id: "mgr-hq", role: "store-manager" } });
}
