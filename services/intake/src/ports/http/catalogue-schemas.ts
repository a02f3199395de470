import { z } from "zod";
import { defaultReviewLineQuantityAbove } from "../../domain/review.ts";
import { fulfillmentMethods, orderKinds } from "../../domain/order-submission.ts";
import { pageToken, queryInt, text } from "./schema-primitives.ts";

/**
 * Bodies, queries and answers of the catalogue's administration (ADR 028). The shapes are
 * checked here; what makes a profile or an item usable (the chain's currency, methods that
 * fit the kinds, deadlines in order, …) is the domain's (domain/store-profile.ts,
 * domain/price-list-item.ts), field by field.
 */

const geoPoint = z.strictObject({ lat: z.number().meta({ description: "-90 to 90" }), lon: z.number().meta({ description: "-180 to 180" }) });
const minor = (description: string) => z.number().meta({ description: `${description} Integer minor units of the chain's currency.` });

export const SkuParamsSchema = z.strictObject({ sku: text(64) });

export const StoreProfileBodySchema = z
  .strictObject({
    name: text(200),
    city: text(100),
    timeZone: text(64).meta({ description: "IANA time zone of the store's clock (hours, deadlines), e.g. Asia/Shanghai." }),
    currency: z.string().max(8).meta({ description: "The chain's currency (one for the whole chain), e.g. CNY." }),
    acceptingOrders: z.boolean().meta({ description: "false: the store takes no new orders (closed for good or for a while); what it holds is still served, and routing sends it none." }),
    serviceAreas: z.array(text(100)).max(200).meta({ description: "The districts it delivers to and serves on site, each once." }),
    orderKinds: z.array(z.enum(orderKinds)).max(2),
    fulfillmentMethods: z.array(z.enum(fulfillmentMethods)).max(3).meta({ description: "ship and pickup serve goods, on-site services." }),
    businessHours: z
      .strictObject({ open: text(5), close: text(5), days: z.array(z.int()).max(7) })
      .optional()
      .meta({ description: 'On the store\'s clock: open "HH:MM", close "HH:MM" ("24:00" for midnight), ISO days (1 = Monday). Absent: around the clock.' }),
    shippingFeeMinor: minor("The fee for shipping."),
    freeShippingFromMinor: minor("Shipping is free from this lines total after discount."),
    taxRateBasisPoints: z.number().meta({ description: "0 to 10000 (600 = 6 %)." }),
    reviewThresholdMinor: minor("Orders from this grand total on go to manual review."),
    reviewLineQuantityAbove: z.number().default(defaultReviewLineQuantityAbove).meta({ description: `A line of more units goes to manual review (default ${defaultReviewLineQuantityAbove}).` }),
    partialShipments: z.boolean().default(false).meta({ description: "An order's lines may ship separately without the customer asking." }),
    routingPriority: z.number().meta({ description: "Routing across stores: 1 is the most preferred." }),
    location: geoPoint.optional().meta({ description: "Where the store is, for routing by distance." }),
    dailyCapacity: z.number().meta({ description: "Orders routing may send it a day." }),
    districtLocations: z
      .array(z.strictObject({ district: text(100), location: geoPoint }))
      .max(200)
      .default([])
      .meta({ description: "Where the districts it serves lie (only those), for routing by distance; the later publication wins for a district two stores name." }),
    confirmationFollowUpHours: z.number().meta({ description: "Hours after an unconfirmed order is placed that the store follows it up (fulfillment)." }),
    confirmationEscalationHours: z.number().meta({ description: "…escalates it; after the follow-up." }),
    confirmationCancelHours: z.number().meta({ description: "…cancels it; after the escalation." }),
  })
  .meta({ title: "StoreProfileBody", description: "A store's whole profile: PUT replaces it (fields left out take their defaults)." });

export const PriceListItemBodySchema = z
  .strictObject({
    description: text(200),
    kind: z.enum(orderKinds),
    unitPriceMinor: z.number().meta({ description: "Positive, integer minor units of the chain's currency." }),
    handling: z.array(z.string().max(40)).max(20).default([]).meta({ description: 'Handling the item always needs, e.g. "fragile", "perishable".' }),
    skills: z.array(z.string().max(40)).max(20).default([]).meta({ description: 'Skills a service needs from the assignee, e.g. "cleaning" (services only).' }),
  })
  .meta({ title: "PriceListItemBody", description: "An item of the chain's price list, whole: PUT adds or replaces it, and puts a withdrawn item back on sale." });

export const WithdrawalSchema = z
  .strictObject({ reason: text(500).meta({ description: "Why it is taken off sale; published with the withdrawal." }) })
  .meta({ title: "PriceListItemWithdrawal" });

export const PriceListQuerySchema = z.strictObject({
  includeWithdrawn: z.enum(["true", "false"]).optional().meta({ description: "true: withdrawn items too (staff only)." }),
  storeId: text(64).optional().meta({ description: "The list as this store charges it: its own prices where it has them (ADR 028, addendum), the chain's otherwise." }),
});

export const CatalogueChangesQuerySchema = z
  .strictObject({
    storeId: text(64).optional().meta({ description: "One store's changes, its own prices included (store-scoped callers must name one of theirs)." }),
    sku: text(64).optional().meta({ description: "One item's changes, every store's own price of it included (chain-wide callers only)." }),
    platform: text(32).optional().meta({ description: "One marketplace's settings' changes (chain-wide callers only)." }),
    pageSize: queryInt(1, 500).optional().meta({ description: "At most this many changes on the page, newest first, 1 to 500, 100 when absent." }),
    pageToken: pageToken.optional().meta({ description: "The nextPageToken of the previous page (the same storeId, sku or platform)." }),
    limit: queryInt(1, 500)
      .optional()
      .meta({ description: "pageSize's name before the trail was paged, kept for callers built then: give one of the two. The page it sizes ends with a nextPageToken as any." }),
  })
  .superRefine((q, context) => {
    // The second subject named is the one refused: the first alone would be a fine query.
    const named = (["storeId", "sku", "platform"] as const).filter((name) => q[name] !== undefined);
    if (named.length > 1) context.addIssue({ code: "custom", path: [named[1]!], message: "name a store, an item or a platform, not more than one" });
  });

/** `If-Match: "<version>"` (RFC 9110): the version the caller read, or undefined when not given. */
export const IfMatchSchema = z
  .string()
  .regex(/^"\d{1,15}"$/, 'must be the version in quotes, as the ETag gave it, e.g. "3"')
  .transform((value) => Number(value.slice(1, -1)))
  .optional();

const businessHoursOut = z.object({ open: z.string(), close: z.string(), days: z.array(z.int()) });
const offerFields = {
  storeId: z.string(),
  name: z.string(),
  city: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  acceptingOrders: z.boolean(),
  serviceAreas: z.array(z.string()),
  orderKinds: z.array(z.enum(orderKinds)),
  fulfillmentMethods: z.array(z.enum(fulfillmentMethods)),
  businessHours: businessHoursOut.optional(),
  shippingFeeMinor: z.int(),
  freeShippingFromMinor: z.int(),
  taxRateBasisPoints: z.int(),
  partialShipments: z.boolean(),
  version: z.int().meta({ description: "0: as the chain was seeded, never administered." }),
};

export const StoreOfferViewSchema = z.object(offerFields).meta({ title: "StoreOffer", description: "What a store publishes to order: anyone may read it." });
export const StoreListSchema = z.object({ stores: z.array(StoreOfferViewSchema) }).meta({ title: "StoreList" });

const point = z.object({ lat: z.number(), lon: z.number() });
export const StoreProfileViewSchema = z
  .object({
    ...offerFields,
    reviewThresholdMinor: z.int(),
    reviewLineQuantityAbove: z.int(),
    routingPriority: z.int(),
    location: point.optional(),
    dailyCapacity: z.int(),
    districtLocations: z.array(z.object({ district: z.string(), location: point })),
    confirmationFollowUpHours: z.number(),
    confirmationEscalationHours: z.number(),
    confirmationCancelHours: z.number(),
    updatedBy: z.string().optional().meta({ description: 'Who published this version, e.g. "staff:s-7" (absent for the seed\'s).' }),
    updatedAt: z.string(),
  })
  .meta({ title: "StoreProfile", description: "A store's whole profile, its internal policy included, with its version (also the ETag)." });

export const PriceListItemViewSchema = z
  .object({
    sku: z.string(),
    description: z.string(),
    kind: z.enum(orderKinds),
    unitPriceMinor: z.int(),
    currency: z.string(),
    handling: z.array(z.string()),
    skills: z.array(z.string()),
    version: z.int(),
    withdrawn: z.object({ reason: z.string(), at: z.string().optional() }).optional().meta({ description: "Present when taken off sale." }),
    chainUnitPriceMinor: z.int().optional().meta({ description: "Asked for one store (storeId=) that charges its own price: unitPriceMinor is the store's, this the chain's." }),
  })
  .meta({ title: "PriceListItem" });
export const PriceListSchema = z
  .object({ storeId: z.string().optional().meta({ description: "The store whose prices the list shows, when one was asked for." }), items: z.array(PriceListItemViewSchema) })
  .meta({ title: "PriceList" });

export const CatalogueChangeListSchema = z
  .object({
    changes: z.array(
      z.object({
        changeId: z.string(),
        subjectKind: z.enum(["store", "item", "platform", "store-price"]),
        subjectId: z.string().meta({ description: 'The store id, item code or platform; "<store id>/<item code>" for a store\'s own price.' }),
        version: z.int(),
        changedBy: z.object({ kind: z.string(), id: z.string(), role: z.string() }),
        changedAt: z.string(),
        previous: z.unknown().optional().meta({ description: "The profile, item or marketplace's settings before (absent when the change created it)." }),
        current: z.unknown().meta({ description: "The profile, item or marketplace's settings after (never a secret)." }),
        correlationId: z.string().meta({ description: "The request's id, which its event carries too." }),
      }),
    ),
    nextPageToken: z.string().optional().meta({ description: "Ask again with this as pageToken for the next page; absent on the last page." }),
  })
  .meta({ title: "CatalogueChangeList", description: "A page of who changed the catalogue, when, from what to what; newest first." });
