import { permissions } from "../../domain/permissions.ts";
import { body, forbidden, ifMatchParameter, json, jsonSchemaOf, ok, problem, ref, requestIdHeader, skuParameter, storeParameters } from "./openapi-parts.ts";
import { StorePriceBodySchema, StorePriceListSchema, StorePriceRemovalSchema, StorePriceViewSchema } from "./store-price-schemas.ts";

/** Request examples of a store's own prices (ADR 028, addendum). */
export const storePriceExamples = {
  price: { unitPriceMinor: 23900 },
  removal: { reason: "Clearance over: back to the chain's price" },
};

const ifMatch = ifMatchParameter("The version of this store's price read");
const withEtag = (description: string) => ({
  description,
  headers: { ...requestIdHeader, ETag: { description: 'The version, e.g. "3", for If-Match.', schema: { type: "string" } } },
  content: json(ref("StorePrice")),
});
const stale = problem("If-Match named a version that is no longer the one in force (someone changed it meanwhile); nothing was written.");
const who = permissions["set-store-price"].who;
const published =
  'Written as the next version of this store\'s price of the item with who and when (GET /v1/catalogue-changes?storeId= or ?sku=), and published on oms.intake.catalogue.v1 keyed "<storeId>/<sku>" in the same transaction.';

export function storePricePaths() {
  return {
    "/v1/stores/{storeId}/prices": {
      get: {
        operationId: "listStorePrices",
        summary: "The prices a store charges instead of the chain's",
        description:
          "Anyone may read them, as the rest of what a store publishes. Only items on sale, each with the chain's price beside the store's; every other item the store charges at the chain's price (GET /v1/price-list?storeId= gives the whole list as the store charges it).",
        parameters: storeParameters,
        responses: { "200": ok("The store's own prices.", "StorePriceList"), "404": problem("No such store.") },
      },
    },
    "/v1/stores/{storeId}/prices/{sku}": {
      put: {
        operationId: "setStorePrice",
        summary: "Set the price a store charges for an item of the chain's list",
        description:
          `${published} New orders at the store are priced at it (the pre-check, substitutions and corrections alike); other stores keep the chain's price, and orders taken keep theirs. ` +
          "A removed price set again is charged again; the same price again changes nothing (200, same version). " +
          "Refused field by field: a store that does not exist (storeId), an item the chain does not list or has withdrawn (sku), a price that is not a positive whole amount (unitPriceMinor). " +
          `Who: ${who}.`,
        parameters: [...storeParameters.slice(0, 1), skuParameter, ifMatch, ...storeParameters.slice(1)],
        requestBody: body("StorePriceBody", storePriceExamples.price),
        responses: {
          "201": withEtag("Set: the store's first price of the item."),
          "200": withEtag("Changed (or unchanged when the same price was sent)."),
          "400": problem("Wrong fields, one message each: nothing was written."),
          "403": forbidden(`${who} (a store manager of another store is refused: caller.out-of-store-scope)`),
          "412": stale,
        },
      },
    },
    "/v1/stores/{storeId}/prices/{sku}/removal": {
      post: {
        operationId: "removeStorePrice",
        summary: "Put a store back on the chain's price for an item",
        description: `New orders at the store are priced at the chain's price again; orders taken at the store's keep it. Removing it again answers it as it stands. ${published} Who: ${who}.`,
        parameters: [...storeParameters.slice(0, 1), skuParameter, ifMatch, ...storeParameters.slice(1)],
        requestBody: body("StorePriceRemoval", storePriceExamples.removal),
        responses: {
          "200": withEtag("Removed: the view shows the price it last charged and the removal."),
          "400": problem("No reason given."),
          "403": forbidden(who),
          "404": problem("The store has no price of its own for the item."),
          "412": stale,
        },
      },
    },
  };
}

export function storePriceSchemas() {
  return {
    StorePriceBody: jsonSchemaOf(StorePriceBodySchema, "input"),
    StorePriceRemoval: jsonSchemaOf(StorePriceRemovalSchema, "input"),
    StorePrice: jsonSchemaOf(StorePriceViewSchema, "output"),
    StorePriceList: jsonSchemaOf(StorePriceListSchema, "output"),
  };
}
