import { ValidationError } from "@oms/errors";
import { businessHoursProblem, isTimeZone } from "./business-hours.ts";
import { districtKey, sameDistrict } from "./district.ts";
import { fieldErrorList, type FieldErrorList } from "./field-errors.ts";
import { fulfillmentMethods, orderKinds, type FulfillmentMethod, type OrderKind } from "./order-submission.ts";
import type { Store } from "./store-catalogue.ts";

/**
 * A store's whole profile (ADR 028): what it publishes before it takes orders (the
 * pre-check's offer) and what the warehouse (routing) and fulfillment (confirmation
 * deadlines) keep of it from StorePublished. Intake owns it; the gateway administers it.
 */
export interface StoreProfile {
  storeId: string;
  name: string;
  city: string;
  /** IANA time zone of the store's clock: its business hours and deadlines. */
  timeZone: string;
  currency: string;
  /** False: the store takes no new orders (closed for good or for a while); what it holds is still served. */
  acceptingOrders: boolean;
  serviceAreas: string[];
  orderKinds: OrderKind[];
  fulfillmentMethods: FulfillmentMethod[];
  /** Absent: the store publishes no hours and takes orders around the clock. */
  businessHours?: { open: string; close: string; days: number[] } | undefined;
  shippingFeeMinor: number;
  freeShippingFromMinor: number;
  taxRateBasisPoints: number;
  reviewThresholdMinor: number;
  reviewLineQuantityAbove: number;
  partialShipments: boolean;
  /** Routing across stores: 1 is the chain's most preferred. */
  routingPriority: number;
  location?: GeoPoint | undefined;
  /** Orders routing may send it a day. */
  dailyCapacity: number;
  /** Where the districts it serves lie, for routing by distance. */
  districtLocations: { district: string; location: GeoPoint }[];
  confirmationFollowUpHours: number;
  confirmationEscalationHours: number;
  confirmationCancelHours: number;
}

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** The most money a field may hold, in minor units: every sum of them stays far below 2^53 (as the API's bodies). */
const maxMinor = 100_000_000_000;
const storeIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Fulfillment's timers take hours as a number; a year is more than any promise a store makes. */
const maxHours = 24 * 366;

/**
 * What is wrong with a profile, field by field (named as in the request body), or nothing:
 * the whole profile is checked before anything is written. `chainCurrency` is the chain's
 * one currency: totals and the price list are in it.
 */
export function storeProfileProblems(profile: StoreProfile, chainCurrency: string): FieldErrorList {
  const errors = fieldErrorList();
  if (!storeIdPattern.test(profile.storeId)) errors.add("storeId", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
  textField(errors, "name", profile.name, 200);
  textField(errors, "city", profile.city, 100);
  if (!profile.timeZone || !isTimeZone(profile.timeZone)) errors.add("timeZone", "must be an IANA time zone, e.g. Asia/Shanghai");
  if (profile.currency !== chainCurrency) errors.add("currency", `must be ${chainCurrency}, the chain's currency`);
  checkOffer(profile, errors);
  if (profile.businessHours) {
    // The time zone has its own field; a bad one is reported there, not twice.
    const problem = businessHoursProblem({ ...profile.businessHours, timeZone: isTimeZone(profile.timeZone) ? profile.timeZone : "UTC" });
    if (problem) errors.add("businessHours", problem);
    else if (profile.businessHours.days.length === 0) errors.add("businessHours.days", "name at least one day the store opens");
  }
  minorField(errors, "shippingFeeMinor", profile.shippingFeeMinor);
  minorField(errors, "freeShippingFromMinor", profile.freeShippingFromMinor);
  if (!wholeBetween(profile.taxRateBasisPoints, 0, 10_000)) errors.add("taxRateBasisPoints", "must be a whole number of basis points, 0 to 10000");
  if (!wholeBetween(profile.reviewThresholdMinor, 1, maxMinor)) errors.add("reviewThresholdMinor", "must be a positive whole amount in minor units");
  if (!wholeBetween(profile.reviewLineQuantityAbove, 1, 1_000_000)) errors.add("reviewLineQuantityAbove", "must be a positive whole number");
  if (!wholeBetween(profile.routingPriority, 1, 1_000_000)) errors.add("routingPriority", "must be a whole number from 1 (the most preferred)");
  if (!wholeBetween(profile.dailyCapacity, 0, 1_000_000_000)) errors.add("dailyCapacity", "must be a whole number of orders a day, 0 or more");
  if (profile.location) checkPoint(errors, "location", profile.location);
  checkDistrictLocations(profile, errors);
  checkDeadlines(profile, errors);
  return errors;
}

/** Throws a ValidationError naming each wrong field of the profile. */
export function assertValidStoreProfile(profile: StoreProfile, chainCurrency: string): void {
  const errors = storeProfileProblems(profile, chainCurrency);
  if (errors.count > 0) throw new ValidationError(errors.list(), undefined, "store-profile.invalid");
}

/** Which methods serve which kind (as the pre-check relates them): goods ship or are picked up, services are on site. */
const kindOfMethod: Record<FulfillmentMethod, OrderKind> = { ship: "goods", pickup: "goods", "on-site": "service" };

function checkOffer(profile: StoreProfile, errors: FieldErrorList): void {
  const kinds = profile.orderKinds;
  const methods = profile.fulfillmentMethods;
  if (kinds.length === 0) errors.add("orderKinds", "name at least one kind of order the store takes");
  kinds.forEach((kind, i) => {
    if (!(orderKinds as readonly string[]).includes(kind)) errors.add(`orderKinds[${i}]`, `must be one of ${orderKinds.join(", ")}`);
    else if (kinds.indexOf(kind) !== i) errors.add(`orderKinds[${i}]`, `${kind} is named twice`);
    else if (!methods.some((m) => kindOfMethod[m] === kind)) {
      errors.add("fulfillmentMethods", `a store taking ${kind} orders offers ${kind === "goods" ? "ship or pickup" : "on-site"}`);
    }
  });
  if (methods.length === 0) errors.add("fulfillmentMethods", "name at least one way the store fulfils orders");
  methods.forEach((method, i) => {
    if (!(fulfillmentMethods as readonly string[]).includes(method)) errors.add(`fulfillmentMethods[${i}]`, `must be one of ${fulfillmentMethods.join(", ")}`);
    else if (methods.indexOf(method) !== i) errors.add(`fulfillmentMethods[${i}]`, `${method} is named twice`);
    else if (!kinds.includes(kindOfMethod[method])) errors.add(`fulfillmentMethods[${i}]`, `${method} serves ${kindOfMethod[method]} orders, which the store does not take`);
  });
  if (profile.serviceAreas.length === 0) errors.add("serviceAreas", "name at least one district the store serves");
  profile.serviceAreas.forEach((area, i) => {
    if (districtKey(area) === "" || area.length > 100) errors.add(`serviceAreas[${i}]`, "must name a district (1 to 100 characters)");
    else if (profile.serviceAreas.findIndex((other) => sameDistrict(other, area)) !== i) errors.add(`serviceAreas[${i}]`, `${area} is named twice`);
  });
}

function checkDistrictLocations(profile: StoreProfile, errors: FieldErrorList): void {
  profile.districtLocations.forEach(({ district, location }, i) => {
    const at = `districtLocations[${i}]`;
    if (!profile.serviceAreas.some((area) => sameDistrict(area, district))) errors.add(`${at}.district`, `${district} is not one of the districts the store serves`);
    else if (profile.districtLocations.findIndex((other) => sameDistrict(other.district, district)) !== i) errors.add(`${at}.district`, `${district} is located twice`);
    checkPoint(errors, `${at}.location`, location);
  });
}

// Mirrors fulfillment's store_settings: every deadline after the order, each after the one before.
function checkDeadlines(profile: StoreProfile, errors: FieldErrorList): void {
  const { confirmationFollowUpHours: followUp, confirmationEscalationHours: escalation, confirmationCancelHours: cancel } = profile;
  const hours = [
    ["confirmationFollowUpHours", followUp],
    ["confirmationEscalationHours", escalation],
    ["confirmationCancelHours", cancel],
  ] as const;
  let usable = true;
  for (const [field, value] of hours) {
    if (!(Number.isFinite(value) && value > 0 && value <= maxHours)) {
      errors.add(field, `must be a number of hours above 0, at most ${maxHours}`);
      usable = false;
    }
  }
  if (!usable) return;
  if (escalation <= followUp) errors.add("confirmationEscalationHours", "must be later than the follow-up");
  if (cancel <= escalation) errors.add("confirmationCancelHours", "must be later than the escalation");
}

function checkPoint(errors: FieldErrorList, field: string, point: GeoPoint): void {
  if (!(Number.isFinite(point.lat) && point.lat >= -90 && point.lat <= 90)) errors.add(`${field}.lat`, "must be a latitude, -90 to 90");
  if (!(Number.isFinite(point.lon) && point.lon >= -180 && point.lon <= 180)) errors.add(`${field}.lon`, "must be a longitude, -180 to 180");
}

function textField(errors: FieldErrorList, field: string, value: string, max: number): void {
  if (value.trim() === "" || value.length > max) errors.add(field, `must be 1 to ${max} characters`);
}

function minorField(errors: FieldErrorList, field: string, value: number): void {
  if (!wholeBetween(value, 0, maxMinor)) errors.add(field, "must be a whole amount in minor units, 0 or more");
}

function wholeBetween(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/**
 * The profile in a canonical form: lists in a stable order where their order means nothing
 * (kinds, methods, days), absent fields absent. Two profiles that say the same are equal in it.
 */
export function canonicalProfile(profile: StoreProfile): StoreProfile {
  const sorted = <T extends string | number>(values: readonly T[]) => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    storeId: profile.storeId,
    name: profile.name,
    city: profile.city,
    timeZone: profile.timeZone,
    currency: profile.currency,
    acceptingOrders: profile.acceptingOrders,
    serviceAreas: [...profile.serviceAreas],
    orderKinds: sorted(profile.orderKinds),
    fulfillmentMethods: sorted(profile.fulfillmentMethods),
    ...(profile.businessHours ? { businessHours: { open: profile.businessHours.open, close: profile.businessHours.close, days: sorted(profile.businessHours.days) } } : {}),
    shippingFeeMinor: profile.shippingFeeMinor,
    freeShippingFromMinor: profile.freeShippingFromMinor,
    taxRateBasisPoints: profile.taxRateBasisPoints,
    reviewThresholdMinor: profile.reviewThresholdMinor,
    reviewLineQuantityAbove: profile.reviewLineQuantityAbove,
    partialShipments: profile.partialShipments,
    routingPriority: profile.routingPriority,
    ...(profile.location ? { location: { lat: profile.location.lat, lon: profile.location.lon } } : {}),
    dailyCapacity: profile.dailyCapacity,
    districtLocations: profile.districtLocations.map(({ district, location }) => ({ district, location: { lat: location.lat, lon: location.lon } })),
    confirmationFollowUpHours: profile.confirmationFollowUpHours,
    confirmationEscalationHours: profile.confirmationEscalationHours,
    confirmationCancelHours: profile.confirmationCancelHours,
  };
}

/** Whether a profile re-sent says what the one in force says: then nothing changes (no version, no event). */
export function sameProfile(a: StoreProfile, b: StoreProfile): boolean {
  return JSON.stringify(canonicalProfile(a)) === JSON.stringify(canonicalProfile(b));
}

/** The store as the order path reads it (the pre-check, substitutions, corrections). */
export function storeOfProfile(profile: StoreProfile): Store {
  const hours = profile.businessHours;
  return {
    storeId: profile.storeId,
    name: profile.name,
    currency: profile.currency,
    serviceAreas: profile.serviceAreas,
    orderKinds: profile.orderKinds,
    fulfillmentMethods: profile.fulfillmentMethods,
    shippingFeeMinor: profile.shippingFeeMinor,
    freeShippingFromMinor: profile.freeShippingFromMinor,
    taxRateBasisPoints: profile.taxRateBasisPoints,
    reviewThresholdMinor: profile.reviewThresholdMinor,
    reviewLineQuantityAbove: profile.reviewLineQuantityAbove,
    businessHours: hours ? { open: hours.open, close: hours.close, days: hours.days, timeZone: profile.timeZone } : undefined,
    partialShipments: profile.partialShipments,
    acceptingOrders: profile.acceptingOrders,
  };
}
