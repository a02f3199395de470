import type pg from "pg";
import { EventTypes, newEvent, type Actor, type OrderEvent } from "@oms/contracts";
import type { OutboxWriter } from "@oms/messaging";
import type { StoreCatalogue } from "../adapters/pg/catalogue-repository.ts";
import type { PriceListItem } from "../domain/store-catalogue.ts";
import type { StorePrice } from "../domain/store-price.ts";
import type { StoreProfile } from "../domain/store-profile.ts";
import type { RequestContext } from "./request-context.ts";

/** What the catalogue's use cases need (ADR 028). */
export interface CatalogueDeps {
  pool: pg.Pool;
  /** The outbox of oms.intake.catalogue.v1: events keyed by store id, item code or "<store id>/<item code>", no order id. */
  outbox: Pick<OutboxWriter, "appendKeyed">;
  /** The order path's catalogue, reloaded at once once this replica changed it. */
  catalogue: StoreCatalogue;
  /** The chain's one currency (the demo chain's): profiles and prices are in it. */
  chainCurrency: string;
}

const originOf = (context: RequestContext, storeId: string, now: Date) => ({
  producer: "intake",
  orderId: "",
  storeId,
  actor: context.caller as Actor,
  correlationId: context.correlationId,
  traceparent: context.traceparent,
  now,
});

/** StorePublished: the whole profile at `version`, for the warehouse's routing and fulfillment's deadlines. */
export function storePublished(profile: StoreProfile, version: number, context: RequestContext, now: Date): OrderEvent {
  const hours = profile.businessHours;
  return newEvent(
    EventTypes.StorePublished,
    {
      version,
      store: {
        storeId: profile.storeId,
        name: profile.name,
        city: profile.city,
        timeZone: profile.timeZone,
        currency: profile.currency,
        acceptingOrders: profile.acceptingOrders,
        serviceAreas: profile.serviceAreas,
        orderKinds: profile.orderKinds,
        fulfillmentMethods: profile.fulfillmentMethods,
        businessHours: hours ? { open: hours.open, close: hours.close, days: hours.days } : undefined,
        shippingFeeMinor: profile.shippingFeeMinor,
        freeShippingFromMinor: profile.freeShippingFromMinor,
        taxRateBasisPoints: profile.taxRateBasisPoints,
        reviewThresholdMinor: profile.reviewThresholdMinor,
        reviewLineQuantityAbove: profile.reviewLineQuantityAbove,
        partialShipments: profile.partialShipments,
        routingPriority: profile.routingPriority,
        location: profile.location ? { lat: profile.location.lat, lon: profile.location.lon } : undefined,
        dailyCapacity: profile.dailyCapacity,
        districtLocations: profile.districtLocations.map(({ district, location }) => ({ district, location: { lat: location.lat, lon: location.lon } })),
        confirmationFollowUpHours: profile.confirmationFollowUpHours,
        confirmationEscalationHours: profile.confirmationEscalationHours,
        confirmationCancelHours: profile.confirmationCancelHours,
      },
    },
    originOf(context, profile.storeId, now),
  );
}

/** PriceListItemPublished: the item at `version`, on sale, in the chain's currency. The chain's, so no store. */
export function priceListItemPublished(item: PriceListItem, version: number, currency: string, context: RequestContext, now: Date): OrderEvent {
  const { sku, description, kind, unitPriceMinor, handling, skills } = item;
  return newEvent(EventTypes.PriceListItemPublished, { version, sku, description, kind, unitPriceMinor, handling, skills, currency }, originOf(context, "", now));
}

export function priceListItemWithdrawn(sku: string, reason: string, version: number, context: RequestContext, now: Date): OrderEvent {
  return newEvent(EventTypes.PriceListItemWithdrawn, { version, sku, reason }, originOf(context, "", now));
}

/** StorePricePublished: the store charges its own price for the item from `version` on (ADR 028, addendum). */
export function storePricePublished(price: StorePrice, version: number, currency: string, context: RequestContext, now: Date): OrderEvent {
  const { storeId, sku, unitPriceMinor } = price;
  return newEvent(EventTypes.StorePricePublished, { version, storeId, sku, unitPrice: { minor: unitPriceMinor, currency } }, originOf(context, storeId, now));
}

/** StorePriceRemoved: the store charges the chain's price for the item again. */
export function storePriceRemoved(storeId: string, sku: string, reason: string, version: number, context: RequestContext, now: Date): OrderEvent {
  return newEvent(EventTypes.StorePriceRemoved, { version, storeId, sku, reason }, originOf(context, storeId, now));
}
