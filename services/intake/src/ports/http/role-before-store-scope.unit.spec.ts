import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@oms/contracts";
import { createLogger, createMetricsRegistry } from "@oms/observability";
import { demoChainPath, type DemoChain } from "@oms/service-kit";
import type { ResourceStores } from "../../app/resource-stores.ts";
import { openApiDocument } from "./openapi.ts";
import { buildHttpApi, type HttpApiOptions } from "./server.ts";
import { defaultLoadShedding } from "../../app/load-shedding-settings.ts";

// Every route of the gateway, in memory, asked by a member of staff held to one store, in each role: a
// role the route refuses is refused before the store scope looks up anything the request names, so
// such a caller learns nothing of which ids exist or whose they are (ADR 022, twenty-eighth session).
// The lookups are counted, not answered (everything is unknown to them, so a route the role may use
// goes on to the stubbed services and fails there, which is no matter here).

const staffRoles = [
  "rider", "service-staff", "business-owner", "order-taker", "finance", "warehouse-clerk", "store-manager",
  "reviewer", "supervisor", "customer-service", "auditor", "dispatcher", "counter",
] as const;

/** Any dependency at all: every property is another such, every call fails (no route the role may use gets far). */
const anything: unknown = new Proxy(function stub() {}, {
  get: (_target, name) => (name === "then" ? undefined : anything),
  apply: () => {
    throw new Error("a stubbed dependency was called");
  },
});

const lookedUp = new Map<string, string[]>();
const countingLookups: ResourceStores = async (kind, id, _inScope, requestId) => {
  lookedUp.set(requestId, [...(lookedUp.get(requestId) ?? []), `${kind}:${id}`]);
  return undefined;
};

let app: FastifyInstance;
let operations: { method: string; path: string }[];
beforeAll(async () => {
  const chain = JSON.parse(await readFile(demoChainPath, "utf8")) as DemoChain;
  const paths = (openApiDocument({ order: chain.demoOrder }) as { paths: Record<string, Record<string, unknown>> }).paths;
  operations = Object.entries(paths).flatMap(([path, byMethod]) =>
    Object.keys(byMethod).filter((m) => ["get", "post", "put", "delete", "patch"].includes(m)).map((method) => ({ method: method.toUpperCase(), path })),
  );
  const callers: HttpApiOptions["callers"] = async (header) => {
    if (!header) return undefined;
    const [role = "", scope] = header.replace("Bearer ", "").split("@");
    const actor: Actor = { kind: "staff", id: "probe", role };
    return { actor, scope: scope === undefined ? { kind: "chain" } : { kind: "stores", stores: new Set([scope]) }, issuedAt: 0, expiresAt: Number.MAX_SAFE_INTEGER } as never;
  };
  const given: Record<string, unknown> = { logger: createLogger({ service: "intake", level: "silent" } as never), registry: createMetricsRegistry("intake"), readiness: {}, shedding: { ...defaultLoadShedding, maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 }, callers, resourceStores: countingLookups, system: { openApi: {}, grpcAddressOf: anything } };
  app = buildHttpApi(new Proxy(given, { get: (target, name: string) => (name in target ? target[name] : anything) }) as unknown as Omit<HttpApiOptions, "host" | "port">);
  await app.ready();
});
afterAll(() => app?.close());

// Every id the hook reads, wherever it reads them: the path's, the query's and the body's.
const probeUrl = (path: string) => `${path.replace(/\{[^}]+\}/g, (name) => (name === "{storeId}" ? "store-elsewhere" : `probe-${name.slice(1, -1)}`))}?storeId=store-elsewhere&orderId=probe-order&scope=store&id=store-elsewhere`;
const probeBody = { storeId: "store-elsewhere", orderIds: ["probe-order"], reservations: [{ reservationId: "probe-reservation" }], allocations: [{ caseId: "probe-case" }] };

// Routes whose own rule gives a store-scoped caller fewer roles than a chain-wide one (every store's stock of a SKU: the
// after-sales desk wherever it works, other staff only chain-wide); they name nothing looked up.
const scopeDecidesTheRole: ReadonlySet<string> = new Set(["GET /v1/stock/{sku}/availability"]);

async function ask(method: string, path: string, authorization: string) {
  const answer = await app.inject({ method: method as "GET", url: probeUrl(path), headers: { authorization }, ...(method === "GET" || method === "DELETE" ? {} : { payload: probeBody }) });
  const code = answer.statusCode === 403 ? (answer.json() as { code?: string }).code : undefined;
  return { refusedForRole: code === "caller.not-permitted", lookups: lookedUp.get(answer.headers["x-request-id"] as string) ?? [] };
}

describe("the gateway's role before its store scope, on every route", () => {
  it("refuses a store-scoped caller whose role may not take the route's step before looking up what the request names, and only such a caller", async () => {
    const lookedUpFirst: string[] = [];
    const stricterThanTheRoute: string[] = [];
    for (const { method, path } of operations) {
      for (const role of staffRoles) {
        const scoped = await ask(method, path, `Bearer ${role}@store-jingan`);
        const chainWide = await ask(method, path, `Bearer ${role}`);
        if (chainWide.refusedForRole && scoped.lookups.length > 0) lookedUpFirst.push(`${method} ${path} as ${role}: ${scoped.lookups.join(", ")}`);
        // The step declared first is the route's own: no role the route lets through is refused ahead of it.
        if (scoped.refusedForRole && !chainWide.refusedForRole && !scopeDecidesTheRole.has(`${method} ${path}`)) stricterThanTheRoute.push(`${method} ${path} as ${role}`);
      }
    }
    expect(operations.length).toBeGreaterThan(100);
    expect(lookedUpFirst).toEqual([]);
    expect(stricterThanTheRoute).toEqual([]);
  }, 120_000);
});
