import type { FulfillmentMethod, OrderKind } from "../../domain/order-submission.ts";
import type { PriceListItem } from "../../domain/store-catalogue.ts";
import type { StoreProfile } from "../../domain/store-profile.ts";

/** The rows of `stores` and `price_list` and their mapping to the domain, shared by the order path, the seed and the administration. */

export interface StoreRow {
  store_id: string;
  name: string;
  city: string;
  currency: string;
  accepting_orders: boolean;
  service_areas: string[];
  order_kinds: OrderKind[];
  fulfillment_methods: FulfillmentMethod[];
  shipping_fee_minor: number;
  free_shipping_from_minor: number;
  tax_rate_basis_points: number;
  review_threshold_minor: number;
  review_line_quantity_above: number;
  timezone: string | null;
  opens_at: string | null;
  closes_at: string | null;
  open_days: number[] | null;
  partial_shipments: boolean;
  routing_priority: number;
  lat: number | null;
  lon: number | null;
  daily_capacity: number;
  district_locations: { district: string; lat: number; lon: number }[];
  confirmation_follow_up_hours: number;
  confirmation_escalation_hours: number;
  confirmation_cancel_hours: number;
}

/** The whole row as a profile's reader selects it (bigint and numeric read as numbers). */
export const storeColumns = `store_id, name, city, currency, accepting_orders, service_areas, order_kinds, fulfillment_methods,
  shipping_fee_minor::float8 AS shipping_fee_minor, free_shipping_from_minor::float8 AS free_shipping_from_minor, tax_rate_basis_points,
  review_threshold_minor::float8 AS review_threshold_minor, review_line_quantity_above, timezone, opens_at, closes_at,
  open_days::int[] AS open_days, partial_shipments, routing_priority, lat, lon, daily_capacity, district_locations,
  confirmation_follow_up_hours::float8 AS confirmation_follow_up_hours, confirmation_escalation_hours::float8 AS confirmation_escalation_hours,
  confirmation_cancel_hours::float8 AS confirmation_cancel_hours`;

/** The record set a profile is written from (`jsonb_to_recordset($1) AS s(<this>)`), column for column as rowOfProfile gives them. */
export const storeRecordColumns = `store_id text, name text, city text, currency text, accepting_orders boolean, service_areas text[],
  order_kinds text[], fulfillment_methods text[], shipping_fee_minor bigint, free_shipping_from_minor bigint,
  tax_rate_basis_points integer, review_threshold_minor bigint, review_line_quantity_above integer, timezone text, opens_at text,
  closes_at text, open_days smallint[], partial_shipments boolean, routing_priority integer, lat double precision, lon double precision,
  daily_capacity integer, district_locations jsonb, confirmation_follow_up_hours numeric, confirmation_escalation_hours numeric,
  confirmation_cancel_hours numeric`;

/** The columns a profile sets, for INSERT lists and `SET c = EXCLUDED.c`. */
export const storeProfileColumnNames = storeRecordColumns.split(",").map((column) => column.trim().split(/\s+/)[0]!);

export const profileOfRow = (r: StoreRow): StoreProfile => ({
  storeId: r.store_id,
  name: r.name,
  city: r.city,
  timeZone: r.timezone ?? "UTC",
  currency: r.currency,
  acceptingOrders: r.accepting_orders,
  serviceAreas: r.service_areas,
  orderKinds: r.order_kinds,
  fulfillmentMethods: r.fulfillment_methods,
  businessHours: r.opens_at !== null && r.closes_at !== null && r.open_days !== null ? { open: r.opens_at, close: r.closes_at, days: r.open_days } : undefined,
  shippingFeeMinor: r.shipping_fee_minor,
  freeShippingFromMinor: r.free_shipping_from_minor,
  taxRateBasisPoints: r.tax_rate_basis_points,
  reviewThresholdMinor: r.review_threshold_minor,
  reviewLineQuantityAbove: r.review_line_quantity_above,
  partialShipments: r.partial_shipments,
  routingPriority: r.routing_priority,
  location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : undefined,
  dailyCapacity: r.daily_capacity,
  districtLocations: r.district_locations.map(({ district, lat, lon }) => ({ district, location: { lat, lon } })),
  confirmationFollowUpHours: r.confirmation_follow_up_hours,
  confirmationEscalationHours: r.confirmation_escalation_hours,
  confirmationCancelHours: r.confirmation_cancel_hours,
});

export const rowOfProfile = (p: StoreProfile): StoreRow => ({
  store_id: p.storeId,
  name: p.name,
  city: p.city,
  currency: p.currency,
  accepting_orders: p.acceptingOrders,
  service_areas: p.serviceAreas,
  order_kinds: p.orderKinds,
  fulfillment_methods: p.fulfillmentMethods,
  shipping_fee_minor: p.shippingFeeMinor,
  free_shipping_from_minor: p.freeShippingFromMinor,
  tax_rate_basis_points: p.taxRateBasisPoints,
  review_threshold_minor: p.reviewThresholdMinor,
  review_line_quantity_above: p.reviewLineQuantityAbove,
  timezone: p.timeZone,
  opens_at: p.businessHours?.open ?? null,
  closes_at: p.businessHours?.close ?? null,
  open_days: p.businessHours?.days ?? null,
  partial_shipments: p.partialShipments,
  routing_priority: p.routingPriority,
  lat: p.location?.lat ?? null,
  lon: p.location?.lon ?? null,
  daily_capacity: p.dailyCapacity,
  district_locations: p.districtLocations.map(({ district, location }) => ({ district, lat: location.lat, lon: location.lon })),
  confirmation_follow_up_hours: p.confirmationFollowUpHours,
  confirmation_escalation_hours: p.confirmationEscalationHours,
  confirmation_cancel_hours: p.confirmationCancelHours,
});

export interface PriceListRow {
  sku: string;
  description: string;
  kind: OrderKind;
  unit_price_minor: number;
  handling: string[];
  skills: string[];
  withdrawn_reason: string | null;
}

export const itemColumns = "sku, description, kind, unit_price_minor::float8 AS unit_price_minor, handling, skills, withdrawn_reason";

export const itemOfRow = (r: PriceListRow): PriceListItem => ({
  sku: r.sku,
  description: r.description,
  kind: r.kind,
  unitPriceMinor: r.unit_price_minor,
  handling: r.handling,
  skills: r.skills,
  ...(r.withdrawn_reason !== null ? { withdrawn: { reason: r.withdrawn_reason } } : {}),
});
