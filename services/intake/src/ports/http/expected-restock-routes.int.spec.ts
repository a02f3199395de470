import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
import { createIntakeService } from "../../service.ts";
import { freePort, httpClient, peersAt } from "../../test-fixtures.ts";

// Intake alone: who may say when a SKU comes back, and the bodies it takes, checked before the
// warehouse (down here) is asked. With the real warehouse: test/integration/intake-warehouse-expected-restock.int.spec.ts.
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

const path = "/v1/stores/store-sh-jingan/stock/KETTLE-1L7/expected-restock";
const removal = `${path}/removal`;
const date = { date: "2030-01-15" };
const reason = { reason: "the supplier cancelled the delivery" };

describe("intake: an expected restock date at the gateway (the warehouse is down here)", () => {
  it("lets the store's warehouse clerk and store manager, and a chain-wide store manager, through to the warehouse", async () => {
    for (const caller of ["staff:w-1:warehouse-clerk@store-sh-jingan", "staff:sm-1:store-manager@store-sh-jingan", "staff:sm-hq:store-manager"]) {
      for (const answer of [await api.put(path, date, callerHeaders(caller)), await api.post(removal, reason, callerHeaders(caller))]) {
        // Permitted: the warehouse was asked, and could not answer.
        expect(answer, caller).toMatchObject({ status: 503, body: { type: "https://oms.example/problems/unavailable" } });
      }
    }
  });

  it("refuses anyone else: 401 for a malformed caller, 403 naming who may, another store's clerk or manager out of scope", async () => {
    expect(await api.put(path, date, callerHeaders("clerk"))).toMatchObject({ status: 401, body: { code: "caller.malformed" } });
    const taker = await api.put(path, date, callerHeaders("staff:ot-1:order-taker@store-sh-jingan"));
    expect(taker).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(taker.body.detail).toContain("a warehouse clerk or the store manager of that store");
    for (const caller of ["customer:c-42", "platform:pos", "staff:cs-1:customer-service", "staff:au-1:auditor", "staff:r-7:rider@store-sh-jingan"]) {
      expect(await api.put(path, date, callerHeaders(caller)), caller).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
      expect(await api.post(removal, reason, callerHeaders(caller)), caller).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    }
    for (const caller of ["staff:w-9:warehouse-clerk@store-sh-pudong", "staff:sm-pd:store-manager@store-sh-pudong"]) {
      expect(await api.put(path, date, callerHeaders(caller)), caller).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
      expect(await api.post(removal, reason, callerHeaders(caller)), caller).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    }
  });

  it("refuses bad bodies field by field, naming the field, before asking the warehouse", async () => {
    const clerk = callerHeaders("staff:w-1:warehouse-clerk@store-sh-jingan");
    for (const bad of ["2030-02-30", "15/01/2030", "2030-1-5", "2030-01-15T00:00:00Z", ""]) {
      const answer = await api.put(path, { date: bad }, clerk);
      expect(answer, bad).toMatchObject({ status: 400 });
      expect(answer.body.errors.map((e: { field: string }) => e.field), bad).toEqual(["date"]);
    }
    expect((await api.put(path, {}, clerk)).body.errors).toEqual([{ field: "date", message: expect.any(String) }]);
    expect((await api.put(path, { ...date, note: "x" }, clerk)).body.errors).toEqual([{ field: "note", message: "is not a known field" }]);
    expect((await api.put(path, { ...date, location: "L".repeat(65) }, clerk)).body.errors).toEqual([{ field: "location", message: expect.stringContaining("64") }]);
    expect((await api.put(path, { ...date, location: " " }, clerk)).body.errors).toEqual([{ field: "location", message: expect.any(String) }]);
    expect((await api.post(removal, {}, clerk)).body.errors).toEqual([{ field: "reason", message: "is required" }]);
    expect((await api.post(removal, { reason: "x".repeat(501) }, clerk)).body.errors).toEqual([{ field: "reason", message: expect.stringContaining("500") }]);
  });
});

describe("intake: the store's expected restocks at the gateway (the warehouse is down here)", () => {
  const list = "/v1/stores/store-sh-jingan/expected-restocks";

  it("lets the store's warehouse clerk and store manager, and a chain-wide store manager, through to the warehouse", async () => {
    for (const caller of ["staff:w-1:warehouse-clerk@store-sh-jingan", "staff:sm-1:store-manager@store-sh-jingan", "staff:sm-hq:store-manager"]) {
      for (const query of ["", "?overdueOnly=true", "?overdueOnly=false"]) {
        expect(await api.get(`${list}${query}`, callerHeaders(caller)), `${caller} ${query}`).toMatchObject({ status: 503, body: { type: "https://oms.example/problems/unavailable" } });
      }
    }
  });

  it("refuses anyone else: 403 naming who may, another store's clerk or manager out of scope", async () => {
    const taker = await api.get(list, callerHeaders("staff:ot-1:order-taker@store-sh-jingan"));
    expect(taker).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(taker.body.detail).toContain("a warehouse clerk or the store manager of that store");
    for (const caller of ["customer:c-42", "platform:pos", "staff:cs-1:customer-service", "staff:f-1:finance", "staff:r-7:rider@store-sh-jingan"]) {
      expect(await api.get(list, callerHeaders(caller)), caller).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    }
    for (const caller of ["staff:w-9:warehouse-clerk@store-sh-pudong", "staff:sm-pd:store-manager@store-sh-pudong"]) {
      expect(await api.get(list, callerHeaders(caller)), caller).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    }
  });

  it("refuses a bad query naming the field, before asking the warehouse", async () => {
    const clerk = callerHeaders("staff:w-1:warehouse-clerk@store-sh-jingan");
    for (const bad of ["yes", "1", "TRUE", ""]) {
      const answer = await api.get(`${list}?overdueOnly=${bad}`, clerk);
      expect(answer, bad).toMatchObject({ status: 400 });
      expect(answer.body.errors.map((e: { field: string }) => e.field), bad).toEqual(["overdueOnly"]);
    }
    expect((await api.get(`${list}?overdue=true`, clerk)).body.errors).toEqual([{ field: "overdue", message: "is not a known field" }]);
  });
});
