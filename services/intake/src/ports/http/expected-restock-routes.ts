import type { FastifyInstance, FastifyRequest } from "fastify";
import { clearExpectedRestock, recordExpectedRestock } from "../../app/commands/record-expected-restock.ts";
import type { WarehouseDeps } from "../../app/commands/pick-reservation.ts";
import { listExpectedRestocks } from "../../app/queries/list-expected-restocks.ts";
import { ExpectedRestockBodySchema, ExpectedRestockParamsSchema, ExpectedRestockRemovalSchema, ExpectedRestocksQuerySchema } from "./expected-restock-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { storeIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { roleFirst } from "./store-scope.ts";

const pairOf = (request: FastifyRequest) => parseOrRefuse(ExpectedRestockParamsSchema, request.params, "path");

/**
 * When a SKU is expected back in stock at a store (ADR 030's second addendum), asked of the
 * warehouse as the caller. Shaped as a store's own price (ADR 028): PUT sets it, a removal
 * clears it explicitly; the store's list shows which dates passed. The store scope holds a clerk or manager of some stores to those,
 * through the path's storeId, before the route runs.
 */
export function registerExpectedRestockRoutes(app: FastifyInstance, deps: WarehouseDeps): void {
  app.put("/v1/stores/:storeId/stock/:sku/expected-restock", roleFirst("record-expected-restock"), async (request) => {
    const context = permittedContextOf(request, "record-expected-restock");
    const { storeId, sku } = pairOf(request);
    return recordExpectedRestock(deps, context, storeId, sku, parseOrRefuse(ExpectedRestockBodySchema, request.body));
  });

  app.post("/v1/stores/:storeId/stock/:sku/expected-restock/removal", roleFirst("record-expected-restock"), async (request) => {
    const context = permittedContextOf(request, "record-expected-restock");
    const { storeId, sku } = pairOf(request);
    const { reason } = parseOrRefuse(ExpectedRestockRemovalSchema, request.body);
    return clearExpectedRestock(deps, context, storeId, sku, reason);
  });

  // The dates to chase: every SKU of the store with one, those already over first.
  app.get("/v1/stores/:storeId/expected-restocks", roleFirst("list-expected-restocks"), async (request) => {
    const context = permittedContextOf(request, "list-expected-restocks");
    const storeId = storeIdOf(request);
    const { overdueOnly } = parseOrRefuse(ExpectedRestocksQuerySchema, request.query, "query");
    return listExpectedRestocks(deps, context, storeId, { overdueOnly: overdueOnly === "true" });
  });
}
