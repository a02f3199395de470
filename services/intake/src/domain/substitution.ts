import { ValidationError } from "@oms/errors";
import type { events } from "@oms/contracts";
import { fieldErrorList } from "./field-errors.ts";
import type { FulfillmentMethod } from "./order-submission.ts";
import type { PriceListItem, Store } from "./store-catalogue.ts";
import { expectedTotals, type OrderTotals } from "./totals.ts";

/**
 * Out of stock, the customer may take another item instead (DOMAIN.md, Warehouse). The
 * price difference is handled by one rule the customer can be told in a sentence: a
 * dearer substitute costs them nothing more for each unit it replaces (the chain takes the
 * difference as a discount), a cheaper one is cheaper (the difference is refunded if they
 * paid), and the chain's stock problem never adds a shipping fee. Units beyond those
 * replaced are bought at their price, and a prepaid order cannot come to more than was paid.
 */
export interface SubstitutionRequest {
  /** The code of the line that cannot be served. */
  sku: string;
  substituteSku: string;
  /** Defaults to the quantity of the line it replaces. */
  quantity?: number | undefined;
}

export interface SubstitutedOrder {
  lines: events.OrderLine[];
  /** Each request as made, with the quantity it came to. */
  substitutions: { sku: string; substituteSku: string; quantity: number }[];
  totals: OrderTotals;
  /** What the customer gets back (they paid more than the new total). */
  refundDueMinor: number;
  /** What the chain gives as a discount so that a dearer substitute costs the customer nothing more per unit replaced. */
  absorbedMinor: number;
}

export function substitute(
  order: { lines: events.OrderLine[]; totals: OrderTotals; fulfillmentMethod: FulfillmentMethod; prepaid: boolean },
  requests: readonly SubstitutionRequest[],
  store: Store,
  priceList: ReadonlyMap<string, PriceListItem>,
): SubstitutedOrder {
  const errors = fieldErrorList();
  if (requests.length === 0) errors.add("substitutions", "name at least one line to substitute");
  const lines = order.lines.map((line) => ({ ...line }));
  const substitutions: SubstitutedOrder["substitutions"] = [];
  let absorbedMinor = 0;
  requests.forEach((request, index) => {
    const at = `substitutions[${index}]`;
    const line = lines.find((l) => l.sku === request.sku);
    const item = priceList.get(request.substituteSku);
    if (!line) errors.add(`${at}.sku`, "is not a line of the order");
    if (!item) errors.add(`${at}.substituteSku`, "is not on the price list");
    else if (item.withdrawn) errors.add(`${at}.substituteSku`, `is no longer on sale (withdrawn: ${item.withdrawn.reason})`);
    else if (item.kind !== "goods") errors.add(`${at}.substituteSku`, "is a service, not goods");
    if (request.sku === request.substituteSku) errors.add(`${at}.substituteSku`, "must differ from the item it replaces");
    if (requests.findIndex((r) => r.sku === request.sku) !== index) errors.add(`${at}.sku`, "is substituted twice");
    if (!line || !item || item.withdrawn) return;
    const quantity = request.quantity ?? line.quantity;
    absorbedMinor += Math.min(quantity, line.quantity) * Math.max(0, item.unitPriceMinor - line.unitPriceMinor);
    substitutions.push({ sku: request.sku, substituteSku: item.sku, quantity });
    Object.assign(line, {
      sku: item.sku,
      description: item.description,
      quantity,
      unitPriceMinor: item.unitPriceMinor,
      lineTotalMinor: quantity * item.unitPriceMinor,
    });
  });
  if (errors.count > 0) throw new ValidationError(errors.list(), undefined, "substitution.invalid");

  const before = order.totals;
  const linesMinor = lines.reduce((sum, line) => sum + line.lineTotalMinor, 0);
  const priced = expectedTotals(store, order.fulfillmentMethod, linesMinor, before.discountMinor + absorbedMinor, before.serviceFeeMinor);
  const shippingFeeMinor = Math.min(priced.shippingFeeMinor, before.shippingFeeMinor);
  const totals = { ...priced, shippingFeeMinor, grandTotalMinor: priced.grandTotalMinor - priced.shippingFeeMinor + shippingFeeMinor };
  if (order.prepaid && totals.grandTotalMinor > before.grandTotalMinor) {
    const more = `would come to ${totals.grandTotalMinor} where the customer paid ${before.grandTotalMinor} (minor units): take fewer units`;
    throw new ValidationError([{ field: "substitutions", message: more }], undefined, "substitution.invalid");
  }
  const refundDueMinor = order.prepaid ? Math.max(0, before.grandTotalMinor - totals.grandTotalMinor) : 0;
  return { lines, substitutions, totals, refundDueMinor, absorbedMinor };
}
