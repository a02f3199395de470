import type { FulfillmentMethod } from "./order-submission.ts";
import type { Store } from "./store-catalogue.ts";

/** The money of an order, every figure in integer minor units. */
export interface OrderTotals {
  linesMinor: number;
  discountMinor: number;
  shippingFeeMinor: number;
  serviceFeeMinor: number;
  taxMinor: number;
  grandTotalMinor: number;
  currency: string;
}

/**
 * Shipping by the store's rule: only orders that are shipped pay it, and they ship free
 * once the lines total after discount reaches the store's threshold.
 */
export function shippingFeeOf(store: Store, method: FulfillmentMethod, linesAfterDiscountMinor: number): number {
  if (method !== "ship") return 0;
  return linesAfterDiscountMinor >= store.freeShippingFromMinor ? 0 : store.shippingFeeMinor;
}

/**
 * Tax on what is sold after discount (not on shipping or fees), rounded half up to the
 * minor unit. BigInt, because amount × basis points can pass 2^53 for large orders.
 */
export function taxOf(store: Store, linesAfterDiscountMinor: number): number {
  const raw = BigInt(linesAfterDiscountMinor) * BigInt(store.taxRateBasisPoints);
  return Number((raw + 5_000n) / 10_000n);
}

/** The totals the store's rules give for these lines, discount and service fee. */
export function expectedTotals(
  store: Store,
  method: FulfillmentMethod,
  linesMinor: number,
  discountMinor: number,
  serviceFeeMinor: number,
): OrderTotals {
  const afterDiscount = linesMinor - discountMinor;
  const shippingFeeMinor = shippingFeeOf(store, method, afterDiscount);
  const taxMinor = taxOf(store, afterDiscount);
  return {
    linesMinor,
    discountMinor,
    shippingFeeMinor,
    serviceFeeMinor,
    taxMinor,
    grandTotalMinor: afterDiscount + shippingFeeMinor + serviceFeeMinor + taxMinor,
    currency: store.currency,
  };
}
