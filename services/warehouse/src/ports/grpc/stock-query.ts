import type pg from "pg";
import { warehouseApi } from "@oms/contracts";
import { bindService } from "@oms/grpc";
import { getStock } from "../../app/queries/get-stock.ts";
import { listOverdueShipments } from "../../app/queries/list-overdue-shipments.ts";
import { listPickList } from "../../app/queries/list-pick-list.ts";

export function stockQueryService(pool: pg.Pool) {
  return bindService("oms.warehouse.v1.StockQuery", warehouseApi.StockQueryService, {
    getStock: (request) => getStock(pool, request),
    listPickList: (request) => listPickList(pool, request),
    listOverdueShipments: (request) => listOverdueShipments(pool, request),
  });
}
