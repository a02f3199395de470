import { permissions } from "../../domain/permissions.ts";
import { body, forbidden, jsonSchemaOf, ok, problem, queryParametersOf, skuParameter, storeParameters } from "./openapi-parts.ts";
import { ExpectedRestockBodySchema, ExpectedRestockRemovalSchema, ExpectedRestockSchema, ExpectedRestockItemSchema, ExpectedRestocksQuerySchema, ExpectedRestocksSchema } from "./expected-restock-schemas.ts";

/** Request examples of an expected restock date (ADR 030's second addendum). */
export const expectedRestockExamples = {
  date: { date: "2026-12-15" },
  removal: { reason: "The supplier cancelled the delivery and gives no new day" },
};

const who = permissions["record-expected-restock"].who;
const unavailable = problem("The warehouse cannot answer now (retry after Retry-After).");
const unknown = problem(
  "The warehouse knows no such store (store.unknown), or the store has no location of the SKU on record and the body names none (stock.sku-not-stocked: name the location its delivery will be shelved at, or book a receipt or a count first).",
);
const told =
  "Every location of the SKU at the store carries it (GET /v1/stores/{storeId}/stock shows it), so the next order short of it is told it; the warehouse keeps who said it and when, " +
  "publishes RestockExpected on oms.warehouse.stock.v1, and, in the same transaction, ReplacementRestockExpected for each exchange's replacement at the store waiting for the SKU, " +
  "so its case shows when the whole replacement can come; each order waiting for the SKU there gets the news on its timeline.";

const listWho = permissions["list-expected-restocks"].who;

/** A SKU's expected restock date at a store, set and cleared by the store's clerks and managers, and the store's list of them. */
export function expectedRestockPaths() {
  const parameters = [...storeParameters.slice(0, 1), skuParameter, ...storeParameters.slice(1)];
  return {
    "/v1/stores/{storeId}/expected-restocks": {
      get: {
        operationId: "listExpectedRestocks",
        summary: "The store's expected deliveries, the dates already over first",
        description:
          "The warehouse's ListExpectedRestocks: every SKU at the store with an expected restock date, with who last recorded it and when, " +
          "what is available, and the exchanges' replacements waiting for it with the units they lack (orders' backorders are fulfillment's, not counted). " +
          "Nothing expires a date that passes without goods — shortages keep telling it until someone records another or clears it, or goods arrive — " +
          "so overdue (the day is over in every time zone, before today at UTC-12: the rule that refuses recording it) marks the ones to chase; " +
          `those first, the longest over first, then the coming ones by date. Who: ${listWho}.`,
        parameters: [...storeParameters.slice(0, 1), ...queryParametersOf(ExpectedRestocksQuerySchema), ...storeParameters.slice(1)],
        responses: {
          "200": ok("The store's SKUs with an expected date.", "ExpectedRestocks"),
          "400": problem("A query value other than true or false for overdueOnly, or an unknown query parameter, named."),
          "403": forbidden(`${listWho} (another store's clerk or manager is refused: caller.out-of-store-scope)`),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/stock/{sku}/expected-restock": {
      put: {
        operationId: "recordExpectedRestock",
        summary: "Say when a SKU is expected back in stock at the store",
        description:
          `The warehouse's RecordExpectedRestock. ${told} The same date again changes nothing (changed: false). ` +
          "A store introducing a product it has never stocked names the location its delivery will be shelved at (location): that row is put on record with nothing on hand, and carries the date; " +
          "the warehouse does not hold the price list, so any SKU of at most 64 characters is taken. " +
          `Refused: a date that is not a calendar day YYYY-MM-DD, or a day already over in every time zone, i.e. before today at UTC-12, so that any store's own today is accepted (400, stock.invalid-restock-date, naming date). Who: ${who}.`,
        parameters,
        requestBody: body("ExpectedRestockBody", expectedRestockExamples.date),
        responses: {
          "200": ok("The date as it now stands, with the SKU's locations.", "ExpectedRestock"),
          "400": problem("Wrong fields, one message each: nothing was written."),
          "403": forbidden(`${who} (another store's clerk or manager is refused: caller.out-of-store-scope)`),
          "404": unknown,
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/stock/{sku}/expected-restock/removal": {
      post: {
        operationId: "clearExpectedRestock",
        summary: "Say a SKU is no longer expected back on a known day",
        description: `The warehouse's ClearExpectedRestock: the date is cleared, with why. ${told} Cleared again (or never set), it answers as it stands (changed: false). Who: ${who}.`,
        parameters,
        requestBody: body("ExpectedRestockRemoval", expectedRestockExamples.removal),
        responses: {
          "200": ok("No date any more, with the SKU's locations.", "ExpectedRestock"),
          "400": problem("No reason given, or one over 500 characters."),
          "403": forbidden(who),
          "404": unknown,
          "503": unavailable,
        },
      },
    },
  };
}

export function expectedRestockSchemas() {
  return {
    ExpectedRestockBody: jsonSchemaOf(ExpectedRestockBodySchema, "input"),
    ExpectedRestockRemoval: jsonSchemaOf(ExpectedRestockRemovalSchema, "input"),
    ExpectedRestock: jsonSchemaOf(ExpectedRestockSchema, "output"),
    ExpectedRestocks: jsonSchemaOf(ExpectedRestocksSchema, "output"),
    ExpectedRestockItem: jsonSchemaOf(ExpectedRestockItemSchema, "output"),
  };
}
