import type { FastifyInstance, FastifyRequest } from "fastify";
import { ForbiddenError } from "@oms/errors";
import { storeBearingResources, type ResourceStores, type StoreBearingResource } from "../../app/resource-stores.ts";
import { assertPermitted, type GatewayAction } from "../../domain/permissions.ts";

/**
 * Parameters naming what no one store owns: the chain's customers, a marketplace, a line of a
 * reconciliation (its run is scoped), an item of the chain's one price list (whose routes
 * themselves admit only staff working chain-wide, ADR 028).
 */
const chainLevel: ReadonlySet<string> = new Set(["customerId", "platform", "differenceId", "sku"]);

/** Lists of every store's records unless asked for one store's: a store-scoped caller names one of theirs. */
const listsAcrossStores: ReadonlySet<string> = new Set([
  "GET /v1/orders",
  "GET /v1/reviews",
  "GET /v1/corrections",
  "GET /v1/after-sales-cases",
  // The catalogue's trail (ADR 028): an item's changes are the chain's, so a scoped caller names a store of theirs.
  "GET /v1/catalogue-changes",
]);

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The route answers what anyone may read, a customer without an account included (a
     * store's published offer, ADR 028): a store-scoped member of staff reads it as anyone
     * would, whichever store it names. Only for reads that show nothing beyond what is public.
     */
    readableByAnyone?: boolean;
    /**
     * Only staff working chain-wide may use the route (disposing of dossiers, ADR 029): a
     * store-scoped caller is refused before anything the request names is looked up.
     */
    chainWideOnly?: boolean;
    /**
     * What a path parameter names on this route when its name alone would say otherwise: a
     * replacement's shipment names it by its case's id, but is the work of the store the
     * replacement ships from, not of the case's (ADR 030's third addendum).
     */
    scopedAs?: Readonly<Record<string, StoreBearingResource>>;
    /**
     * What the query names when a parameter's meaning depends on another's (the KPIs' `id` is a
     * store's, a person's or a team's by `scope`): the resources to hold a scoped caller to, or
     * undefined when what it names is tied to no store (refused to a scoped caller, as an
     * unknown parameter is).
     */
    scopedQuery?: (query: Readonly<Record<string, unknown>>) => readonly NamedResource[] | undefined;
    /**
     * The step the route takes, checked against the caller's role before anything the request
     * names is looked up: one who may not take it learns nothing of which of the named
     * resources exist or whose they are (a carrier remittance names many cases; ADR 017,
     * twenty-sixth session), nor a person's (whose ids are names: ADR 022, twenty-seventh session).
     * A function when whose resource it is decides the step (a person's own worklist or another's).
     */
    permittedFirst?: GatewayAction | ((request: FastifyRequest) => GatewayAction);
    /**
     * The route holds a store-scoped caller to their stores itself, from what it reads (a
     * remittance named by finance's reference: in scope only when every claim it paid is, and
     * otherwise answered as unknown). The hook leaves the route's parameters to it.
     */
    scopedByRoute?: boolean;
  }
}

/**
 * A route's options that check the caller's role for its step before the store scope looks up
 * what the request names: for resources whose ids a caller may guess (a person's name, a case's
 * id the desk chose), so one who may not take the step learns nothing of where they are.
 */
export const roleFirst = (action: GatewayAction) => ({ config: { permittedFirst: action } }) as const;

const isStoreBearing = (name: string): name is StoreBearingResource => (storeBearingResources as readonly string[]).includes(name);

export interface NamedResource {
  kind: StoreBearingResource;
  id: string;
}

/**
 * What the request names, wherever it names it: the path and the query (each on its own: a
 * query parameter must not hide the path's of the same name), and the body's `storeId`, a bulk
 * closing's `orderIds`, a wave's `reservations` and a carrier remittance's `allocations`.
 */
function namedResources(request: FastifyRequest): NamedResource[] {
  const named: NamedResource[] = [];
  const add = (kind: StoreBearingResource, value: unknown) => {
    if (typeof value === "string" && value !== "") named.push({ kind, id: value });
  };
  const scopedAs = request.routeOptions.config.scopedAs ?? {};
  for (const [name, value] of Object.entries((request.params ?? {}) as object)) {
    const kind = scopedAs[name] ?? name;
    if (isStoreBearing(kind)) add(kind, value);
  }
  const query = (request.query ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(query)) if (isStoreBearing(name)) add(name, value);
  const { scopedQuery } = request.routeOptions.config;
  if (scopedQuery) {
    const inQuery = scopedQuery(query);
    if (inQuery === undefined) throw new ForbiddenError("caller.store-scope-unknown", "what this query names is not tied to a store; only staff working chain-wide may ask for it");
    for (const { kind, id } of inQuery) add(kind, id);
  }
  const body = request.body;
  if (typeof body === "object" && body !== null && !Buffer.isBuffer(body)) {
    const { storeId, orderIds, reservations, allocations } = body as { storeId?: unknown; orderIds?: unknown; reservations?: unknown; allocations?: unknown };
    add("storeId", storeId);
    if (Array.isArray(orderIds)) for (const orderId of orderIds) add("orderId", orderId);
    if (Array.isArray(reservations)) {
      for (const item of reservations) add("reservationId", typeof item === "object" && item !== null ? (item as { reservationId?: unknown }).reservationId : item);
    }
    // A carrier remittance's claims, each by its case (ADR 017, twenty-fifth session).
    if (Array.isArray(allocations)) for (const item of allocations) if (typeof item === "object" && item !== null) add("caseId", (item as { caseId?: unknown }).caseId);
  }
  return named;
}

/**
 * Holds a store-scoped caller (a member of staff whose token names the stores they work at)
 * to those stores, on every route, before the route runs: whatever a request names — a store,
 * an order, a reservation, a task, a person, a review, a correction, a case, a reconciliation,
 * a dossier request, a settlement dispute, a force-majeure declaration — must belong to one of them. A parameter this does not know is refused
 * to a scoped caller rather than let through (a new route is closed until it is taught here).
 * Staff working chain-wide and customers pass untouched: what is a customer's own is checked
 * order by order where it is read.
 */
export function registerStoreScope(app: FastifyInstance, storesOf: ResourceStores): void {
  app.addHook("preHandler", async (request: FastifyRequest) => {
    const scope = request.storeScope;
    const { callerProvenByRoute, readableByAnyone, chainWideOnly, permittedFirst, scopedByRoute } = request.routeOptions.config;
    if (scope.kind === "chain" || callerProvenByRoute || readableByAnyone) return;
    if (permittedFirst) assertPermitted(request.caller, typeof permittedFirst === "function" ? permittedFirst(request) : permittedFirst);
    if (scopedByRoute) return;
    const yours = [...scope.stores].join(", ");
    if (chainWideOnly) throw new ForbiddenError("caller.chain-wide-only", `only staff working chain-wide may use this route (you work at ${yours})`);
    const inScope = (storeId: string) => scope.stores.has(storeId);
    for (const name of Object.keys(request.params as object)) {
      if (!isStoreBearing(name) && !chainLevel.has(name)) {
        throw new ForbiddenError("caller.store-scope-unknown", `this route names a ${name}, which is not yet tied to a store; only staff working chain-wide may use it`);
      }
    }
    const named = namedResources(request);
    if (named.length === 0 && listsAcrossStores.has(`${request.method} ${request.routeOptions.url}`)) {
      throw new ForbiddenError("caller.store-scope-required", `name one of your stores with storeId (you work at ${yours})`);
    }
    for (const { kind, id } of named) {
      // One's own worklist is one's own, wherever one works.
      if (kind === "staffId" && request.caller.id === id) continue;
      const stores = await storesOf(kind, id, inScope, request.id);
      if (stores !== undefined && !stores.some(inScope)) {
        throw new ForbiddenError("caller.out-of-store-scope", `${kind.replace(/Id$/, "")} ${id} is not one of your stores' (you work at ${yours})`);
      }
    }
  });
}
