import type { BusinessHours } from "./business-hours.ts";
import type { FulfillmentMethod, OrderKind } from "./order-submission.ts";

/**
 * What a store publishes before it takes orders (DOMAIN.md, "Before taking orders"):
 * what it serves, where, and at which prices. Intake keeps its own copy in its schema.
 */
export interface Store {
  storeId: string;
  name: string;
  currency: string;
  /** Districts the store delivers to and serves on site. */
  serviceAreas: string[];
  orderKinds: OrderKind[];
  fulfillmentMethods: FulfillmentMethod[];
  shippingFeeMinor: number;
  /** Shipping is free when the lines total after discount reaches this amount. */
  freeShippingFromMinor: number;
  taxRateBasisPoints: number;
  /** Orders from this grand total on go to manual review. */
  reviewThresholdMinor: number;
  /** A line with more than this quantity is doubtful: the order goes to manual review. */
  reviewLineQuantityAbove: number;
  /**
   * When the store takes counter orders, hands over pick-ups and serves on site, on its
   * own clock (domain/business-hours.ts). Absent: the store publishes no hours and
   * takes every order around the clock.
   */
  businessHours?: BusinessHours | undefined;
  /** The store's rule: an order's lines may ship separately (split over stores) without the customer asking. */
  partialShipments?: boolean | undefined;
  /**
   * False: the store takes no new orders for now (ADR 028); what it holds is still served.
   * Absent: it takes them.
   */
  acceptingOrders?: boolean | undefined;
}

export interface PriceListItem {
  sku: string;
  description: string;
  kind: OrderKind;
  unitPriceMinor: number;
  /** Special handling the item always needs, e.g. "fragile", "perishable". */
  handling: string[];
  /** Skills a service needs from the assignee, e.g. "cleaning". */
  skills: string[];
  /**
   * Taken off sale (ADR 028): new orders, substitutions and corrections cannot name it;
   * orders that hold it keep their lines. It stays on the list so that a refusal can say so.
   */
  withdrawn?: { reason: string } | undefined;
  /**
   * Present when the store the offer is of charges its own price for the item (ADR 028,
   * addendum): `unitPriceMinor` is then the store's, and this the chain's.
   */
  chainUnitPriceMinor?: number | undefined;
}

/** The chain's catalogue as the pre-check sees it: one store and the price list at that store's prices. */
export interface StoreOffer {
  store: Store | undefined;
  priceList: ReadonlyMap<string, PriceListItem>;
}

/**
 * Whose prices an order is checked against: a store's own (ADR 028's addendum) for orders
 * taken for that store — its counter, phone, the chain's site and app showing that store's
 * list — but the chain's list for a marketplace's: the platform shows one listing, at the
 * chain's price, and its order reaches a store only through the district settings, so the
 * customer never saw that store's price.
 */
export type Pricing = "store" | "chain";

export function pricingOf(channel: string): Pricing {
  return channel.startsWith("marketplace:") ? "chain" : "store";
}
