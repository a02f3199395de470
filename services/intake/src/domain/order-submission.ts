/**
 * An order as a channel submits it, before intake checked it: what the chain's website,
 * app and POS send, and what an order taker records from a phone call or an e-mail.
 * The marketplace adapters (domain/marketplaces) translate their platforms' payloads into
 * this same shape, so the pre-check and the canonical mapping serve every channel.
 */

export const directChannels = ["website", "app", "pos", "phone", "email", "social"] as const;
export type DirectChannel = (typeof directChannels)[number];

/**
 * The store's own channels: its counter (POS, a walk-in) and its order takers' desk (phone and
 * e-mail orders, DOMAIN.md). Their orders are taken by the store's staff, counted as the store's
 * and confirmed by whoever took them, so a customer's own order never claims one.
 */
export const storeChannels = ["pos", "phone", "email"] as const satisfies readonly DirectChannel[];

/** The channels a customer places an order on themself: the chain's website and app, and its social shops. */
export const customersOwnChannels = ["website", "app", "social"] as const satisfies readonly DirectChannel[];

export const isStoreChannel = (channel: string): boolean => (storeChannels as readonly string[]).includes(channel);

export const orderKinds = ["goods", "service"] as const;
export type OrderKind = (typeof orderKinds)[number];

export const fulfillmentMethods = ["ship", "pickup", "on-site"] as const;
export type FulfillmentMethod = (typeof fulfillmentMethods)[number];

export const paymentMethods = ["cash", "bank-transfer", "cheque", "third-party", "on-credit", "card-on-delivery"] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export interface SubmittedAddress {
  line1: string;
  line2?: string | undefined;
  city: string;
  district: string;
  postalCode?: string | undefined;
  country: string;
}

export interface SubmittedCustomer {
  customerId?: string | undefined;
  name: string;
  phone?: string | undefined;
  email?: string | undefined;
  address: SubmittedAddress;
  vip?: boolean | undefined;
}

export interface SubmittedLine {
  sku: string;
  description?: string | undefined;
  quantity: number;
  unitPriceMinor: number;
  specialRequests?: string | undefined;
}

/** The money as the channel computed it; intake recomputes every figure and compares. */
export interface SubmittedTotals {
  discountMinor: number;
  shippingFeeMinor: number;
  serviceFeeMinor: number;
  taxMinor: number;
  grandTotalMinor: number;
  currency: string;
}

export interface OrderSubmission {
  /** A direct channel, or "marketplace:<platform>" for an order a marketplace adapter translated. */
  channel: string;
  channelOrderId: string;
  storeId: string;
  kind: OrderKind;
  fulfillmentMethod: FulfillmentMethod;
  customer: SubmittedCustomer;
  lines: SubmittedLine[];
  totals: SubmittedTotals;
  paymentMethod: PaymentMethod;
  prepaid: boolean;
  /** ISO 8601 date-times: the requested delivery time or the appointment window. */
  requestedFrom?: string | undefined;
  requestedUntil?: string | undefined;
  notes?: string | undefined;
  /** The customer confirmed the order at checkout (or to the order taker). */
  confirmedByCustomer?: boolean | undefined;
  /** The customer accepts the order arriving in several parcels, from several stores, when no one store has it all. */
  partialShipment?: boolean | undefined;
}
