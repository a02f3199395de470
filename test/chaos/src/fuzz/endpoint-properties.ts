import fc from "fast-check";
import type pg from "pg";
import type { JsonClient } from "../../../support/http-client.ts";
import { clearAnswer, failureOf, httpRefusal, safeJson, type FuzzFigure } from "./http-properties.ts";
import type { RefusalWatch } from "./refusals.ts";
import { nearlyValidValueOf, strangeValues, valueOf, type JsonSchema } from "./schema-arbitraries.ts";
import { callerHeaders } from "@oms/testing";

/**
 * Every operation of intake's OpenAPI document, fuzzed: ids known to the system and
 * arbitrary ones in the path, query parameters and bodies of the documented shape with a
 * field broken now and then, any caller. Whatever arrives, the answer is a success or a
 * clear 4xx with problem details — never a 5xx, a hang or a dropped connection. Taken
 * from the served document, so an endpoint added tomorrow is fuzzed tomorrow.
 */
export interface Operation {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The documented path, e.g. /v1/orders/{orderId}. */
  path: string;
  pathParameters: string[];
  query: { name: string; schema: JsonSchema }[];
  body?: JsonSchema;
}

/**
 * Real ids by path parameter name (orderId, storeId, …): without them every request ends at a
 * 404. An operation may have ids of its own, under "<METHOD> <path>#<name>": a change the
 * fuzzer may well make successfully (withdrawing an item, replacing a store's profile) goes to
 * what the fuzzer owns, not to what the rest of the run orders from.
 */
export type KnownIds = Record<string, readonly string[]>;

const knownFor = (operation: Operation, name: string, known: KnownIds) => known[`${operation.method} ${operation.path}#${name}`] ?? known[name];

const methods = ["get", "post", "put", "patch", "delete"] as const;

export function operationsOf(document: JsonSchema): Operation[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const method of methods) {
      const operation = item[method] as { parameters?: unknown[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } | undefined;
      if (!operation) continue;
      const parameters = [...((item.parameters as unknown[]) ?? []), ...(operation.parameters ?? [])].map((p) => parameterOf(p, document));
      operations.push({
        method: method.toUpperCase() as Operation["method"],
        path,
        pathParameters: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
        query: parameters.filter((p) => p.in === "query").map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        ...(operation.requestBody?.content?.["application/json"]?.schema ? { body: operation.requestBody.content["application/json"].schema } : {}),
      });
    }
  }
  return operations;
}

function parameterOf(parameter: unknown, document: JsonSchema): { name: string; in: string; schema?: JsonSchema } {
  const ref = (parameter as { $ref?: unknown }).$ref;
  if (typeof ref !== "string") return parameter as { name: string; in: string; schema?: JsonSchema };
  const name = ref.replace("#/components/parameters/", "");
  const found = ((document.components as JsonSchema | undefined)?.parameters as Record<string, unknown> | undefined)?.[name];
  if (!found) throw new Error(`the document refers to parameter ${ref}, which it does not define`);
  return found as { name: string; in: string; schema?: JsonSchema };
}

/** Every staff role the services' permissions name (intake's domain/permissions.ts among them). */
export const staffRoles = [
  "order-taker",
  "customer-service",
  "warehouse-clerk",
  "store-manager",
  "supervisor",
  "reviewer",
  "finance",
  "dispatcher",
  "rider",
  "service-staff",
  "business-owner",
  "counter",
  "auditor",
];

/** Every kind of caller there is: each staff role, a customer, a platform. */
function everyCaller(known: KnownIds): string[] {
  const staffId = known.staffId?.[0] ?? "s-1";
  return [...staffRoles.map((role) => `staff:${staffId}:${role}`), "customer:c-1", "platform:taobao"];
}

/**
 * Mostly callers the operation lets in, so that requests get past the permission check
 * to the use case; now and then one it refuses, or a malformed or missing caller.
 */
function callers(permitted: readonly string[], known: KnownIds): fc.Arbitrary<string | undefined> {
  const others = fc.oneof(
    fc.constantFrom(...everyCaller(known)),
    fc.constantFrom("system:x", "staff::", "staff:s-1:NOT A ROLE", undefined),
    fc.string({ maxLength: 80 }).map((s) => s.replace(/[^\x20-\x7e]/g, "?")),
  );
  return permitted.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...permitted) }, { weight: 1, arbitrary: others }) : others;
}

/**
 * Which callers the operation lets in, asked of the running system: one well-formed
 * request per kind of caller; those not refused as `caller.not-permitted` are let in.
 */
async function permittedCallers(client: JsonClient, operation: Operation, document: JsonSchema, known: KnownIds): Promise<string[]> {
  const path = operation.pathParameters.reduce((p, name) => p.replace(`{${name}}`, encodeURIComponent(knownFor(operation, name, known)?.[0] ?? "x")), operation.path);
  const body = operation.body ? safeJson(fc.sample(valueOf(operation.body, document), { numRuns: 1, seed: 1 })[0]) : undefined;
  const permitted: string[] = [];
  for (const caller of everyCaller(known)) {
    const headers = { ...callerHeaders(caller), ...(body === undefined ? {} : { "content-type": "application/json" }) };
    const response = await client.request(operation.method, path, body, headers);
    if ((response.body as { code?: unknown } | undefined)?.code !== "caller.not-permitted") permitted.push(caller);
  }
  return permitted;
}

function pathValue(known: readonly string[] | undefined): fc.Arbitrary<string> {
  const arbitrary = fc.oneof(fc.uuid(), fc.string({ maxLength: 80 }), fc.constantFrom("..", "%00", "a".repeat(300), " "));
  const value = known?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary }) : arbitrary;
  return value.map(encodeURIComponent);
}

function requestOf(operation: Operation, document: JsonSchema, known: KnownIds, permitted: readonly string[]) {
  const query = fc.tuple(...operation.query.map(({ name, schema }) => fc.option(fc.oneof(valueOf(schema, document), strangeValues).map((v) => [name, typeof v === "string" ? v : safeJson(v)] as const), { nil: undefined })));
  const body = operation.body
    ? fc.oneof({ weight: 6, arbitrary: nearlyValidValueOf(operation.body, document).map(safeJson) }, { weight: 1, arbitrary: fc.string({ maxLength: 100 }) }, { weight: 1, arbitrary: fc.constant(undefined) })
    : fc.option(fc.jsonValue({ maxDepth: 2 }).map(safeJson), { nil: undefined, freq: 4 });
  return fc.record({
    path: fc.tuple(...operation.pathParameters.map((name) => pathValue(knownFor(operation, name, known)))).map((values) =>
      operation.pathParameters.reduce((path, name, i) => path.replace(`{${name}}`, values[i]!), operation.path),
    ),
    query: query.map((pairs) => new URLSearchParams(pairs.filter((p) => p !== undefined).map(([k, v]): [string, string] => [k, v])).toString()),
    actor: callers(permitted, known),
    body,
  });
}

export async function fuzzEveryEndpoint(
  client: JsonClient,
  document: JsonSchema,
  known: KnownIds,
  runsPerOperation: number,
  log: (message: string) => void = () => {},
  watch?: RefusalWatch,
): Promise<FuzzFigure> {
  const name = "every operation of the OpenAPI document: 2xx or 4xx problem details, never 5xx";
  const operations = operationsOf(document);
  const statuses = new Map<number, number>();
  const neverSucceeded: string[] = [];
  try {
    for (const operation of operations) {
      let succeeded = false;
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(requestOf(operation, document, known, await permittedCallers(client, operation, document, known)), async ({ path, query, actor, body }) => {
          const headers: Record<string, string> = { ...(actor === undefined ? {} : callerHeaders(actor)), ...(body === undefined ? {} : { "content-type": "application/json" }) };
          const target = query ? `${path}?${query}` : path;
          const send = () =>
            client.request(operation.method, target, body, headers).catch((error: Error) => {
              throw new Error(`${operation.method} ${shortened(target)}: no answer (${error.message})`);
            });
          const label = `${operation.method} ${shortened(target)} as ${actor ?? "nobody"}`;
          const response = watch ? await watch.send(send, (answer) => httpRefusal(label, answer)) : await send();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status < 300) succeeded = true;
          const problem = clearAnswer(response);
          if (problem) throw new Error(`${label}: ${problem}`);
        }),
        // Each run is a round trip through the services: the first counterexample is reported as found, not shrunk.
        { numRuns: runsPerOperation, endOnFailure: true },
      );
      log(`${operation.method} ${operation.path}: ${runsPerOperation} requests in ${Date.now() - started} ms`);
      if (!succeeded) neverSucceeded.push(`${operation.method} ${operation.path}`);
    }
    const answers = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}×${c}`).join(", ");
    return {
      name,
      runs: operations.length * runsPerOperation,
      figure: `${operations.length} operations × ${runsPerOperation} requests: answers ${answers}; ${neverSucceeded.length} never answered 2xx to these inputs`,
      ok: true,
    };
  } catch (error) {
    return { name, runs: operations.length * runsPerOperation, figure: failureOf(error), ok: false };
  }
}

function shortened(target: string): string {
  return target.length > 120 ? `${target.slice(0, 120)}… (${target.length} characters)` : target;
}

/**
 * Ids the running system knows, read from its schemas (a test tool may): the order the
 * fuzzer placed, its reservations and tasks once they exist, stores, price-list items, staff,
 * platforms, reviews, corrections, after-sales cases and replacements, and dossier access requests. Waits up to `waitMs` for the order's
 * task, so that the task and reservation endpoints are fuzzed on a real one, and asks for
 * access to its dossier, so that the decisions on it are fuzzed on a real request.
 */
export async function knownIdsIn(db: pg.Pool, orderId: string, client?: JsonClient, waitMs = 30_000): Promise<KnownIds> {
  const column = async (sql: string, params: unknown[] = []) => (await db.query<{ id: string }>(sql, params)).rows.map((r) => r.id);
  const deadline = Date.now() + waitMs;
  const waitFor = async (sql: string) => {
    while (Date.now() < deadline && (await column(sql, [orderId])).length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
  };
  await waitFor("SELECT task_id AS id FROM dispatch.tasks WHERE order_id = $1");
  if (client) {
    await waitFor("SELECT order_id AS id FROM archive.dossiers WHERE order_id = $1");
    const asked = await client.post(`/v1/orders/${orderId}/dossier-access-requests`, { requestId: `fuzz-${orderId}`, reason: "fuzzing" }, callerHeaders("staff:s-1:customer-service"));
    if (asked.status !== 201) throw new Error(`asking for access to the fuzzed order's dossier answered ${asked.status}: ${JSON.stringify(asked.body)}`);
  }
  return {
    orderId: [orderId, ...(await column("SELECT order_id AS id FROM intake.orders WHERE order_id <> $1 LIMIT 3", [orderId]))],
    reservationId: await column("SELECT reservation_id AS id FROM warehouse.reservations ORDER BY order_id = $1 DESC LIMIT 4", [orderId]),
    taskId: await column("SELECT task_id AS id FROM dispatch.tasks ORDER BY order_id = $1 DESC LIMIT 4", [orderId]),
    storeId: await column("SELECT store_id AS id FROM intake.stores LIMIT 4"),
    // The catalogue's changes (ADR 028) on the fuzzer's own: a withdrawal or a new price of an
    // item the run orders, or a demo store replaced, would refuse every later order.
    ...(client ? await ownCatalogue(client, orderId) : {}),
    staffId: await column("SELECT staff_id AS id FROM dispatch.staff LIMIT 6"),
    platform: await column("SELECT platform AS id FROM intake.platforms LIMIT 4"),
    reviewId: await column("SELECT review_id AS id FROM intake.reviews LIMIT 3"),
    correctionId: await column("SELECT correction_id AS id FROM intake.order_corrections LIMIT 3"),
    // Dossier access requests (the path's and the dossier query's requestId), the known order's first.
    requestId: await column("SELECT request_id AS id FROM archive.access_requests ORDER BY order_id = $1 DESC LIMIT 3", [orderId]),
    // After-sales cases, exchanges with a replacement first (ADR 030): after a run with exchanges, the replacement
    // routes are fuzzed on real ones (shipped, called off, still open), not only answered 404.
    caseId: await column(
      "SELECT case_id AS id FROM (SELECT case_id, 0 AS rank FROM warehouse.replacements UNION ALL SELECT case_id, 1 FROM after_sales.cases) c ORDER BY rank, case_id LIMIT 4",
    ),
    customerId: ["c-1"],
  };
}

/**
 * An item of the fuzzer's own on the price list, and a store id and a platform no one uses, for
 * the catalogue's changes (ownCatalogueIds).
 */
async function ownCatalogue(client: JsonClient, orderId: string): Promise<KnownIds> {
  const { sku, ids } = ownCatalogueIds(orderId);
  const headOffice = callerHeaders("staff:fuzz-hq:store-manager");
  const item = JSON.stringify({ description: "Fuzzed item", kind: "goods", unitPriceMinor: 100 });
  const priced = await client.request("PUT", `/v1/price-list/${sku}`, item, { ...headOffice, "content-type": "application/json" });
  if (priced.status !== 201 && priced.status !== 200) throw new Error(`pricing the fuzzer's own item answered ${priced.status}: ${JSON.stringify(priced.body)}`);
  return ids;
}

/**
 * The ids the catalogue's changes are fuzzed on: the fuzzer's own item (the chain's price and
 * withdrawal, and a store's own price of it, ADR 028's addendum, at whichever store: a demo
 * store's price of an item other runs order stays; its expected restock date), a store and a platform no one uses.
 */
export function ownCatalogueIds(orderId: string): { sku: string; ids: KnownIds } {
  const sku = `FUZZ-${orderId.slice(0, 8).toUpperCase()}`;
  const skus = [sku];
  return {
    sku,
    ids: {
      "PUT /v1/price-list/{sku}#sku": skus,
      "POST /v1/price-list/{sku}/withdrawal#sku": skus,
      "PUT /v1/stores/{storeId}/prices/{sku}#sku": skus,
      "POST /v1/stores/{storeId}/prices/{sku}/removal#sku": skus,
      // An expected restock date (ADR 030's second addendum) of the fuzzer's own item, which no store stocks (404, unless the
      // body names a location: then that store keeps a row of it with nothing on hand, which balances, and a date no order or
      // exchange of the run waits for — fifth addendum): a date on an item the run orders would be told to every order short
      // of it, and to the exchanges waiting for it.
      "PUT /v1/stores/{storeId}/stock/{sku}/expected-restock#sku": skus,
      "POST /v1/stores/{storeId}/stock/{sku}/expected-restock/removal#sku": skus,
      "PUT /v1/stores/{storeId}/profile#storeId": [`fuzz-store-${orderId.slice(0, 8)}`],
      // A marketplace's settings (ADR 028): a valid PUT on tmall or pinduoduo would remap the run's
      // marketplace orders; a platform of the fuzzer's own takes none (intake reads no orders from it).
      "PUT /v1/platforms/{platform}#platform": [`fuzz-${orderId.slice(0, 8).toLowerCase()}`],
    },
  };
}
