import { permissions } from "../../domain/permissions.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem, queryParametersOf, skuParameter, storeParameters } from "./openapi-parts.ts";
import { ReplacementCallOffSchema, ReplacementMoveSchema, ReplacementSchema, ReplacementShippingSchema, ReplacementsQuerySchema, ReplacementsSchema, SkuAvailabilitySchema } from "./replacement-schemas.ts";

const unavailable = problem("The warehouse cannot answer now (retry after Retry-After).");
const noReplacement = problem("The case has no replacement (not an accepted exchange, or its acceptance has not reached the warehouse yet).");

const replacementCaseParameter = {
  name: "caseId",
  in: "path",
  required: true,
  description: "The accepted exchange whose replacement goods leave the order's store.",
  schema: { type: "string" },
  example: "cs-wang-2026-12-06-018",
};

/** An exchange's replacement goods leaving the store (ADR 030): the store's list, a clerk's shipment, the desk's call-off. */
export function replacementPaths() {
  return {
    "/v1/stores/{storeId}/replacements": {
      get: {
        operationId: "listReplacements",
        summary: "The exchanges' replacements the store has to ship, reserved or awaiting stock, the oldest first",
        description:
          `The warehouse's ListReplacements. Who: ${permissions["list-replacements"].who}. An exchange customer service accepted sends ` +
          "replacement goods from the order's store: its units are reserved when the acceptance reaches the warehouse, or, when the store " +
          "could not promise them then, it waits for stock (a clerk's shipment reserves them once they have come). Each stays on the list " +
          "until it is shipped (POST /v1/replacements/{caseId}/shipment) or the after-sales desk calls it off (POST /v1/replacements/{caseId}/call-off). " +
          "A page at a time: nextPageToken (absent on the last page) continues it as pageToken.",
        parameters: [...storeParameters.slice(0, 1), ...queryParametersOf(ReplacementsQuerySchema), ...storeParameters.slice(1)],
        responses: {
          "200": ok("The replacements still to ship.", "Replacements"),
          "400": problem("Wrong parameters (pageSize, limit, or both), or a pageToken the warehouse did not give."),
          "403": forbidden(`${permissions["list-replacements"].who}; or a store not yours`),
          "503": unavailable,
        },
      },
    },
    "/v1/replacements/{caseId}/pick": {
      post: {
        operationId: "pickReplacement",
        summary: "A clerk picked an exchange's replacement: the first of its steps out, as an order's pick",
        description:
          `The warehouse's PickReplacement (ADR 030's seventh addendum). Who: ${permissions["pick-replacement"].who}; held to the store the replacement ships from, as its shipment. ` +
          "No body. One awaiting stock is reserved by its pick when the stock is there now, or refused naming each SKU short. The pick's time node is met and the pack's starts. " +
          "Picked before, it answers as recorded, also once called off since. The case and the order's timeline show it.",
        parameters: [replacementCaseParameter, ...common],
        responses: {
          "200": ok("The replacement, picked.", "Replacement"),
          "400": problem("A body was sent."),
          "403": forbidden(`${permissions["pick-replacement"].who}; or a replacement that ships from a store not yours (caller.out-of-store-scope)`),
          "404": noReplacement,
          "409": problem("Not picked: still short of stock (replacement.out-of-stock); shipped without a pick on record (replacement.already-shipped); called off before it was picked (replacement.called-off)."),
          "503": unavailable,
        },
      },
    },
    "/v1/replacements/{caseId}/pack": {
      post: {
        operationId: "packReplacement",
        summary: "A clerk packed a picked replacement into parcels: it gets its label",
        description:
          `The warehouse's PackReplacement (ADR 030's seventh addendum). Who: ${permissions["pack-replacement"].who}; held to the store the replacement ships from. ` +
          "The pack's time node is met and the ship's starts. The same parcels again answer as recorded, also once called off since.",
        parameters: [replacementCaseParameter, ...common],
        requestBody: body("Packing", { parcels: 1 }),
        responses: {
          "200": ok("The replacement, packed, with its label.", "Replacement"),
          "400": problem("Wrong fields: parcels not a whole number from 1 to 100."),
          "403": forbidden(`${permissions["pack-replacement"].who}; or a replacement that ships from a store not yours (caller.out-of-store-scope)`),
          "404": noReplacement,
          "409": problem("Not packed: not picked yet (replacement.not-picked); packed before in other parcels (replacement.already-packed); shipped (replacement.already-shipped); called off before it was packed in these parcels (replacement.called-off)."),
          "503": unavailable,
        },
      },
    },
    "/v1/replacements/{caseId}/shipment": {
      post: {
        operationId: "shipReplacement",
        summary: "A clerk handed an exchange's replacement to a carrier: its units leave stock",
        description:
          `The warehouse's ShipReplacement (ADR 030). Who: ${permissions["ship-replacement"].who}; a store-scoped clerk only for the store the replacement ships from — the order's, or the one the desk sent it from (ADR 030's third addendum) — which the warehouse checks again as the replacement stands, so a clerk of the store it left is refused even before the case has heard of the move. ` +
          "The carrier and tracking number are checked as an order's shipment checks them. Only a packed replacement ships (its pick and pack " +
          "first, ADR 030's seventh addendum); one opened before the steps ships from reserved in one go, and reserved at once if it still awaited stock. " +
          "Reserved units leave the store ('shipped' movements naming the order and the case). The case shows the carrier and tracking number, and the order's timeline and dossier record it; the order's " +
          "status does not change (a marketplace is not sent a status). The case id is the shipment's: sent again with the same carrier and " +
          "tracking number (a retry) it answers the replacement as it stands; another parcel for a shipped one is refused.",
        parameters: [replacementCaseParameter, ...common],
        requestBody: body("ReplacementShipping", { carrier: "SF Express", trackingNumber: "SF1402367788" }),
        responses: {
          "200": ok("The replacement, shipped.", "Replacement"),
          "400": problem("Wrong fields, one message each: the carrier or tracking number missing or malformed."),
          "403": forbidden(`${permissions["ship-replacement"].who}; or a replacement that ships from a store not yours (caller.out-of-store-scope)`),
          "404": noReplacement,
          "409": problem(
            "Not shipped: not yet picked and packed (replacement.not-packed); one from before the steps still short of stock, naming each SKU (replacement.out-of-stock); " +
              "shipped before with another carrier or tracking number (replacement.already-shipped); called off (replacement.called-off).",
          ),
          "503": unavailable,
        },
      },
    },
    "/v1/replacements/{caseId}/call-off": {
      post: {
        operationId: "callOffReplacement",
        summary: "The after-sales desk calls an exchange's replacement off before it ships: its reservation is released",
        description:
          `The warehouse's CallOffReplacement (ADR 030). Who: ${permissions["call-off-replacement"].who} (the desk that decides the case; ` +
          "the clerks do not). Whatever was reserved for it is available again ('released' movements naming the order and the case); it " +
          "leaves the store's list with who called it off, when and why, and the case and the order's timeline show it (without the reason). " +
          "Called off again, with any reason, it answers as it stands and records nothing more.",
        parameters: [replacementCaseParameter, ...common],
        requestBody: body("ReplacementCallOff", { reason: "Customer took a refund instead." }),
        responses: {
          "200": ok("The replacement, called off.", "Replacement"),
          "400": problem("Wrong fields, one message each: the reason missing or longer than 500 characters."),
          "403": forbidden(`${permissions["call-off-replacement"].who}; or a case of a store not yours`),
          "404": noReplacement,
          "409": problem("It shipped already: the goods are with the carrier (replacement.already-shipped)."),
          "503": unavailable,
        },
      },
    },
    "/v1/stock/{sku}/availability": {
      get: {
        operationId: "getSkuAvailability",
        summary: "Which stores have a SKU, and how many each can still promise",
        description:
          `The warehouse's GetSkuAvailability (ADR 030, third addendum). Who: ${permissions["view-stock-availability"].who}; the desk of any ` +
          "store sees every store (it may send a waiting replacement from any of them), other staff only when working chain-wide. Every " +
          "store stocking the SKU, the most available first: available is what a reservation could take now (per location on hand less " +
          "reserved less safety stock, none below zero), read as it stands; the move itself decides on the locked stock.",
        parameters: [skuParameter, ...common],
        responses: {
          "200": ok("Every store stocking the SKU (none when no store does).", "SkuAvailability"),
          "400": problem("A SKU longer than 64 characters."),
          "403": forbidden(permissions["view-stock-availability"].who),
          "503": unavailable,
        },
      },
    },
    "/v1/replacements/{caseId}/move": {
      post: {
        operationId: "moveReplacement",
        summary: "The after-sales desk sends a replacement awaiting stock from another store that has the goods",
        description:
          `The warehouse's MoveReplacement (ADR 030, third addendum). Who: ${permissions["move-replacement"].who}; a store-scoped one only for a ` +
          "case of their store, to any store. Only a replacement awaiting stock moves, and only to a store that can reserve every line now " +
          "(the same all-or-nothing allocation as at the acceptance, never the safety stock): in one step its units are reserved there " +
          "('reserved' movements naming that store, the order and the case), it leaves the order's store's list and appears on the new " +
          "store's (GET /v1/stores/{storeId}/replacements) for its clerks to ship; the case shows the store it ships from " +
          "(replacementStoreId) and the order's timeline says so. The goods coming back are still expected at the order's store. The same " +
          "desk member moving it to the same store again (a retry) gets it as it stands. Which stores have a SKU: GET /v1/stock/{sku}/availability.",
        parameters: [replacementCaseParameter, ...common],
        requestBody: body("ReplacementMove", { toStoreId: "store-pudong-02", reason: "Pudong has the kettle on its shelf; our delivery is three weeks out." }),
        responses: {
          "200": ok("The replacement, reserved at the new store.", "Replacement"),
          "400": problem("Wrong fields, one message each: toStoreId missing, the reason missing or longer than 500 characters."),
          "403": forbidden(`${permissions["move-replacement"].who}; or a case of a store not yours`),
          "404": problem("The case has no replacement (replacement.not-found), or the warehouse knows no such store (store.unknown)."),
          "409": problem(
            "Not moved, nothing written: that store cannot reserve every line now, naming each SKU with what it needs and what is available " +
              "(replacement.out-of-stock); that store's profile says it takes no orders (store.not-accepting-orders, the store named); " +
              "it waits at that store already (replacement.same-store); it is no longer awaiting stock — reserved " +
              "(replacement.not-awaiting-stock), shipped (replacement.already-shipped) or called off (replacement.called-off).",
          ),
          "503": unavailable,
        },
      },
    },
  };
}

export const replacementSchemas = () => ({
  ReplacementShipping: jsonSchemaOf(ReplacementShippingSchema, "input"),
  ReplacementCallOff: jsonSchemaOf(ReplacementCallOffSchema, "input"),
  ReplacementMove: jsonSchemaOf(ReplacementMoveSchema, "input"),
  Replacement: jsonSchemaOf(ReplacementSchema, "output"),
  Replacements: jsonSchemaOf(ReplacementsSchema, "output"),
  SkuAvailability: jsonSchemaOf(SkuAvailabilitySchema, "output"),
});
