import { NotFoundError, ValidationError } from "@oms/errors";
import { districtKey, sameDistrict } from "../district.ts";
import { fieldErrorList, type FieldErrorList } from "../field-errors.ts";
import { skuPattern } from "../price-list-item.ts";

/**
 * A marketplace's settings (ADR 028, "Marketplaces' settings"): which of the chain's stores
 * serves an order delivered to a district (and which takes the rest), which item of the
 * price list each of the platform's item ids is, and where status changes are pushed back.
 * Head office administers them; the demo seed writes them only while never administered.
 * The platform's signing secret is not part of them: it comes from INTAKE_PLATFORM_SECRETS.
 */
export interface PlatformSettings {
  platform: string;
  /** Orders from a district no route names go here; absent: such orders are refused. */
  defaultStoreId?: string | undefined;
  /** The district as the platform spells it (compared loosely) → the store serving it. */
  storesByDistrict: Record<string, string>;
  /** The platform's item id → the sku on the chain's price list. */
  skuByItemId: Record<string, string>;
  callbackUrl?: string | undefined;
}

/** What the catalogue holds of the stores and items the settings name, read in the transaction that writes them. */
export interface CatalogueFacts {
  stores: ReadonlySet<string>;
  /** The items found on the price list, withdrawn or not. */
  items: ReadonlyMap<string, { withdrawn: boolean }>;
}

export const platformNamePattern = /^[a-z][a-z0-9-]{0,31}$/;
const storeIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// A marketplace lists many items; the order path keeps every platform's settings in memory, so they are bounded.
export const maxDistricts = 1_000;
export const maxItems = 10_000;
const maxItemIdLength = 64;
const maxCallbackUrlLength = 2_000;

/**
 * Refuses settings for a platform intake reads no orders from: settings without an adapter
 * that parses the platform's orders would look configured and take nothing.
 */
export function assertReadablePlatform(platform: string, readable: readonly string[]): void {
  if (!readable.includes(platform)) {
    throw new NotFoundError("platform.unknown", `intake takes no orders from a platform called that; it takes ${readable.join(", ")}`);
  }
}

/**
 * What is wrong with the settings, field by field (named as in the request body), or
 * nothing: the whole is checked before anything is written. A store not taking orders for
 * now may be named (closing a store for a while must not mean remapping every marketplace:
 * the pre-check refuses its orders naming why); a withdrawn item may not, since every order
 * for it would be refused.
 */
export function platformSettingsProblems(settings: PlatformSettings, catalogue: CatalogueFacts): FieldErrorList {
  const errors = fieldErrorList();
  if (!platformNamePattern.test(settings.platform)) errors.add("platform", "must be 1 to 32 lower-case letters, digits or '-', starting with a letter");
  if (settings.defaultStoreId !== undefined) checkStore(errors, "defaultStoreId", settings.defaultStoreId, catalogue);
  checkDistricts(errors, settings.storesByDistrict, catalogue);
  checkItems(errors, settings.skuByItemId, catalogue);
  if (settings.callbackUrl !== undefined) {
    const problem = callbackUrlProblem(settings.callbackUrl);
    if (problem) errors.add("callbackUrl", problem);
  }
  return errors;
}

/** Throws a ValidationError naming each wrong field of the settings. */
export function assertValidPlatformSettings(settings: PlatformSettings, catalogue: CatalogueFacts): void {
  const errors = platformSettingsProblems(settings, catalogue);
  if (errors.count > 0) throw new ValidationError(errors.list(), undefined, "platform-settings.invalid");
}

function checkStore(errors: FieldErrorList, field: string, storeId: string, catalogue: CatalogueFacts): void {
  if (!storeIdPattern.test(storeId)) errors.add(field, "must be a store id: 1 to 64 letters, digits, '.', '_' or '-'");
  else if (!catalogue.stores.has(storeId)) errors.add(field, `${storeId} is not a store of this chain`);
}

function checkDistricts(errors: FieldErrorList, storesByDistrict: Record<string, string>, catalogue: CatalogueFacts): void {
  const districts = Object.keys(storesByDistrict);
  if (districts.length > maxDistricts) {
    errors.add("storesByDistrict", `may name at most ${maxDistricts} districts`);
    return;
  }
  districts.forEach((district, i) => {
    const field = `storesByDistrict[${JSON.stringify(district)}]`;
    if (districtKey(district) === "" || district.length > 100) errors.add(field, "must name a district (1 to 100 characters, some letters or digits)");
    // "Jing'an" and "jingan" are one district to the order path: two routes for it would leave which store serves it to chance.
    else if (districts.findIndex((other) => sameDistrict(other, district)) !== i) errors.add(field, `${district} is named twice (as ${districts.find((other) => sameDistrict(other, district))})`);
    else checkStore(errors, field, storesByDistrict[district]!, catalogue);
  });
}

function checkItems(errors: FieldErrorList, skuByItemId: Record<string, string>, catalogue: CatalogueFacts): void {
  const itemIds = Object.keys(skuByItemId);
  if (itemIds.length > maxItems) {
    errors.add("skuByItemId", `may name at most ${maxItems} items`);
    return;
  }
  for (const itemId of itemIds) {
    const field = `skuByItemId[${JSON.stringify(itemId)}]`;
    const sku = skuByItemId[itemId]!;
    const item = catalogue.items.get(sku);
    // The platform's own ids: whatever it spells them with, but something, and as long as its orders may carry.
    if (itemId.trim() === "" || itemId.length > maxItemIdLength || /\p{Cc}/u.test(itemId)) errors.add(field, `the item id must be 1 to ${maxItemIdLength} printable characters`);
    // The order path trims the item ids an order carries: one kept with spaces around it would never match.
    else if (itemId !== itemId.trim()) errors.add(field, "the item id must not begin or end with spaces (orders' item ids are read trimmed, so it would never match)");
    else if (!skuPattern.test(sku)) errors.add(field, "must be an item's code: 1 to 64 letters, digits, '.', '_' or '-'");
    else if (!item) errors.add(field, `${sku} is not on the price list`);
    else if (item.withdrawn) errors.add(field, `${sku} is withdrawn from sale; orders for it would all be refused`);
  }
}

/**
 * Where status changes are pushed: https, or http only to this machine (a local test or
 * demo server, where nothing crosses a network). No user or password in it, nor a query
 * parameter named like a credential: the push is signed with the platform's secret, and
 * the URL is kept in the trail for good.
 */
/** Query parameters that carry a credential by their name (access_token, apiKey, sig, secret, password…). */
const credentialParameter = /token|key|secret|passw|sig|auth|credential/i;

export function callbackUrlProblem(value: string): string | undefined {
  const wrong = "must be an https URL (http only to localhost, 127.0.0.1 or [::1])";
  if (value.length > maxCallbackUrlLength) return `must be at most ${maxCallbackUrlLength} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return wrong;
  }
  if (url.username !== "" || url.password !== "") return "must not carry a user or password: pushes are signed with the platform's secret, and the URL is kept in the trail";
  const credential = [...url.searchParams.keys()].find((name) => credentialParameter.test(name));
  if (credential !== undefined) return `must not carry a credential in its query (${credential}): pushes are signed with the platform's secret, and the URL is kept in the trail`;
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname)) return undefined;
  return wrong;
}

/** The settings in a canonical form: maps ordered by key, absent fields absent. Two settings that say the same are equal in it. */
export function canonicalSettings(settings: PlatformSettings): PlatformSettings {
  const sortedRecord = (record: Record<string, string>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    platform: settings.platform,
    ...(settings.defaultStoreId !== undefined ? { defaultStoreId: settings.defaultStoreId } : {}),
    storesByDistrict: sortedRecord(settings.storesByDistrict),
    skuByItemId: sortedRecord(settings.skuByItemId),
    ...(settings.callbackUrl !== undefined ? { callbackUrl: settings.callbackUrl } : {}),
  };
}

/** Whether settings re-sent say what the ones in force say: then nothing changes (no version, no trail entry). */
export function sameSettings(a: PlatformSettings, b: PlatformSettings): boolean {
  return JSON.stringify(canonicalSettings(a)) === JSON.stringify(canonicalSettings(b));
}

/** The stores and items the settings name, to read from the catalogue before checking them. */
export function namedInSettings(settings: PlatformSettings): { storeIds: string[]; skus: string[] } {
  const storeIds = new Set(Object.values(settings.storesByDistrict));
  if (settings.defaultStoreId !== undefined) storeIds.add(settings.defaultStoreId);
  return { storeIds: [...storeIds], skus: [...new Set(Object.values(settings.skuByItemId))] };
}
