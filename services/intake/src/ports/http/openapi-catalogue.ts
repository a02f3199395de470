import { permissions } from "../../domain/permissions.ts";
import {
  CatalogueChangeListSchema,
  CatalogueChangesQuerySchema,
  PriceListItemBodySchema,
  PriceListItemViewSchema,
  PriceListQuerySchema,
  PriceListSchema,
  StoreListSchema,
  StoreOfferViewSchema,
  StoreProfileBodySchema,
  StoreProfileViewSchema,
  WithdrawalSchema,
} from "./catalogue-schemas.ts";
import { body, common, forbidden, ifMatchParameter, json, jsonSchemaOf, ok, problem, queryParametersOf, ref, requestIdHeader, skuParameter, storeParameters } from "./openapi-parts.ts";
import { storePricePaths, storePriceSchemas } from "./openapi-store-prices.ts";

/** Request examples of the catalogue's administration (ADR 028). */
export const catalogueExamples = {
  profile: {
    name: "West Lake store",
    city: "Hangzhou",
    timeZone: "Asia/Shanghai",
    currency: "CNY",
    acceptingOrders: true,
    serviceAreas: ["Xihu", "Shangcheng"],
    orderKinds: ["goods", "service"],
    fulfillmentMethods: ["ship", "pickup", "on-site"],
    businessHours: { open: "09:00", close: "21:00", days: [1, 2, 3, 4, 5, 6, 7] },
    shippingFeeMinor: 1200,
    freeShippingFromMinor: 20000,
    taxRateBasisPoints: 0,
    reviewThresholdMinor: 500000,
    reviewLineQuantityAbove: 50,
    partialShipments: false,
    routingPriority: 3,
    location: { lat: 30.2592, lon: 120.1302 },
    dailyCapacity: 800,
    districtLocations: [
      { district: "Xihu", location: { lat: 30.2592, lon: 120.1302 } },
      { district: "Shangcheng", location: { lat: 30.2425, lon: 120.1694 } },
    ],
    confirmationFollowUpHours: 24,
    confirmationEscalationHours: 36,
    confirmationCancelHours: 48,
  },
  item: { description: "Electric kettle 1.7 L, stainless steel", kind: "goods", unitPriceMinor: 21900, handling: [], skills: [] },
  withdrawal: { reason: "Recalled by the maker: faulty thermostat" },
};

const ifMatch = ifMatchParameter();
const etag = { ETag: { description: 'The version, e.g. "3", for If-Match.', schema: { type: "string" } } };
const withEtag = (description: string, schemaName: string) => ({ description, headers: { ...requestIdHeader, ...etag }, content: json(ref(schemaName)) });
const stale = problem("If-Match named a version that is no longer the one in force (someone changed it meanwhile); nothing was written.");
const published = "Validated whole, written as the next version with who and when (GET /v1/catalogue-changes), and published on oms.intake.catalogue.v1 in the same transaction.";

export function cataloguePaths() {
  return {
    "/v1/stores": {
      get: {
        operationId: "listStores",
        summary: "The chain's stores and what each publishes",
        description: "Anyone may read it (customers and platforms ask what a store serves).",
        parameters: common,
        responses: { "200": ok("Every store's published offer.", "StoreList") },
      },
    },
    "/v1/stores/{storeId}": {
      get: {
        operationId: "getStore",
        summary: "What a store publishes: where it serves, what, how, when and at which fees",
        description: "Anyone may read it.",
        parameters: storeParameters,
        responses: { "200": ok("The store's offer.", "StoreOffer"), "404": problem("No such store.") },
      },
    },
    "/v1/stores/{storeId}/profile": {
      get: {
        operationId: "getStoreProfile",
        summary: "A store's whole profile, its internal policy included",
        description: `Review thresholds, routing, capacity, districts' locations, confirmation deadlines, who changed it last. Who: ${permissions["view-store-profile"].who}.`,
        parameters: storeParameters,
        responses: { "200": withEtag("The profile.", "StoreProfile"), "403": forbidden(permissions["view-store-profile"].who), "404": problem("No such store.") },
      },
      put: {
        operationId: "publishStoreProfile",
        summary: "Open a store, or replace its profile (close it to new orders, change its hours, fees, areas…)",
        description:
          `${published} The warehouse and fulfillment take their part from the event. The same profile again changes nothing (200, same version). ` +
          "Orders taken keep what they were taken with. Opening a store needs a chain-wide token. " +
          `Who: ${permissions["publish-store-profile"].who} (of that store).`,
        parameters: [...storeParameters, ifMatch],
        requestBody: body("StoreProfileBody", catalogueExamples.profile),
        responses: {
          "201": withEtag("Opened: the store's first version.", "StoreProfile"),
          "200": withEtag("Replaced (or unchanged when the same profile was sent).", "StoreProfile"),
          "400": problem("Wrong fields, one message each: nothing was written."),
          "403": forbidden(`${permissions["publish-store-profile"].who} of that store (opening one: working chain-wide)`),
          "412": stale,
        },
      },
    },
    "/v1/price-list": {
      get: {
        operationId: "getPriceList",
        summary: "The chain's price list",
        description:
          "The items on sale, for anyone; with includeWithdrawn=true withdrawn items too, for staff. With storeId= the list as that store charges it: its own price where it has one " +
          `(chainUnitPriceMinor then says the chain's), the chain's otherwise; 404 for no such store. Who: anyone (withdrawn items: ${permissions["list-withdrawn-items"].who}).`,
        parameters: [...queryParametersOf(PriceListQuerySchema), ...common],
        responses: { "200": ok("The items.", "PriceList"), "400": problem("Wrong query."), "403": forbidden(permissions["list-withdrawn-items"].who), "404": problem("No such store.") },
      },
    },
    "/v1/price-list/{sku}": {
      put: {
        operationId: "publishPriceListItem",
        summary: "Add an item to the price list or change it; a withdrawn item is back on sale",
        description: `${published} New orders take the new price; orders taken keep theirs. Who: ${permissions["publish-price-list-item"].who}.`,
        parameters: [skuParameter, ifMatch, ...common],
        requestBody: body("PriceListItemBody", catalogueExamples.item),
        responses: {
          "201": withEtag("Added.", "PriceListItem"),
          "200": withEtag("Changed (or unchanged when the same item was sent).", "PriceListItem"),
          "400": problem("Wrong fields, one message each: nothing was written."),
          "403": forbidden(permissions["publish-price-list-item"].who),
          "412": stale,
        },
      },
    },
    "/v1/price-list/{sku}/withdrawal": {
      post: {
        operationId: "withdrawPriceListItem",
        summary: "Take an item off sale",
        description:
          `New orders cannot name it, nor substitutions move a line to it; orders that hold it keep it. Withdrawing it again answers it as it stands. ${published} ` +
          `Who: ${permissions["withdraw-price-list-item"].who}.`,
        parameters: [skuParameter, ...common],
        requestBody: body("PriceListItemWithdrawal", catalogueExamples.withdrawal),
        responses: {
          "200": withEtag("Withdrawn.", "PriceListItem"),
          "400": problem("No reason given."),
          "403": forbidden(permissions["withdraw-price-list-item"].who),
          "404": problem("No such item on the price list."),
        },
      },
    },
    "/v1/catalogue-changes": {
      get: {
        operationId: "listCatalogueChanges",
        summary: "Who changed the catalogue, when, from what to what",
        description: `Append-only; newest first; of one store (storeId: its profile and its own prices), one item (sku: its entry on the list and every store's price of it), one marketplace's settings (platform, chain-wide callers only) or all. A store-scoped caller names one of their stores. Read a page at a time: pageSize (1–500, 100 when absent), then the answer's nextPageToken as pageToken until it is absent; the order (change id, newest first) holds across pages, so no change repeats or is skipped, and one written meanwhile is the newest, first on the next reading. limit is pageSize's name before paging, kept for callers built then. Who: ${permissions["list-catalogue-changes"].who}.`,
        parameters: [...queryParametersOf(CatalogueChangesQuerySchema), ...common],
        responses: {
          "200": ok("A page of the changes, newest first, and nextPageToken when there are more.", "CatalogueChangeList"),
          "400": problem("More than one of storeId, sku and platform, a pageSize or limit outside 1–500, both pageSize and limit, or a pageToken this list did not give; the field named."),
          "403": forbidden(permissions["list-catalogue-changes"].who),
        },
      },
    },
    ...storePricePaths(),
  };
}

export function catalogueSchemas() {
  return {
    ...storePriceSchemas(),
    StoreOffer: jsonSchemaOf(StoreOfferViewSchema, "output"),
    StoreList: jsonSchemaOf(StoreListSchema, "output"),
    StoreProfile: jsonSchemaOf(StoreProfileViewSchema, "output"),
    StoreProfileBody: jsonSchemaOf(StoreProfileBodySchema, "input"),
    PriceListItemBody: jsonSchemaOf(PriceListItemBodySchema, "input"),
    PriceListItemWithdrawal: jsonSchemaOf(WithdrawalSchema, "input"),
    PriceListItem: jsonSchemaOf(PriceListItemViewSchema, "output"),
    PriceList: jsonSchemaOf(PriceListSchema, "output"),
    CatalogueChangeList: jsonSchemaOf(CatalogueChangeListSchema, "output"),
  };
}
