import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The demo chain (infra/demo/chain.json): two stores, their price list, stock and staff,
 * and one valid order. Each service seeds its own part of it into its own schema when
 * started with OMS_SEED_DEMO=true; nothing reads another service's tables.
 */
export interface DemoChain {
  chain: string;
  currency: string;
  stores: DemoStore[];
  /** Where the districts the stores serve lie, for routing orders to the nearest store. */
  districts?: Record<string, GeoPoint>;
  priceList: DemoPriceListItem[];
  stock: { storeId: string; sku: string; location: string; onHand: number; safetyStock: number }[];
  staff: DemoStaff[];
  demoOrder: Record<string, unknown>;
}

export interface DemoStore {
  storeId: string;
  name: string;
  city: string;
  timezone: string;
  serviceAreas: string[];
  businessHours: { open: string; close: string; days: number[] };
  orderKinds: ("goods" | "service")[];
  fulfillmentMethods: ("ship" | "pickup" | "on-site")[];
  reviewThresholdMinor: number;
  shippingFeeMinor: number;
  freeShippingFromMinor: number;
  taxRateBasisPoints: number;
  confirmationFollowUpHours: number;
  confirmationCancelHours: number;
  acknowledgeWithinMinutes: number;
  /** 1 is the chain's most preferred store when several can serve an order. */
  priority: number;
  location?: GeoPoint;
  /** How many orders routing may send the store in a day. */
  dailyCapacity?: number;
  /** The store's rule: lines may ship separately (split over stores) without the customer asking. */
  partialShipments?: boolean;
}

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface DemoPriceListItem {
  sku: string;
  description: string;
  kind: "goods" | "service";
  unitPriceMinor: number;
  handling?: string[];
  skills?: string[];
}

export interface DemoStaff {
  staffId: string;
  storeId: string;
  name: string;
  roles: string[];
  skills: { skill: string; level: number }[];
  regions: string[];
  capacity: number;
  shift: { start: string; end: string; days: number[] };
}

export const demoChainPath = path.resolve(import.meta.dirname, "../../../infra/demo/chain.json");

/** The chain file: OMS_DEMO_CHAIN names another one (a chain's own stores, staff and stock). */
export async function loadDemoChain(file = process.env.OMS_DEMO_CHAIN || demoChainPath): Promise<DemoChain> {
  return JSON.parse(await readFile(file, "utf8")) as DemoChain;
}
