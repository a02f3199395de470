import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ForbiddenError } from "@oms/errors";
import type { StoredItem, StoredStore } from "../../adapters/pg/catalogue-administration.ts";
import type { CatalogueDeps } from "../../app/catalogue-events.ts";
import { publishPriceListItem, withdrawPriceListItem } from "../../app/commands/publish-price-list-item.ts";
import { publishStoreProfile } from "../../app/commands/publish-store-profile.ts";
import { getStoreOffer, getStoreProfile, listCatalogueChanges, listPriceList, listStores, priceListItemView, storeProfileView } from "../../app/queries/catalogue-views.ts";
import { priceListAt } from "../../app/queries/store-price-views.ts";
import { CatalogueChangesQuerySchema, IfMatchSchema, PriceListItemBodySchema, PriceListQuerySchema, SkuParamsSchema, StoreProfileBodySchema, WithdrawalSchema } from "./catalogue-schemas.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { storeIdOf } from "./path-params.ts";
import { permittedContextOf, requestContextOf } from "./request-context-of.ts";
import { registerStorePriceRoutes } from "./store-price-routes.ts";
import { roleFirst } from "./store-scope.ts";

const skuOf = (request: FastifyRequest) => parseOrRefuse(SkuParamsSchema, request.params, "sku").sku;
const ifMatchOf = (request: FastifyRequest) => parseOrRefuse(IfMatchSchema, request.headers["if-match"], "If-Match");

/** The version as the entity tag a conditional change names in If-Match. */
const withVersion = (reply: FastifyReply, version: number) => reply.header("etag", `"${version}"`);

/** The chain's one price list is head office's: a store manager held to some stores changes none of it. */
function assertChainWide(request: FastifyRequest): void {
  if (request.storeScope.kind !== "chain") {
    throw new ForbiddenError("catalogue.price-list-chain-wide", "the price list is the chain's: only a store manager working chain-wide (head office) changes it");
  }
}

const answerStore = (reply: FastifyReply, { created, store }: { created: boolean; store: StoredStore }) =>
  withVersion(reply, store.version).code(created ? 201 : 200).send(storeProfileView(store));

const answerItem = (reply: FastifyReply, created: boolean, item: StoredItem, currency: string) =>
  withVersion(reply, item.version).code(created ? 201 : 200).send(priceListItemView(item, currency));

/**
 * The chain's stores and price list (ADR 028): what they publish, readable by anyone; the
 * stores' profiles, the price list and the trail of changes, administered by store managers.
 */
export function registerCatalogueRoutes(app: FastifyInstance, deps: CatalogueDeps): void {
  app.get("/v1/stores", async (request) => listStores(deps, requestContextOf(request)));

  // What a store publishes is anyone's: a member of staff of another store reads it as a customer would.
  app.get("/v1/stores/:storeId", { config: { readableByAnyone: true } }, async (request) => getStoreOffer(deps, requestContextOf(request), storeIdOf(request)));

  app.get("/v1/stores/:storeId/profile", roleFirst("view-store-profile"), async (request, reply) => {
    const context = permittedContextOf(request, "view-store-profile");
    const profile = await getStoreProfile(deps, context, storeIdOf(request));
    return withVersion(reply, profile.version).send(profile);
  });

  app.put("/v1/stores/:storeId/profile", roleFirst("publish-store-profile"), async (request, reply) => {
    const context = { ...permittedContextOf(request, "publish-store-profile"), chainWide: request.storeScope.kind === "chain" };
    const storeId = storeIdOf(request);
    const ifMatch = ifMatchOf(request);
    const body = parseOrRefuse(StoreProfileBodySchema, request.body);
    return answerStore(reply, await publishStoreProfile(deps, context, { profile: { storeId, ...body }, ifMatch }));
  });

  // The list on sale is anyone's, at any store's prices (storeId=): staff of another store read it as a customer would.
  app.get("/v1/price-list", { config: { readableByAnyone: true } }, async (request) => {
    const { includeWithdrawn, storeId } = parseOrRefuse(PriceListQuerySchema, request.query, "query");
    // Withdrawn items are the staff's to see (orders that hold them); the list on sale is anyone's.
    const context = includeWithdrawn === "true" ? permittedContextOf(request, "list-withdrawn-items") : requestContextOf(request);
    if (storeId !== undefined) return priceListAt(deps, storeId, includeWithdrawn === "true");
    return listPriceList(deps, context, includeWithdrawn === "true");
  });

  app.put("/v1/price-list/:sku", roleFirst("publish-price-list-item"), async (request, reply) => {
    const context = permittedContextOf(request, "publish-price-list-item");
    assertChainWide(request);
    const sku = skuOf(request);
    const ifMatch = ifMatchOf(request);
    const body = parseOrRefuse(PriceListItemBodySchema, request.body);
    const { created, item } = await publishPriceListItem(deps, context, { item: { sku, ...body }, ifMatch });
    return answerItem(reply, created, item, deps.chainCurrency);
  });

  app.post("/v1/price-list/:sku/withdrawal", roleFirst("withdraw-price-list-item"), async (request, reply) => {
    const context = permittedContextOf(request, "withdraw-price-list-item");
    assertChainWide(request);
    const sku = skuOf(request);
    const { reason } = parseOrRefuse(WithdrawalSchema, request.body);
    return answerItem(reply, false, await withdrawPriceListItem(deps, context, { sku, reason }), deps.chainCurrency);
  });

  app.get("/v1/catalogue-changes", roleFirst("list-catalogue-changes"), async (request) => {
    const context = permittedContextOf(request, "list-catalogue-changes");
    const query = parseOrRefuse(CatalogueChangesQuerySchema, request.query, "query");
    // Unset as the list's default page, the first; pageSize and limit both given is refused naming limit.
    const page = { pageSize: query.pageSize ?? 0, limit: query.limit ?? 0, pageToken: query.pageToken ?? "" };
    return listCatalogueChanges(deps, context, { storeId: query.storeId, sku: query.sku, platform: query.platform, ...page });
  });

  registerStorePriceRoutes(app, deps);
}
