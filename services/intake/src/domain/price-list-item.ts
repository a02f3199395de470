import { ValidationError } from "@oms/errors";
import { fieldErrorList, type FieldErrorList } from "./field-errors.ts";
import { orderKinds } from "./order-submission.ts";
import type { PriceListItem } from "./store-catalogue.ts";

/**
 * The chain's price list, administered (ADR 028): one price per item for every store, in
 * the chain's currency. An item is added or changed whole; a withdrawal takes it off sale
 * for new orders only, and publishing it again puts it back on sale.
 */

/** An item's code: what orders, stock and pick lists name it by. */
export const skuPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const maxUnitPriceMinor = 100_000_000_000;
/** A handling tag or a skill: a short word, as the warehouse and dispatch match them. */
const tagPattern = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A unit price as the chain and its stores set one: a positive whole number of minor units, far below 2^53 once multiplied. */
export const isUnitPriceMinor = (value: number) => Number.isInteger(value) && value > 0 && value <= maxUnitPriceMinor;

/** What is wrong with an item as given, field by field (named as in the request body). */
export function priceListItemProblems(item: Omit<PriceListItem, "withdrawn">): FieldErrorList {
  const errors = fieldErrorList();
  if (!skuPattern.test(item.sku)) errors.add("sku", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  if (item.description.trim() === "" || item.description.length > 200) errors.add("description", "must be 1 to 200 characters");
  if (!(orderKinds as readonly string[]).includes(item.kind)) errors.add("kind", `must be one of ${orderKinds.join(", ")}`);
  if (!isUnitPriceMinor(item.unitPriceMinor)) errors.add("unitPriceMinor", "must be a positive whole amount in minor units");
  checkTags(errors, "handling", item.handling, "a handling word, e.g. fragile");
  checkTags(errors, "skills", item.skills, "a skill, e.g. cleaning");
  if (item.kind === "goods" && item.skills.length > 0) errors.add("skills", "goods need no skills; only a service names the skills it needs");
  return errors;
}

export function assertValidPriceListItem(item: Omit<PriceListItem, "withdrawn">): void {
  const errors = priceListItemProblems(item);
  if (errors.count > 0) throw new ValidationError(errors.list(), undefined, "price-list-item.invalid");
}

function checkTags(errors: FieldErrorList, field: string, tags: readonly string[], what: string): void {
  if (tags.length > 20) errors.add(field, "at most 20");
  tags.forEach((tag, i) => {
    if (!tagPattern.test(tag)) errors.add(`${field}[${i}]`, `must be ${what}: lower-case letters, digits and '-', up to 40`);
    else if (tags.indexOf(tag) !== i) errors.add(`${field}[${i}]`, `${tag} is named twice`);
  });
}

/** The item's content in a canonical form (tags sorted, withdrawal aside): equal when it says the same. */
function contentOf(item: PriceListItem) {
  return JSON.stringify([item.sku, item.description, item.kind, item.unitPriceMinor, [...item.handling].sort(), [...item.skills].sort()]);
}

/**
 * Whether publishing `next` over `current` changes anything: a new item, a different content,
 * or a withdrawn item put back on sale does; the same item re-sent does not (no version, no event).
 */
export function itemPublicationChanges(current: PriceListItem | undefined, next: Omit<PriceListItem, "withdrawn">): boolean {
  return !current || current.withdrawn !== undefined || contentOf(current) !== contentOf({ ...next, withdrawn: undefined });
}
