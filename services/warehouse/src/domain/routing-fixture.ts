// Shared by routing's unit tests: a small chain in Shanghai and orders to route through it.
import type { GeoPoint } from "./geography.ts";
import type { OrderToRoute, RoutingRules, StoreAvailability, StoreRoutingRule } from "./routing.ts";

// Shanghai: the customer lives in Jing'an; the stores sit at known points around it.
export const JINGAN: GeoPoint = { lat: 31.2286, lon: 121.448 };
export const near: GeoPoint = { lat: 31.235, lon: 121.455 }; // ~1 km from Jing'an
export const middle: GeoPoint = { lat: 31.2, lon: 121.47 }; // ~4 km
export const far: GeoPoint = { lat: 31.15, lon: 121.55 }; // ~13 km

export const store = (storeId: string, overrides: Partial<StoreRoutingRule> = {}): StoreRoutingRule => ({
  storeId,
  priority: 1,
  location: middle,
  serviceAreas: ["Jing'an", "Xuhui"],
  dailyCapacity: 40,
  acceptingOrders: true,
  routedToday: 0,
  ...overrides,
});

export const rules = (...stores: StoreRoutingRule[]): RoutingRules => ({ stores, districtLocations: { "Jing'an": JINGAN, Xuhui: { lat: 31.1886, lon: 121.4365 } } });

export const order = (overrides: Partial<OrderToRoute> = {}): OrderToRoute => ({
  orderId: "o-1",
  district: "Jing'an",
  fulfillmentMethod: "ship",
  lines: [
    { sku: "KETTLE", quantity: 2 },
    { sku: "VASE", quantity: 1 },
  ],
  splitAllowed: true,
  excludedStoreIds: [],
  ...overrides,
});

export const stock = (perStore: Record<string, Record<string, number>>): StoreAvailability =>
  new Map(Object.entries(perStore).map(([storeId, skus]) => [storeId, new Map(Object.entries(skus))]));

export const plenty = { KETTLE: 10, VASE: 10 };
