import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, archiveApi } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace, callerHeaders, testCallerTrust } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { defineArchiveService } from "../../../../archive/src/service.ts";
import { at, orderReceived, settlementPrepared, stockReserved, storeId } from "../../../../archive/src/test-fixtures.ts";
import { createIntakeService } from "../../service.ts";
import { expectProblem, freePort, httpClient, peersAt } from "../../test-fixtures.ts";

// Viewing an order's archived dossier through intake's REST API, asked of a real archive
// over gRPC: the gateway's roles and field errors, and the archive's own rules (never one's
// own decision, only the asker views, only while approved) come back as problem details.
let namespace: TestNamespace;
let archive: RunningService;
let intake: RunningService;
let index: ReturnType<typeof createClient<typeof archiveApi.ArchiveQueryService>>;
let api: ReturnType<typeof httpClient>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  archive = await startService(defineArchiveService({ ARCHIVE_ENCRYPTION_KEY: randomBytes(32).toString("base64") }), testServiceConfig("archive", namespace));
  const archiveAddress = `127.0.0.1:${archive.grpc.port}`;
  index = createClient(archiveApi.ArchiveQueryService, "oms.archive.v1.ArchiveQuery", archiveAddress);
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { archive: archiveAddress });
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peers));
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  index?.close();
  await intake?.stop();
  await archive?.stop();
  await namespace?.drop();
});

const as = (staffId: string, role: string) => (callerHeaders(`staff:${staffId}:${role}`));
const agent = as("cs-1", "customer-service");
const auditor = as("au-1", "auditor");
const manager = as("m-1", "store-manager");
const customer = callerHeaders("customer:c-42");

/** An order whose dossier holds three events, published out of time order across topics, once the archive has filed them. */
async function filedOrder(): Promise<string> {
  const orderId = randomUUID();
  await publishEvents(namespace.name, Topics.billingSettlement, [settlementPrepared(orderId, 4)]);
  await publishEvents(namespace.name, Topics.warehouseStock, [stockReserved(orderId, 2)]);
  await publishEvents(namespace.name, Topics.intakeOrder, [orderReceived(orderId, 0)]);
  await eventually(async () => ((await index.getDossier({ orderId }).catch(() => undefined))?.entries.length === 3 ? true : undefined));
  return orderId;
}

/** Asks for access to an order's dossier under a fresh id of the asker's own. */
const ask = (orderId: string, asker: Record<string, string>, reason = "the customer disputes the delivered quantity") =>
  api.post(`/v1/orders/${orderId}/dossier-access-requests`, { requestId: randomUUID(), reason }, asker);
const approve = (requestId: string, decider: Record<string, string>, body?: unknown) =>
  api.post(`/v1/dossier-access-requests/${encodeURIComponent(requestId)}/approval`, body, decider);
const refuse = (requestId: string, decider: Record<string, string>, body: unknown) =>
  api.post(`/v1/dossier-access-requests/${encodeURIComponent(requestId)}/rejection`, body, decider);
const view = (orderId: string, requestId: string, viewer: Record<string, string>) =>
  api.get(`/v1/orders/${orderId}/dossier?requestId=${encodeURIComponent(requestId)}`, viewer);

describe("intake: viewing an order's archived dossier, asked of the archive", () => {
  it("lets the asker view the dossier's content once someone else approved, and logs the viewing", async () => {
    const orderId = await filedOrder();
    const reason = "complaint 4711: the customer disputes the delivered quantity";
    const body = { requestId: `cs-1-${randomUUID()}`, reason };
    const asked = await api.post(`/v1/orders/${orderId}/dossier-access-requests`, body, agent);
    expect(asked).toMatchObject({
      status: 201,
      body: { requestId: body.requestId, orderId, status: "pending", requestedBy: "staff:cs-1", requesterRole: "customer-service", reason, decidedBy: "", validUntil: "" },
    });
    // The app retries after a timeout: the same request, not a second one.
    expect(await api.post(`/v1/orders/${orderId}/dossier-access-requests`, body, agent)).toMatchObject({ status: 201, body: { requestedAt: asked.body.requestedAt } });
    const { requestId } = body;

    expectProblem(await view(orderId, requestId, agent), 409, "archive.access-not-approved");
    // The gateway refuses those who may not decide; the archive refuses a decider's own request.
    expectProblem(await approve(requestId, agent), 403, "caller.not-permitted");
    expectProblem(await approve(requestId, as("d-1", "dispatcher")), 403, "caller.not-permitted");
    const approved = await approve(requestId, auditor, { note: "complaint 4711 is on file" });
    expect(approved).toMatchObject({ status: 200, body: { requestId, status: "approved", decidedBy: "staff:au-1", note: "complaint 4711 is on file" } });
    expect(Date.parse(approved.body.validUntil)).toBeGreaterThan(Date.now());

    // A HEAD sends no dossier: it is no viewing (the history below holds the one GET only).
    await fetch(`http://127.0.0.1:${intake.httpPort}/v1/orders/${orderId}/dossier?requestId=${encodeURIComponent(requestId)}`, { method: "HEAD", headers: agent });
    const viewed = await view(orderId, requestId, agent);
    expect(viewed).toMatchObject({ status: 200, body: { orderId, storeId } });
    // Never kept by a cache: a viewing that did not reach the archive would be neither checked nor logged.
    expect(viewed.headers.get("cache-control")).toBe("no-store");
    expect(viewed.body.viewingId).toEqual(expect.any(String));
    expect(viewed.body.records.map((r: { eventType: string; occurredAt: string; producer: string }) => [r.eventType, r.producer, r.occurredAt])).toEqual([
      [EventTypes.OrderReceived, "intake", at(0).toISOString()],
      [EventTypes.StockReserved, "warehouse", at(2).toISOString()],
      [EventTypes.SettlementPrepared, "billing", at(4).toISOString()],
    ]);
    // The content as JSON objects, not as text holding JSON.
    expect(viewed.body.records[0]).toMatchObject({ actor: "system:intake", payload: { order: { orderId, lines: [{ sku: "TEA-01", quantity: 2 }] } } });
    expect(viewed.body.records[0]).not.toHaveProperty("payloadJson");
    expect(viewed.body.records[2].payload).toMatchObject({ paymentMethod: "cash", status: "awaiting-payment" });

    // Nobody else views on the asker's request, whatever their role, and they are answered as for a request nobody
    // made (ADR 022, twenty-eighth session): the answer does not say it exists.
    const nobodys = randomUUID();
    const unknown = await view(orderId, nobodys, manager);
    expectProblem(unknown, 404, "archive.access-request-not-found");
    for (const someoneElse of [as("cs-2", "customer-service"), manager]) {
      const answer = await view(orderId, requestId, someoneElse);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 404, body: { ...unknown.body, detail: (unknown.body.detail as string).replace(nobodys, requestId) } });
    }

    expectProblem(await api.get(`/v1/orders/${orderId}/dossier-access`, agent), 403, "caller.not-permitted");
    const history = await api.get(`/v1/orders/${orderId}/dossier-access`, manager);
    expect(history.headers.get("cache-control")).toBe("no-store");
    expect(history).toMatchObject({
      status: 200,
      body: {
        orderId,
        requests: [{ requestId, status: "approved", requestedBy: "staff:cs-1", reason, decidedBy: "staff:au-1", decidedAt: approved.body.decidedAt }],
        viewings: [{ viewingId: viewed.body.viewingId, requestId, viewer: "staff:cs-1", records: 3 }],
      },
    });
  });

  it("refuses a decider's own request, a refusal without a note, and viewing on a refused request", async () => {
    const orderId = await filedOrder();
    const own = await ask(orderId, auditor, "yearly audit sample");
    expect(own.status).toBe(201);
    expectProblem(await approve(own.body.requestId, auditor), 403, "archive.access-own-request");

    const asked = await ask(orderId, as("f-1", "finance"));
    const { requestId } = asked.body;
    const noNote = await refuse(requestId, manager, {});
    expectProblem(noNote, 400);
    expect(noNote.body.errors).toEqual([{ field: "note", message: "is required" }]);
    expect((await refuse(requestId, manager, { note: "  " })).body.errors).toEqual([{ field: "note", message: "must not be empty" }]);
    const refused = await refuse(requestId, manager, { note: "no dispute on file" });
    expect(refused).toMatchObject({ status: 200, body: { requestId, status: "refused", decidedBy: "staff:m-1", note: "no dispute on file", validUntil: "" } });

    expectProblem(await view(orderId, requestId, as("f-1", "finance")), 409, "archive.access-not-approved");
    expectProblem(await approve(requestId, auditor), 409, "archive.access-already-decided");
  });

  it("answers an unknown order or request 404, and wrong fields 400 naming each", async () => {
    expectProblem(await ask(randomUUID(), agent), 404, "dossier.not-found");
    expectProblem(await approve(randomUUID(), auditor), 404, "archive.access-request-not-found");
    expectProblem(await api.get(`/v1/orders/${randomUUID()}/dossier-access`, auditor), 404, "dossier.not-found");

    const orderId = await filedOrder();
    const wrong = await api.post(`/v1/orders/${orderId}/dossier-access-requests`, { reason: "x".repeat(501), note: "" }, agent);
    expectProblem(wrong, 400);
    expect(wrong.body.errors).toEqual([
      { field: "requestId", message: "is required" },
      { field: "reason", message: "must be at most 500 characters long" },
      { field: "note", message: "is not a known field" },
    ]);
    const noRequest = await api.get(`/v1/orders/${orderId}/dossier`, agent);
    expectProblem(noRequest, 400);
    expect(noRequest.body.errors).toEqual([{ field: "requestId", message: "is required" }]);
  });

  it("refuses a customer everywhere, before reading anything they sent", async () => {
    const orderId = await filedOrder();
    const asked = await ask(orderId, agent);
    const { requestId } = asked.body;
    expectProblem(await ask(orderId, customer), 403, "caller.not-permitted");
    expectProblem(await api.post(`/v1/orders/${orderId}/dossier-access-requests`, { unknown: true }, customer), 403, "caller.not-permitted");
    expectProblem(await approve(requestId, customer), 403, "caller.not-permitted");
    expectProblem(await refuse(requestId, customer, {}), 403, "caller.not-permitted");
    expectProblem(await view(orderId, requestId, customer), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/orders/${orderId}/dossier`, customer), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/orders/${orderId}/dossier-access`, customer), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/orders/${orderId}/dossier-access`, callerHeaders("staff:no-role")), 401, "caller.malformed");
  });
});
