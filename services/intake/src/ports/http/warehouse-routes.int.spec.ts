import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
import { createIntakeService } from "../../service.ts";
import { freePort, httpClient, peersAt } from "../../test-fixtures.ts";

// Intake alone: what the gateway checks itself before asking the warehouse, which is down here.
// With the real warehouse: test/integration/intake-warehouse.int.spec.ts.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

describe("intake: the warehouse clerks' steps at the gateway (the warehouse is down here)", () => {
  const clerk = callerHeaders("staff:w-1:warehouse-clerk");
  const reservation = encodeURIComponent(`${randomUUID()}/reservation/1`);

  it("checks the caller first: 401 for a malformed one, 403 with who may for the wrong role", async () => {
    expect(await api.post(`/v1/reservations/${reservation}/pick`, undefined, callerHeaders("clerk"))).toMatchObject({ status: 401, body: { code: "caller.malformed" } });
    const rider = await api.post(`/v1/reservations/${reservation}/pick`, undefined, callerHeaders("staff:r-7:rider"));
    expect(rider).toMatchObject({ status: 403, body: { code: "caller.not-permitted", detail: "only a warehouse clerk may pick reservation; the caller is staff with role rider" } });
    expect(rider.headers.get("content-type")).toContain("application/problem+json");
    for (const answer of [
      await api.post(`/v1/reservations/${reservation}/pack`, { parcels: 0 }, callerHeaders("customer:c-42")),
      await api.post("/v1/stores/store-sh-jingan/stock-counts", {}, callerHeaders("staff:s-1:store-manager")),
      await api.get("/v1/stores/store-sh-jingan/stock", callerHeaders("platform:pos")),
      await api.get("/v1/stores/store-sh-jingan/pick-list", callerHeaders("staff:r-7:rider")),
    ]) {
      expect(answer).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    }
  });

  it("refuses bad bodies and parameters field by field", async () => {
    expect((await api.post(`/v1/reservations/${reservation}/pack`, { parcels: 0 }, clerk)).body.errors).toEqual([{ field: "parcels", message: "must be at least 1" }]);
    expect((await api.post(`/v1/reservations/${reservation}/ship`, { carrier: "SF Express", trackingNumber: "SF 123" }, clerk)).body.errors).toEqual([
      { field: "trackingNumber", message: "must be 1 to 64 visible ASCII characters" },
    ]);
    expect((await api.post("/v1/stores/store-sh-jingan/stock-counts", { sku: "KETTLE-1L7", counted: -1 }, clerk)).body.errors).toEqual([
      { field: "location", message: "is required" },
      { field: "counted", message: "must be at least 0" },
      { field: "reason", message: "is required" },
    ]);
    expect((await api.post("/v1/stores/store-sh-jingan/stock-receipts", { receiptId: "DN-1", sku: "KETTLE-1L7", location: "A-1", quantity: 0 }, clerk)).body.errors).toEqual([
      { field: "quantity", message: "must be at least 1" },
    ]);
    expect((await api.get("/v1/stores/store-sh-jingan/pick-list?status=shipped&limit=0", clerk)).body.errors).toEqual([
      { field: "status", message: expect.stringContaining("ready-to-pick") },
      { field: "limit", message: expect.stringContaining("1") },
    ]);
    expect((await api.get("/v1/stores/store-sh-jingan/stock?sku=&colour=red", clerk)).body.errors).toEqual([
      { field: "sku", message: "must not be empty" },
      { field: "colour", message: "is not a known field" },
    ]);
  });

  it("takes a reservation id URL-encoded in the path and asks the warehouse, which cannot answer: 503 with Retry-After", async () => {
    for (const answer of [
      await api.post(`/v1/reservations/${reservation}/pick`, undefined, clerk),
      await api.post(`/v1/reservations/${reservation}/pack`, { parcels: 2 }, clerk),
      await api.get("/v1/stores/store-sh-jingan/stock?sku=KETTLE-1L7&sku=TOWEL-SET-4", clerk),
    ]) {
      expect(answer).toMatchObject({ status: 503, body: { type: "https://oms.example/problems/unavailable" } });
      expect(answer.headers.get("retry-after")).toBe("1");
    }
    // Unencoded, the slashes make it another path.
    expect(await api.post(`/v1/reservations/${decodeURIComponent(reservation)}/pick`, undefined, clerk)).toMatchObject({ status: 404, body: { code: "route.not-found" } });
  });
});
