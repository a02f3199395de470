import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, eventually, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { defineAfterSalesService } from "../../services/after-sales/src/service.ts";
import { afterSalesClients, knownOrder, newStore, openRequest } from "../../services/after-sales/src/test-fixtures.ts";
import { createIntakeService } from "../../services/intake/src/service.ts";
import { freePort, httpClient, peersAt } from "../../services/intake/src/test-fixtures.ts";
import { warehouseService } from "../../services/warehouse/src/service.ts";
import { putOnRecord } from "../../services/warehouse/src/test-fixtures.ts";

// An exchange's replacement goods (ADR 030) through intake's REST API, on the real after-sales
// and warehouse: after-sales accepts the exchange, the warehouse reserves the replacement at
// the order's store (or waits for stock), a clerk picks, packs and ships it (ADR 030's seventh
// addendum), the desk may call it off before; the case shows each step;
// the gateway holds each route to its roles and a store-scoped caller to the case's store.
let namespace: TestNamespace;
let afterSales: RunningService;
let warehouse: RunningService;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
const storeId = newStore();
const otherStore = newStore();

beforeAll(async () => {
  namespace = await createTestNamespace();
  warehouse = await startService(warehouseService, testServiceConfig("warehouse", namespace));
  afterSales = await startService(defineAfterSalesService({}), testServiceConfig("after-sales", namespace));
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { warehouse: `127.0.0.1:${warehouse.grpc.port}`, "after-sales": `127.0.0.1:${afterSales.grpc.port}` });
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peers));
  api = httpClient(intake.httpPort);
  cases = afterSalesClients(afterSales.grpc.port);
});

afterAll(async () => {
  cases?.query.close();
  cases?.commands.close();
  await intake?.stop();
  await afterSales?.stop();
  await warehouse?.stop();
  await namespace?.drop();
});

const clerk = callerHeaders(`staff:w-1:warehouse-clerk@${storeId}`);
const manager = callerHeaders(`staff:m-1:store-manager@${storeId}`);
const agent = callerHeaders("staff:cs-1:customer-service");
const listPath = `/v1/stores/${storeId}/replacements`;
const listed = async () => (await api.get(listPath, clerk)).body.replacements as { caseId: string; status: string }[];

/** An exchange of one kettle accepted by after-sales, once the warehouse lists its replacement. */
async function acceptedExchange(): Promise<{ caseId: string; orderId: string }> {
  const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
  const ask = openRequest(orderId, { kind: "exchange" });
  await cases.commands.openCase(ask);
  await cases.commands.acceptCase({ caseId: ask.caseId, caller: { kind: "staff", id: "cs-1", role: "customer-service" }, correlationId: "", assigneeStaffId: "cs-1", note: "" });
  await eventually(async () => ((await listed()).some((r) => r.caseId === ask.caseId) ? true : undefined));
  return { caseId: ask.caseId, orderId };
}

describe("intake: an exchange's replacement leaving the store", () => {
  it("waits for stock, refuses shipping while short naming the SKU, then ships once stock came; the case shows the carrier", async () => {
    const { caseId, orderId } = await acceptedExchange();
    const [entry] = (await listed()).filter((r) => r.caseId === caseId);
    expect(entry).toMatchObject({ orderId, storeId, status: "awaiting-stock", lines: [{ sku: "KETTLE-1", quantity: 1 }], reserved: [] });
    // The store manager reads the same list; other stores' staff, customer service and customers do not.
    expect((await api.get(listPath, manager)).body.replacements).toContainEqual(expect.objectContaining({ caseId }));
    expect(await api.get(listPath, callerHeaders(`staff:w-2:warehouse-clerk@${otherStore}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect(await api.get(listPath, agent)).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect((await api.get(`${listPath}?limit=0`, clerk)).body.errors).toEqual([{ field: "limit", message: expect.any(String) }]);

    const path = `/v1/replacements/${caseId}/shipment`;
    const [pickPath, packPath] = [`/v1/replacements/${caseId}/pick`, `/v1/replacements/${caseId}/pack`];
    const parcel = { carrier: "SF Express", trackingNumber: "SF4455" };
    // Its clerk's steps come first (ADR 030's seventh addendum): the pick reserves it when the stock is there.
    expect(await api.post(path, parcel, clerk)).toMatchObject({ status: 409, body: { code: "replacement.not-packed" } });
    const short = await api.post(pickPath, {}, clerk);
    expect(short).toMatchObject({ status: 409, body: { code: "replacement.out-of-stock" } });
    expect(short.body.detail).toContain("KETTLE-1");
    expect(await api.post(packPath, { parcels: 1 }, clerk)).toMatchObject({ status: 409, body: { code: "replacement.not-picked" } });
    expect(await api.post(pickPath, {}, manager)).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(await api.post(pickPath, {}, callerHeaders(`staff:w-2:warehouse-clerk@${otherStore}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect((await api.post(pickPath, { parcels: 1 }, clerk)).status).toBe(400);
    expect((await api.post(packPath, { parcels: 0 }, clerk)).body.errors).toEqual([{ field: "parcels", message: expect.any(String) }]);
    expect((await api.post(path, { carrier: "SF Express", trackingNumber: "has spaces" }, clerk)).body.errors).toEqual([{ field: "trackingNumber", message: expect.any(String) }]);
    expect(await api.post(path, parcel, manager)).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(await api.post(path, parcel, callerHeaders(`staff:w-2:warehouse-clerk@${otherStore}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect(await api.post("/v1/replacements/case-nobody-accepted/shipment", parcel, callerHeaders("staff:w-9:warehouse-clerk"))).toMatchObject({ status: 404 });

    await putOnRecord(warehouse.runtime.pool, [{ storeId, sku: "KETTLE-1", location: "A-01", onHand: 1, safetyStock: 0 }]);
    const picked = await api.post(pickPath, {}, clerk);
    expect(picked.status, JSON.stringify(picked.body)).toBe(200);
    expect(picked.body).toMatchObject({ status: "reserved", awaitedStep: "pack", pickedBy: "staff:w-1", reserved: [{ sku: "KETTLE-1", location: "A-01", quantity: 1 }] });
    expect(await api.post(pickPath, {}, clerk)).toMatchObject({ status: 200, body: picked.body });
    const packed = await api.post(packPath, { parcels: 1 }, clerk);
    expect(packed.body).toMatchObject({ awaitedStep: "ship", parcels: 1, label: expect.stringMatching(/-1$/) });
    expect(await api.post(packPath, { parcels: 1 }, clerk)).toMatchObject({ status: 200, body: packed.body });
    expect(await api.post(packPath, { parcels: 2 }, clerk)).toMatchObject({ status: 409, body: { code: "replacement.already-packed" } });
    const steppedOnCase = await eventually(async () => {
      const answer = await api.get(`/v1/after-sales-cases/${caseId}`, agent);
      return answer.body.replacementPackedAt ? answer.body : undefined;
    });
    expect(steppedOnCase).toMatchObject({ replacementStatus: "reserved", replacementPickedAt: picked.body.pickedAt, replacementPackedAt: packed.body.packedAt });
    const shipped = await api.post(path, parcel, clerk);
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body).toMatchObject({ caseId, status: "shipped", carrier: "SF Express", trackingNumber: "SF4455", shippedBy: "staff:w-1", reserved: [{ sku: "KETTLE-1", location: "A-01", quantity: 1 }] });
    expect(await api.post(path, parcel, clerk)).toMatchObject({ status: 200, body: shipped.body });
    expect(await api.post(path, { ...parcel, trackingNumber: "SF9999" }, clerk)).toMatchObject({ status: 409, body: { code: "replacement.already-shipped" } });
    expect((await listed()).map((r) => r.caseId)).not.toContain(caseId);

    const onCase = await eventually(async () => {
      const answer = await api.get(`/v1/after-sales-cases/${caseId}`, agent);
      return answer.body.replacementStatus === "shipped" ? answer.body : undefined;
    });
    expect(onCase).toMatchObject({ replacementCarrier: "SF Express", replacementTrackingNumber: "SF4455", replacementAt: shipped.body.shippedAt, replacementPickedAt: picked.body.pickedAt });
  });

  it("lets the desk call it off before it ships, releasing its reservation, and refuses the clerks, other stores, no reason and a shipped one", async () => {
    await putOnRecord(warehouse.runtime.pool, [{ storeId, sku: "KETTLE-1", location: "B-02", onHand: 2, safetyStock: 0 }]);
    const { caseId } = await acceptedExchange();
    expect((await listed()).find((r) => r.caseId === caseId)).toMatchObject({ status: "reserved" });
    const path = `/v1/replacements/${caseId}/call-off`;

    expect(await api.post(path, { reason: "refund instead" }, clerk)).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect(await api.post(path, { reason: "refund instead" }, callerHeaders(`staff:cs-2:customer-service@${otherStore}`))).toMatchObject({
      status: 403,
      body: { code: "caller.out-of-store-scope" },
    });
    expect((await api.post(path, {}, agent)).body.errors).toEqual([{ field: "reason", message: expect.any(String) }]);
    expect((await api.post(path, { reason: "x".repeat(501) }, agent)).body.errors).toEqual([{ field: "reason", message: expect.stringContaining("500") }]);

    const calledOff = await api.post(path, { reason: "  customer took a refund instead " }, callerHeaders(`staff:sv-1:supervisor@${storeId}`));
    expect(calledOff.status, JSON.stringify(calledOff.body)).toBe(200);
    expect(calledOff.body).toMatchObject({ status: "called-off", calledOffBy: "staff:sv-1", calledOffReason: "customer took a refund instead" });
    expect(await api.post(path, { reason: "again" }, agent)).toMatchObject({ status: 200, body: calledOff.body });
    expect((await listed()).map((r) => r.caseId)).not.toContain(caseId);
    expect(await api.post(`/v1/replacements/${caseId}/pick`, {}, clerk)).toMatchObject({ status: 409, body: { code: "replacement.called-off" } });
    const stock = (await api.get(`/v1/stores/${storeId}/stock?sku=KETTLE-1`, clerk)).body.levels as { location: string; reserved: number }[];
    expect(stock.find((l) => l.location === "B-02")).toMatchObject({ reserved: 0 });

    // Shipped, it can no longer be called off; the store manager is told so.
    const sent = await acceptedExchange();
    expect((await api.post(`/v1/replacements/${sent.caseId}/pick`, {}, clerk)).status).toBe(200);
    expect((await api.post(`/v1/replacements/${sent.caseId}/pack`, { parcels: 1 }, clerk)).status).toBe(200);
    expect((await api.post(`/v1/replacements/${sent.caseId}/shipment`, { carrier: "JD Logistics", trackingNumber: "JD77" }, clerk)).status).toBe(200);
    expect(await api.post(`/v1/replacements/${sent.caseId}/call-off`, { reason: "too late" }, manager)).toMatchObject({ status: 409, body: { code: "replacement.already-shipped" } });
  });

  it("lets the desk of the case's store send a waiting one from another store that has it (ADR 030, third addendum): that store's clerk ships it", async () => {
    const [storeA, storeB, storeC] = [newStore(), newStore(), newStore()];
    await putOnRecord(warehouse.runtime.pool, [
      { storeId: storeB, sku: "KETTLE-1", location: "B-01", onHand: 2, safetyStock: 0 },
      { storeId: storeC, sku: "KETTLE-1", location: "C-01", onHand: 1, safetyStock: 1 },
    ]);
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId: storeA, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { kind: "exchange" });
    await cases.commands.openCase(ask);
    await cases.commands.acceptCase({ caseId: ask.caseId, caller: { kind: "staff", id: "cs-1", role: "customer-service" }, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    const listAt = async (store: string) => (await api.get(`/v1/stores/${store}/replacements`, callerHeaders(`staff:m-9:store-manager@${store}`))).body.replacements as { caseId: string; status: string }[];
    await eventually(async () => ((await listAt(storeA)).some((r) => r.caseId === ask.caseId && r.status === "awaiting-stock") ? true : undefined));

    const path = `/v1/replacements/${ask.caseId}/move`;
    const move = { toStoreId: storeB, reason: "store B has the kettle on its shelf" };
    const deskA = callerHeaders(`staff:cs-a:customer-service@${storeA}`);

    // The desk of the case's store looks across the chain for a store with the kettle; a store's clerk reads only their own stock.
    const availability = await api.get("/v1/stock/KETTLE-1/availability", deskA);
    expect(availability.status, JSON.stringify(availability.body)).toBe(200);
    expect(availability.body.stores).toContainEqual({ storeId: storeB, available: 2, onHand: 2, reserved: 0, safetyStock: 0, expectedRestockDate: "" });
    expect(availability.body.stores).toContainEqual(expect.objectContaining({ storeId: storeC, available: 0, onHand: 1 }));
    expect(await api.get("/v1/stock/KETTLE-1/availability", callerHeaders(`staff:w-a:warehouse-clerk@${storeA}`))).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    expect((await api.get("/v1/stock/KETTLE-1/availability", callerHeaders("staff:w-hq:warehouse-clerk"))).status).toBe(200);
    expect(await api.get("/v1/stock/KETTLE-1/availability", callerHeaders("customer:c-1"))).toMatchObject({ status: 403 });
    expect((await api.get(`/v1/stock/${"K".repeat(65)}/availability`, deskA)).body.errors).toEqual([{ field: "sku", message: expect.any(String) }]);
    expect(await api.post(path, move, callerHeaders(`staff:w-a:warehouse-clerk@${storeA}`))).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    // The desk of the store it goes to does not decide for the case's store.
    expect(await api.post(path, move, callerHeaders(`staff:cs-b:customer-service@${storeB}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect((await api.post(path, { reason: "x".repeat(501) }, deskA)).body.errors).toEqual([
      { field: "toStoreId", message: expect.any(String) },
      { field: "reason", message: expect.stringContaining("500") },
    ]);
    expect(await api.post(path, { ...move, toStoreId: `${storeA}-nowhere` }, deskA)).toMatchObject({ status: 404, body: { code: "store.unknown" } });
    const short = await api.post(path, { ...move, toStoreId: storeC }, deskA);
    expect(short).toMatchObject({ status: 409, body: { code: "replacement.out-of-stock" } });
    expect(short.body.detail).toContain("KETTLE-1 (1 needed, 0 available)");
    expect(await api.post(path, { ...move, toStoreId: storeA }, deskA)).toMatchObject({ status: 409, body: { code: "replacement.same-store" } });
    expect(await api.post("/v1/replacements/case-nobody-accepted/move", move, agent)).toMatchObject({ status: 404, body: { code: "replacement.not-found" } });

    const moved = await api.post(path, move, deskA);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ caseId: ask.caseId, storeId: storeB, status: "reserved", movedFromStoreId: storeA, movedBy: "staff:cs-a", reserved: [{ sku: "KETTLE-1", location: "B-01", quantity: 1 }] });
    expect(await api.post(path, move, deskA)).toMatchObject({ status: 200, body: moved.body });
    expect(await api.post(path, { ...move, toStoreId: storeC }, agent)).toMatchObject({ status: 409, body: { code: "replacement.not-awaiting-stock" } });
    expect((await listAt(storeA)).map((r) => r.caseId)).not.toContain(ask.caseId);
    expect((await listAt(storeB)).map((r) => r.caseId)).toEqual([ask.caseId]);

    const onCase = await eventually(async () => {
      const answer = await api.get(`/v1/after-sales-cases/${ask.caseId}`, agent);
      return answer.body.replacementStoreId === storeB ? answer.body : undefined;
    });
    expect(onCase).toMatchObject({ storeId: storeA, replacementStatus: "reserved", replacementStoreId: storeB });
    // The replacement is now the work of the store it ships from: its clerk ships it under the case's id; the case's store's
    // clerk and another store's no longer may. The case itself stays the case's store's: the new store's desk does not read it.
    const parcel = { carrier: "SF Express", trackingNumber: "SF5566" };
    expect(await api.post(`/v1/replacements/${ask.caseId}/shipment`, parcel, callerHeaders(`staff:w-c:warehouse-clerk@${storeC}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect(await api.post(`/v1/replacements/${ask.caseId}/shipment`, parcel, callerHeaders(`staff:w-a:warehouse-clerk@${storeA}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect(await api.get(`/v1/after-sales-cases/${ask.caseId}`, callerHeaders(`staff:cs-b:customer-service@${storeB}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect(await api.post(`/v1/replacements/${ask.caseId}/call-off`, { reason: "no" }, callerHeaders(`staff:cs-b:customer-service@${storeB}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    // Its steps start at the store it ships from: that store's clerk picks and packs it, the case's store's may not.
    expect(await api.post(`/v1/replacements/${ask.caseId}/pick`, {}, callerHeaders(`staff:w-a:warehouse-clerk@${storeA}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    // A role that never picks or packs is told so before the store scope asks where the replacement ships from, whichever store it names.
    for (const step of ["pick", "pack"]) {
      expect(await api.post(`/v1/replacements/${ask.caseId}/${step}`, { parcels: 1 }, callerHeaders(`staff:r-c:rider@${storeC}`))).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    }
    const clerkB = callerHeaders(`staff:w-b:warehouse-clerk@${storeB}`);
    expect((await api.post(`/v1/replacements/${ask.caseId}/pick`, {}, clerkB)).body).toMatchObject({ storeId: storeB, awaitedStep: "pack" });
    expect((await api.post(`/v1/replacements/${ask.caseId}/pack`, { parcels: 1 }, clerkB)).body).toMatchObject({ storeId: storeB, awaitedStep: "ship" });
    const shipped = await api.post(`/v1/replacements/${ask.caseId}/shipment`, parcel, clerkB);
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(200);
    expect(shipped.body).toMatchObject({ storeId: storeB, status: "shipped", movedFromStoreId: storeA });
  });
  // Last: it stops after-sales' consumers, so the case goes on naming the store the replacement waited at.
  it("does not let the clerk of the store a replacement left ship it while the case has not heard of the move", async () => {
    const [storeA, storeB] = [newStore(), newStore()];
    await putOnRecord(warehouse.runtime.pool, [{ storeId: storeB, sku: "KETTLE-1", location: "B-01", onHand: 1, safetyStock: 0 }]);
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId: storeA, deliveredDaysAgo: 1 });
    const ask = openRequest(orderId, { kind: "exchange" });
    await cases.commands.openCase(ask);
    await cases.commands.acceptCase({ caseId: ask.caseId, caller: { kind: "staff", id: "cs-1", role: "customer-service" }, correlationId: "", assigneeStaffId: "cs-1", note: "" });
    await eventually(async () => {
      const answer = await api.get(`/v1/after-sales-cases/${ask.caseId}`, agent);
      return answer.body.replacementStatus === "awaiting-stock" ? true : undefined;
    });
    // After-sales hears nothing more: the gateway's store scope still finds the replacement at A.
    await Promise.all(afterSales.consumers.map((consumer) => consumer.stop()));
    const deskA = callerHeaders(`staff:cs-a:customer-service@${storeA}`);
    expect((await api.post(`/v1/replacements/${ask.caseId}/move`, { toStoreId: storeB, reason: "B has it" }, deskA)).status).toBe(200);
    expect((await api.get(`/v1/after-sales-cases/${ask.caseId}`, agent)).body).toMatchObject({ replacementStoreId: storeA });

    const parcel = { carrier: "SF Express", trackingNumber: "SF9911" };
    const fromA = await api.post(`/v1/replacements/${ask.caseId}/shipment`, parcel, callerHeaders(`staff:w-a:warehouse-clerk@${storeA}`));
    expect(fromA).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect(fromA.body.detail).toContain(storeB);
    const { rows } = await warehouse.runtime.pool.query("SELECT store_id, status FROM replacements WHERE case_id = $1", [ask.caseId]);
    expect(rows).toEqual([{ store_id: storeB, status: "reserved" }]);
    // A chain-wide clerk is held to no store: they ship it from where it is.
    const hq = callerHeaders("staff:w-hq:warehouse-clerk");
    expect(await api.post(`/v1/replacements/${ask.caseId}/pick`, {}, callerHeaders(`staff:w-a:warehouse-clerk@${storeA}`))).toMatchObject({ status: 403, body: { code: "caller.out-of-store-scope" } });
    expect((await api.post(`/v1/replacements/${ask.caseId}/pick`, {}, hq)).status).toBe(200);
    expect((await api.post(`/v1/replacements/${ask.caseId}/pack`, { parcels: 1 }, hq)).status).toBe(200);
    const fromHq = await api.post(`/v1/replacements/${ask.caseId}/shipment`, parcel, hq);
    expect(fromHq.status, JSON.stringify(fromHq.body)).toBe(200);
    expect(fromHq.body).toMatchObject({ storeId: storeB, status: "shipped" });
  });
});
