import type pg from "pg";
import { warehouseApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { getSkuAvailability } from "../../app/queries/get-sku-availability.ts";
import { getStock } from "../../app/queries/get-stock.ts";
import { listExpectedRestocks } from "../../app/queries/list-expected-restocks.ts";
import { listExpectedReturns } from "../../app/queries/list-expected-returns.ts";
import { listOverdueShipments } from "../../app/queries/list-overdue-shipments.ts";
import { listPickList } from "../../app/queries/list-pick-list.ts";
import { listReplacements } from "../../app/queries/list-replacements.ts";
import { replacementView } from "../../app/replacement-views.ts";
import { expectedReturnView } from "../../app/return-views.ts";

/** The warehouse's reads; the clock decides which expected restock dates are over. */
export function stockQueryService(pool: pg.Pool, clock: () => Date) {
  return bindService("oms.warehouse.v1.StockQuery", warehouseApi.StockQueryService, {
    getStock: (request) => getStock(pool, request),
    getSkuAvailability: (request) => getSkuAvailability(pool, request),
    listPickList: (request) => listPickList(pool, request),
    listOverdueShipments: (request) => listOverdueShipments(pool, request),
    listExpectedReturns: async (request) => {
      const { listed, nextPageToken } = await listExpectedReturns(pool, request);
      return { returns: listed.map(expectedReturnView), nextPageToken };
    },
    listReplacements: async (request) => {
      const { listed, nextPageToken } = await listReplacements(pool, request);
      return { replacements: listed.map(replacementView), nextPageToken };
    },
    listExpectedRestocks: (request) => listExpectedRestocks(pool, request, clock),
  });
}
