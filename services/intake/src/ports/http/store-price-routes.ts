import type { FastifyInstance, FastifyRequest } from "fastify";
import type { CatalogueDeps } from "../../app/catalogue-events.ts";
import { removeStorePrice, setStorePrice } from "../../app/commands/set-store-price.ts";
import { listStorePrices, storePriceView } from "../../app/queries/store-price-views.ts";
import { IfMatchSchema } from "./catalogue-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { storeIdOf } from "./path-params.ts";
import { permittedContextOf, requestContextOf } from "./request-context-of.ts";
import { StorePriceBodySchema, StorePriceParamsSchema, StorePriceRemovalSchema } from "./store-price-schemas.ts";
import { roleFirst } from "./store-scope.ts";

const pairOf = (request: FastifyRequest) => parseOrRefuse(StorePriceParamsSchema, request.params, "path");
const ifMatchOf = (request: FastifyRequest) => parseOrRefuse(IfMatchSchema, request.headers["if-match"], "If-Match");

/**
 * A store's own prices (ADR 028, addendum). Setting and removing one is the store manager's:
 * the store scope (ports/http/store-scope.ts) holds a manager working at some stores to those,
 * through the path's storeId, before the route runs; head office (chain-wide) sets any. The
 * list is anyone's, like the rest of what a store publishes.
 */
export function registerStorePriceRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  app.get("/v1/stores/:storeId/prices", { config: { readableByAnyone: true } }, async (request) => listStorePrices(deps, requestContextOf(request), storeIdOf(request)));

  app.put("/v1/stores/:storeId/prices/:sku", roleFirst("set-store-price"), async (request, reply) => {
    const context = permittedContextOf(request, "set-store-price");
    const { storeId, sku } = pairOf(request);
    const ifMatch = ifMatchOf(request);
    const { unitPriceMinor } = parseOrRefuse(StorePriceBodySchema, request.body);
    const { created, price } = await setStorePrice(deps, context, { price: { storeId, sku, unitPriceMinor }, ifMatch });
    return reply
      .header("etag", `"${price.version}"`)
      .code(created ? 201 : 200)
      .send(storePriceView(price, deps.chainCurrency));
  });

  app.post("/v1/stores/:storeId/prices/:sku/removal", roleFirst("set-store-price"), async (request, reply) => {
    const context = permittedContextOf(request, "set-store-price");
    const { storeId, sku } = pairOf(request);
    const ifMatch = ifMatchOf(request);
    const { reason } = parseOrRefuse(StorePriceRemovalSchema, request.body);
    const price = await removeStorePrice(deps, context, { storeId, sku, reason, ifMatch });
    return reply.header("etag", `"${price.version}"`).send(storePriceView(price, deps.chainCurrency));
  });
}
