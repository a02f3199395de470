import { permissions } from "../../domain/permissions.ts";
import { body, common, forbidden, jsonSchemaOf, ok, problem, queryParametersOf, reservationParameters, storeParameters } from "./openapi-parts.ts";
import {
  ExpectedReturnSchema,
  ExpectedReturnsQuerySchema,
  ExpectedReturnsSchema,
  OverdueShipmentsQuerySchema,
  OverdueShipmentsSchema,
  PackingSchema,
  PackWaveSchema,
  PickWaveSchema,
  ReservationViewSchema,
  ShipmentExceptionSchema,
  ShipmentExceptionViewSchema,
  ShippingSchema,
  ShipWaveSchema,
  StockCountSchema,
  StockLevelSchema,
  StockLevelsSchema,
  PickListQuerySchema,
  PickListSchema,
  StockQuerySchema,
  StockReceiptSchema,
  ReturnReceiptSchema,
  ReturnCallOffSchema,
  WaveOutcomesSchema,
} from "./warehouse-schemas.ts";

const unavailable = problem("The warehouse cannot answer now (retry after Retry-After).");
const noReservation = problem("No such reservation.");
const clerk = permissions["pick-reservation"].who;

const reservationStep = (operationId: string, summary: string, requestBody?: object) => ({
  post: {
    operationId,
    summary,
    description: `The warehouse's WarehouseCommands. Who: ${clerk}. The reservation id goes URL-encoded in the path (it contains slashes).`,
    parameters: reservationParameters,
    ...(requestBody ? { requestBody } : {}),
    responses: {
      "200": ok("The reservation after the step.", "Reservation"),
      ...(requestBody ? { "400": problem("Wrong fields, one message each.") } : {}),
      "403": forbidden(clerk),
      "404": noReservation,
      "409": problem("Not allowed in the reservation's current state (e.g. packing before picking)."),
      "503": unavailable,
    },
  },
});

const reservationOnList = "ORD-20261206-0001/reservation/1";

const returnCaseParameter = {
  name: "caseId",
  in: "path",
  required: true,
  description: "The after-sales case whose goods came back (an accepted return or exchange).",
  schema: { type: "string" },
  example: "cs-wang-2026-12-06-017",
};

const wave = (operationId: string, summary: string, requestBody: object) => ({
  post: {
    operationId,
    summary,
    description:
      `The warehouse's WorkWave. Who: ${clerk}. One step for up to 200 reservations (a round of the shelves with the pick list, ` +
      "a cart packed, a carrier's collection), taken together. Each reservation is answered on its own, in the order sent: " +
      "the reservation after its step, or the problem its step alone would have met (not ready, unknown, already past it) while " +
      "the others are taken. Sending a wave again after a 503 is safe: a step already taken is refused on its repeat, never taken twice.",
    parameters: common,
    requestBody,
    responses: {
      "200": ok("One outcome per reservation, in the order sent.", "WaveOutcomes"),
      "400": problem("Wrong fields (no reservations, more than 200, one sent twice), one message each; no step is taken."),
      "403": forbidden(clerk),
      "503": unavailable,
    },
  },
});

/** The warehouse clerks' steps and the store's stock. */
export function warehousePaths() {
  return {
    "/v1/reservations/{reservationId}/pick": reservationStep("pickReservation", "The clerk picked the reserved goods"),
    "/v1/reservations/{reservationId}/pack": reservationStep("packReservation", "The clerk packed and labelled them", body("Packing", { parcels: 2 })),
    "/v1/reservations/{reservationId}/ship": reservationStep(
      "shipReservation",
      "The clerk handed the parcels to a carrier; the order becomes shipped",
      body("Shipping", { carrier: "SF Express", trackingNumber: "SF1234567890" }),
    ),
    "/v1/reservation-waves/pick": wave("pickWave", "The clerk picked a round of reservations", body("PickWave", { reservations: [{ reservationId: reservationOnList }] })),
    "/v1/reservation-waves/pack": wave(
      "packWave",
      "The clerk packed and labelled a cart of reservations",
      body("PackWave", { reservations: [{ reservationId: reservationOnList, parcels: 2 }] }),
    ),
    "/v1/reservation-waves/ship": wave(
      "shipWave",
      "A carrier collected the parcels of several reservations; their orders become shipped",
      body("ShipWave", { reservations: [{ reservationId: reservationOnList, carrier: "SF Express", trackingNumber: "SF1234567890" }] }),
    ),
    "/v1/reservations/{reservationId}/rejection": {
      post: {
        operationId: "rejectReservation",
        summary: "The store turns down an order routing sent it; routing tries the next store",
        description:
          "Damaged stock, no staff: the reservation's stock is released (on the ledger with who and why) and the order goes back to " +
          "routing, which tries the stores that have not turned it down; each attempt is on the order's timeline. Only a routed order, " +
          `before it is packed. Who: ${permissions["reject-reservation"].who}.`,
        parameters: reservationParameters,
        requestBody: body("Rejection", { reason: "Both kettles on the shelf are dented; none to send" }),
        responses: {
          "200": ok("Released; the order is being routed again.", "Reservation"),
          "400": problem("No reason given."),
          "403": forbidden(permissions["reject-reservation"].who),
          "404": noReservation,
          "409": problem("Not a routed order, or already packed."),
          "503": unavailable,
        },
      },
    },
    "/v1/reservations/{reservationId}/exceptions": {
      post: {
        operationId: "reportShipmentException",
        summary: "Raise damage, loss or delay of a reservation's goods",
        description:
          "Recorded with who and when (raising is not resolving: the store's managers and customer service resolve it). The order " +
          "carries the exception and its customer is told the cause and the next step (pushed to a marketplace too). Lost and " +
          `delayed only once shipped; damaged from the pick list on. Who: ${permissions["report-shipment-exception"].who}.`,
        parameters: reservationParameters,
        requestBody: body("ShipmentException", { kind: "damaged", cause: "The kettle's lid cracked when it was picked" }),
        responses: {
          "201": ok("Raised; the next step is what the customer is told.", "ShipmentExceptionView"),
          "400": problem("Wrong fields (e.g. a delay without newEta)."),
          "403": forbidden(permissions["report-shipment-exception"].who),
          "404": problem("No such reservation."),
          "409": problem("Not applicable now (e.g. lost before it shipped, or already handed over)."),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/stock": {
      get: {
        operationId: "getStock",
        summary: "The store's stock per SKU and location",
        description: `The warehouse's StockQuery. Who: ${permissions["view-stock"].who}.`,
        parameters: [...storeParameters.slice(0, 1), ...queryParametersOf(StockQuerySchema), ...storeParameters.slice(1)],
        responses: { "200": ok("Stock levels.", "StockLevels"), "400": problem("Wrong parameters."), "403": forbidden(permissions["view-stock"].who), "503": unavailable },
      },
    },
    "/v1/stores/{storeId}/pick-list": {
      get: {
        operationId: "getPickList",
        summary: "The store's pick list: what to pick (or pack, or hand over) next, most urgent first",
        description:
          `The warehouse's ListPickList. Who: ${permissions["view-pick-list"].who}. Reservations at one step of the way out, ` +
          "ordered by the order's priority (urgent, perishable, key customer first), then by how long they have waited at that step, a page at a time: " +
          "nextPageToken (absent on the last page) continues it as pageToken, so a store with more than a page reads every reservation.",
        parameters: [...storeParameters.slice(0, 1), ...queryParametersOf(PickListQuerySchema), ...storeParameters.slice(1)],
        responses: {
          "200": ok("The list.", "PickList"),
          "400": problem("Wrong parameters (status, pageSize, limit, or both), or a pageToken the warehouse did not give."),
          "403": forbidden(permissions["view-pick-list"].who),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/overdue-shipments": {
      get: {
        operationId: "listOverdueShipments",
        summary: "The store's shipments late at a step (pick, pack or ship), oldest deadline first",
        description:
          `The warehouse's ListOverdueShipments. Who: ${permissions["list-overdue-shipments"].who}. A step not done by its deadline ` +
          "is flagged level 1 (the store's warehouse clerks are warned), and level 2 if still not done later (escalated to the store manager); " +
          "it leaves the list once done, or once the reservation is released. An exchange's replacement reserved at the store and not shipped by its deadline " +
          "is listed beside them with its caseId (ADR 030's fifth addendum), warned and escalated alike, until it ships or is called off. " +
          "A page at a time: nextPageToken (absent on the last page) continues it as pageToken.",
        parameters: [...storeParameters.slice(0, 1), ...queryParametersOf(OverdueShipmentsQuerySchema), ...storeParameters.slice(1)],
        responses: {
          "200": ok("The late shipments.", "OverdueShipments"),
          "400": problem("Wrong parameters (pageSize, limit, or both), or a pageToken the warehouse did not give."),
          "403": forbidden(permissions["list-overdue-shipments"].who),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/stock-counts": {
      post: {
        operationId: "countStock",
        summary: "A clerk counted a location; the count corrects the books",
        description: `The warehouse's CountStock. Who: ${permissions["count-stock"].who}.`,
        parameters: storeParameters,
        requestBody: body("StockCount", { sku: "KETTLE-1L7", location: "A-01-03", counted: 17, reason: "monthly count" }),
        responses: {
          "200": ok("The location's stock after the correction.", "StockLevel"),
          "400": problem("Wrong fields, one message each."),
          "403": forbidden(permissions["count-stock"].who),
          "409": problem("A count below what is reserved there."),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/stock-receipts": {
      post: {
        operationId: "receiveStock",
        summary: "Goods received at a location",
        description:
          `The warehouse's ReceiveStock. Who: ${permissions["receive-stock"].who}. A receipt is booked once by its id: sent again ` +
          "(a retry after a timeout, a double click) it books nothing more and answers the stock as it stands; another receipt under a used id is refused (409).",
        parameters: storeParameters,
        requestBody: body("StockReceipt", { receiptId: "DN-2026-0412/3", sku: "KETTLE-1L7", location: "A-01-03", quantity: 24 }),
        responses: {
          "200": ok("The location's stock after the receipt.", "StockLevel"),
          "400": problem("Wrong fields, one message each."),
          "403": forbidden(permissions["receive-stock"].who),
          "409": problem("The receipt id was booked for another receipt."),
          "503": unavailable,
        },
      },
    },
    "/v1/stores/{storeId}/expected-returns": {
      get: {
        operationId: "listExpectedReturns",
        summary: "The goods the store expects back from accepted returns and exchanges, the longest expected first",
        description:
          `The warehouse's ListExpectedReturns. Who: ${permissions["list-expected-returns"].who}. A return or exchange customer service ` +
          "accepted names the goods coming back to the order's store; each stays on the list, with what came back of it so far, until every unit is received " +
          "or the after-sales desk calls off what is still outstanding (POST /v1/returns/{caseId}/call-off). A page at a time: nextPageToken (absent on the last page) continues it as pageToken.",
        parameters: [...storeParameters.slice(0, 1), ...queryParametersOf(ExpectedReturnsQuerySchema), ...storeParameters.slice(1)],
        responses: {
          "200": ok("The returns still expected.", "ExpectedReturns"),
          "400": problem("Wrong parameters (pageSize, limit, or both), or a pageToken the warehouse did not give."),
          "403": forbidden(permissions["list-expected-returns"].who),
          "503": unavailable,
        },
      },
    },
    "/v1/returns/{caseId}/receipts": {
      post: {
        operationId: "receiveReturn",
        summary: "A clerk received a returned parcel and inspected each unit: resellable back on hand, damaged or unsellable written off",
        description:
          `The warehouse's ReceiveReturn (ADR 021). Who: ${permissions["receive-return"].who}. Resellable units go back on hand at their ` +
          "location (available to promise at once, a 'returned' movement on the ledger); damaged or unsellable ones are written off with " +
          "their condition and cause and never reach the shelves. A case's goods may come back in several parcels, each its own receipt; " +
          "together never more than the case named. The case shows what came back, and the order's timeline and dossier record it. " +
          "Sent again with the same receipt id and goods (a retry, a double click) it books nothing more and answers the return as it stands.",
        parameters: [returnCaseParameter, ...common],
        requestBody: body("ReturnReceipt", {
          receiptId: "RET-SF7788123/1",
          lines: [{ sku: "KETTLE-1L7", resellable: 0, writeOffs: [{ quantity: 1, condition: "damaged", cause: "base leaks; not fit to sell" }] }],
        }),
        responses: {
          "200": ok("The return after the receipt.", "ExpectedReturn"),
          "400": problem("Wrong fields, one message each: a SKU the case does not name, more than it still expects, a resellable line without its location, a write-off without its cause."),
          "403": forbidden(permissions["receive-return"].who),
          "404": problem("No goods are expected back for the case (not an accepted return or exchange, or its acceptance has not reached the warehouse yet)."),
          "409": problem("The receipt id was booked for other goods of the case."),
          "503": unavailable,
        },
      },
    },
    "/v1/returns/{caseId}/call-off": {
      post: {
        operationId: "callOffReturn",
        summary: "The after-sales desk calls off a return's outstanding goods: they will not come, and the store stops expecting them",
        description:
          `The warehouse's CallOffReturn (ADR 021). Who: ${permissions["call-off-return"].who} (the desk that decides the case; ` +
          "the clerks waiting for the parcel do not). For goods that will not come back: the customer kept them, the parcel was lost. " +
          "The return leaves the store's receiving list with who called it off, when and why; what came back before stays booked, and " +
          "goods that arrive after all are still received (the return is then received). The order's timeline and dossier record it. " +
          "Called off again, with any reason, it answers the return as it stands and records nothing more.",
        parameters: [returnCaseParameter, ...common],
        requestBody: body("ReturnCallOff", { reason: "Customer kept the kettle; refunded the difference instead." }),
        responses: {
          "200": ok("The return as it now stands (status called-off, or received if every unit came back meanwhile).", "ExpectedReturn"),
          "400": problem("Wrong fields, one message each: the reason missing or longer than 500 characters."),
          "403": forbidden(permissions["call-off-return"].who),
          "404": problem("No goods are expected back for the case (not an accepted return or exchange, or its acceptance has not reached the warehouse yet)."),
          "409": problem("Every unit of the case came back: nothing is left to call off (return.already-received)."),
          "503": unavailable,
        },
      },
    },
  };
}

export const warehouseSchemas = () => ({
  Packing: jsonSchemaOf(PackingSchema, "input"),
  Shipping: jsonSchemaOf(ShippingSchema, "input"),
  ShipmentException: jsonSchemaOf(ShipmentExceptionSchema, "input"),
  ShipmentExceptionView: jsonSchemaOf(ShipmentExceptionViewSchema, "output"),
  StockCount: jsonSchemaOf(StockCountSchema, "input"),
  StockReceipt: jsonSchemaOf(StockReceiptSchema, "input"),
  PickWave: jsonSchemaOf(PickWaveSchema, "input"),
  PackWave: jsonSchemaOf(PackWaveSchema, "input"),
  ShipWave: jsonSchemaOf(ShipWaveSchema, "input"),
  WaveOutcomes: jsonSchemaOf(WaveOutcomesSchema, "output"),
  Reservation: jsonSchemaOf(ReservationViewSchema, "output"),
  StockLevel: jsonSchemaOf(StockLevelSchema, "output"),
  StockLevels: jsonSchemaOf(StockLevelsSchema, "output"),
  PickList: jsonSchemaOf(PickListSchema, "output"),
  OverdueShipments: jsonSchemaOf(OverdueShipmentsSchema, "output"),
  ReturnReceipt: jsonSchemaOf(ReturnReceiptSchema, "input"),
  ReturnCallOff: jsonSchemaOf(ReturnCallOffSchema, "input"),
  ExpectedReturn: jsonSchemaOf(ExpectedReturnSchema, "output"),
  ExpectedReturns: jsonSchemaOf(ExpectedReturnsSchema, "output"),
});
