import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@oms/contracts";
import type { StoreScope } from "@oms/identity";
import type { ResourceStores } from "../../app/resource-stores.ts";
import { registerCallerAuthentication } from "./caller-identity.ts";
import { registerProblemDetails } from "./problem-details.ts";
import { registerStoreScope } from "./store-scope.ts";

// The hook alone, in memory: callers are named by a stand-in verifier ("Bearer <actor>@<stores>"),
// and resources belong to the stores this table says.
const owners: Record<string, readonly string[]> = {
  "orderId:o-jingan": ["store-jingan"],
  "orderId:o-routed": ["store-jingan", "store-pudong"],
  "reservationId:o-pudong/reservation/1": ["store-pudong"],
  "reservationId:o-jingan/reservation/1": ["store-jingan"],
  "staffId:rider-pudong": ["store-pudong"],
  "caseId:case-jingan": ["store-jingan"],
  "caseId:case-pudong": ["store-pudong"],
};
const asked: string[] = [];
const storesOf: ResourceStores = async (kind, id) => {
  asked.push(`${kind}:${id}`);
  return kind === "storeId" ? [id] : owners[`${kind}:${id}`];
};

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  registerProblemDetails(app);
  registerCallerAuthentication(app, async (header) => {
    if (!header) return undefined;
    const [who = "", stores] = header.replace("Bearer ", "").split("@");
    const [kind, id = "", role = kind] = who.split(":") as [Actor["kind"], string, string?];
    const scope: StoreScope = stores === undefined ? { kind: "chain" } : { kind: "stores", stores: new Set(stores.split(",")) };
    return { actor: { kind, id, role }, scope };
  });
  registerStoreScope(app, storesOf);
  const ok = async () => ({ ok: true });
  app.get("/v1/orders/:orderId", ok);
  app.get("/v1/orders", ok);
  app.get("/v1/stores/:storeId/pick-list", ok);
  app.post("/v1/reservation-waves/pick", ok);
  app.post("/v1/carrier-remittances", { config: { permittedFirst: "record-carrier-remittance" } }, ok);
  app.post("/v1/orders", ok);
  app.post("/v1/orders/closing", ok);
  app.get("/v1/staff/:staffId/tasks", ok);
  app.get("/v1/customers/:customerId/credit", ok);
  app.get("/v1/gadgets/:gadgetId", ok);
  app.post("/v1/dossier-disposals", { config: { chainWideOnly: true } }, ok);
  await app.ready();
});
afterAll(() => app.close());

const as = (caller: string) => ({ authorization: `Bearer ${caller}` });
const get = (url: string, caller: string) => app.inject({ method: "GET", url, headers: as(caller) });
const post = (url: string, caller: string, payload: unknown) => app.inject({ method: "POST", url, headers: as(caller), payload: payload as object });
const codeOf = async (answer: Promise<{ statusCode: number; json(): { code?: string } }>) => {
  const { statusCode, json } = await answer;
  return statusCode === 200 ? 200 : `${statusCode} ${json().code}`;
};

describe("a store-scoped caller", () => {
  const jinganManager = "staff:m-1:store-manager@store-jingan";

  it("acts on what belongs to one of their stores, an order served from theirs too", async () => {
    expect(await codeOf(get("/v1/orders/o-jingan", jinganManager))).toBe(200);
    expect(await codeOf(get("/v1/orders/o-routed", "staff:c-2:warehouse-clerk@store-pudong"))).toBe(200);
    expect(await codeOf(get("/v1/stores/store-jingan/pick-list", jinganManager))).toBe(200);
  });

  it("is refused what belongs to other stores, wherever the request names it", async () => {
    expect(await codeOf(get("/v1/orders/o-jingan", "staff:m-2:store-manager@store-pudong"))).toBe("403 caller.out-of-store-scope");
    expect(await codeOf(get("/v1/stores/store-pudong/pick-list", jinganManager))).toBe("403 caller.out-of-store-scope");
    expect(await codeOf(get("/v1/orders?storeId=store-pudong", jinganManager))).toBe("403 caller.out-of-store-scope");
    expect(await codeOf(post("/v1/orders", "staff:ot-1:order-taker@store-jingan", { storeId: "store-pudong" }))).toBe("403 caller.out-of-store-scope");
    // One reservation of another store in a wave is enough.
    const wave = { reservations: [{ reservationId: "o-jingan/reservation/1" }, { reservationId: "o-pudong/reservation/1" }] };
    expect(await codeOf(post("/v1/reservation-waves/pick", "staff:w-1:warehouse-clerk@store-jingan", wave))).toBe("403 caller.out-of-store-scope");
    expect(await codeOf(get("/v1/staff/rider-pudong/tasks", "staff:d-1:dispatcher@store-jingan"))).toBe("403 caller.out-of-store-scope");
    // One claim of another store in a carrier's remittance is enough; all of one's own pass.
    const remittance = (...caseIds: string[]) => ({ allocations: caseIds.map((caseId) => ({ caseId, amountMinor: 100 })) });
    expect(await codeOf(post("/v1/carrier-remittances", "staff:f-1:finance@store-jingan", remittance("case-jingan", "case-pudong")))).toBe("403 caller.out-of-store-scope");
    expect(await codeOf(post("/v1/carrier-remittances", "staff:f-1:finance@store-jingan", remittance("case-jingan")))).toBe(200);
    expect(await codeOf(post("/v1/orders/closing", "staff:f-1:finance@store-jingan", { orderIds: ["o-jingan", "o-routed", "o-pudong-only"] }))).toBe(200);
    expect(await codeOf(post("/v1/orders/closing", "staff:f-2:finance@store-pudong", { orderIds: ["o-routed", "o-jingan"] }))).toBe("403 caller.out-of-store-scope");
    // A query parameter of the same name does not stand in for the path's.
    expect(await codeOf(get("/v1/orders/o-jingan?orderId=o-routed", "staff:c-2:warehouse-clerk@store-pudong"))).toBe("403 caller.out-of-store-scope");
  });

  it("names one of their stores to list what spans every store", async () => {
    expect(await codeOf(get("/v1/orders", jinganManager))).toBe("403 caller.store-scope-required");
    expect(await codeOf(get("/v1/orders?storeId=store-jingan", jinganManager))).toBe(200);
  });

  it("reads their own worklist, and what no store owns", async () => {
    expect(await codeOf(get("/v1/staff/rider-pudong/tasks", "staff:rider-pudong:rider@store-jingan"))).toBe(200);
    expect(await codeOf(get("/v1/customers/c-42/credit", jinganManager))).toBe(200);
  });

  it("passes what nobody knows to the route, which answers it as for anyone", async () => {
    expect(await codeOf(get("/v1/orders/o-unknown", jinganManager))).toBe(200);
  });

  it("is refused a route for staff working chain-wide before anything it names is looked up", async () => {
    asked.length = 0;
    expect(await codeOf(post("/v1/dossier-disposals", "staff:a-2:auditor@store-jingan", { orderIds: ["o-jingan"] }))).toBe("403 caller.chain-wide-only");
    expect(asked).toEqual([]);
    expect(await codeOf(post("/v1/dossier-disposals", "staff:a-1:auditor", { orderIds: ["o-jingan"] }))).toBe(200);
  });

  it("is refused a step their role may not take before anything it names is looked up", async () => {
    asked.length = 0;
    const remittance = { allocations: [{ caseId: "case-pudong", amountMinor: 100 }, { caseId: "case-unknown", amountMinor: 100 }] };
    expect(await codeOf(post("/v1/carrier-remittances", "staff:cs-1:customer-service@store-jingan", remittance))).toBe("403 caller.not-permitted");
    expect(asked).toEqual([]);
  });

  it("is refused a route whose resource is not yet tied to a store, rather than let through", async () => {
    expect(await codeOf(get("/v1/gadgets/g-1", jinganManager))).toBe("403 caller.store-scope-unknown");
  });
});

describe("callers the scope leaves alone", () => {
  it("lets staff working chain-wide and customers through without asking anyone", async () => {
    asked.length = 0;
    expect(await codeOf(get("/v1/orders/o-jingan", "staff:a-1:auditor"))).toBe(200);
    expect(await codeOf(get("/v1/orders", "staff:a-1:auditor"))).toBe(200);
    expect(await codeOf(get("/v1/gadgets/g-1", "customer:c-42"))).toBe(200);
    expect(await codeOf(app.inject({ method: "GET", url: "/v1/orders/o-jingan" }))).toBe(200);
    expect(asked).toEqual([]);
  });
});
