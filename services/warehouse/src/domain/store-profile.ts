import { ValidationError, type FieldError } from "@oms/errors";
import type { GeoPoint } from "./geography.ts";
import { isWhole, pointErrors } from "./routing.ts";

/**
 * What the warehouse keeps of a store's published profile (ADR 028): how routing weighs
 * it, and where the districts it serves lie. Intake publishes the whole profile with its
 * version; the warehouse applies a publication only when it is newer than the version it
 * holds, so a re-delivery or a replay of the topic changes nothing.
 */

/** The profile as the warehouse reads it from StorePublished. */
export interface PublishedStore {
  version: number;
  storeId: string;
  acceptingOrders: boolean;
  serviceAreas: readonly string[];
  routingPriority: number;
  location: GeoPoint | undefined;
  dailyCapacity: number;
  districtLocations: readonly { district: string; location: GeoPoint | undefined }[];
}

/** A store's routing rules as one publication sets them, with the version they come from. */
export interface RoutingSlice {
  storeId: string;
  version: number;
  priority: number;
  location: GeoPoint | undefined;
  serviceAreas: string[];
  dailyCapacity: number;
  acceptingOrders: boolean;
  districtLocations: { district: string; location: GeoPoint }[];
}

/**
 * The routing rules a publication sets. Intake validated the profile whole; what the
 * warehouse cannot keep (no store id, no version, a priority below 1, coordinates off the
 * globe) is refused naming the field, and the consumer dead-letters it rather than route by it.
 */
export function routingSliceOf(published: PublishedStore): RoutingSlice {
  const fields: FieldError[] = [];
  if (!published.storeId.trim()) fields.push({ field: "store.storeId", message: "is required" });
  if (!isWhole(published.version, 1)) fields.push({ field: "version", message: `must be a whole number from 1, got ${published.version}` });
  if (!isWhole(published.routingPriority, 1)) fields.push({ field: "store.routingPriority", message: `must be a whole number from 1, got ${published.routingPriority}` });
  if (!isWhole(published.dailyCapacity, 0)) fields.push({ field: "store.dailyCapacity", message: `must be a whole number >= 0, got ${published.dailyCapacity}` });
  if (published.location) fields.push(...pointErrors("store.location", published.location));
  const districtLocations: { district: string; location: GeoPoint }[] = [];
  published.districtLocations.forEach(({ district, location }, index) => {
    const at = `store.districtLocations[${index}]`;
    if (!district.trim()) fields.push({ field: `${at}.district`, message: "is required" });
    if (!location) fields.push({ field: `${at}.location`, message: "is required" });
    else fields.push(...pointErrors(`${at}.location`, location));
    if (district.trim() && location) districtLocations.push({ district, location });
  });
  if (fields.length > 0) {
    const why = fields.map((f) => `${f.field} ${f.message}`).join("; ");
    throw new ValidationError(fields, `the profile of ${published.storeId || "a store"} cannot be kept for routing: ${why}`, "store-profile.invalid");
  }
  return {
    storeId: published.storeId,
    version: published.version,
    priority: published.routingPriority,
    location: published.location,
    serviceAreas: [...published.serviceAreas],
    dailyCapacity: published.dailyCapacity,
    acceptingOrders: published.acceptingOrders,
    districtLocations,
  };
}
