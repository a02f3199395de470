import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, archiveApi, events, newEvent, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, eventually, publishEvents, readEveryPage, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { defineArchiveService } from "../../../../archive/src/service.ts";
import { createIntakeService } from "../../service.ts";
import { expectProblem, freePort, httpClient, peersAt } from "../../test-fixtures.ts";

// The archive's retention through intake's REST API (ADR 029), asked of a real archive over
// gRPC: auditors only, a store-scoped one held to their stores and never disposing, fields
// named when wrong, nothing written on a refusal, a due dossier disposed of end to end, and
// both lists read a page at a time (twenty-ninth session), never cut at a limit unsaid.
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

const auditor = callerHeaders("staff:au-1:auditor");
const manager = callerHeaders("staff:m-1:store-manager");
const agent = callerHeaders("staff:cs-1:customer-service");

/** An order of `storeId` received and closed at `closedAt`, once the archive has filed both. */
async function closedOrder(storeId: string, closedAt: Date): Promise<string> {
  const orderId = randomUUID();
  const origin = (producer: string, now: Date) => ({ producer, orderId, storeId, actor: { kind: "system" as const, id: producer, role: "system" }, now });
  const received: OrderEvent = newEvent(EventTypes.OrderReceived, events.OrderReceived.fromPartial({ order: { orderId, storeId } }), origin("intake", new Date(closedAt.getTime() - 60_000)));
  const closed: OrderEvent = newEvent(EventTypes.OrderStatusChanged, events.OrderStatusChanged.fromPartial({ fromStatus: "settled", toStatus: "closed" }), origin("fulfillment", closedAt));
  await publishEvents(namespace.name, Topics.intakeOrder, [received]);
  await publishEvents(namespace.name, Topics.fulfillmentOrder, [closed]);
  await eventually(async () => ((await index.getDossier({ orderId }).catch(() => undefined))?.entries.length === 2 ? true : undefined));
  return orderId;
}

const written = async () => {
  const { rows } = await archive.runtime.pool.query<{ holds: number; disposals: number; entries: number }>(
    "SELECT (SELECT count(*) FROM dossier_holds)::int AS holds, (SELECT count(*) FROM dossier_disposals)::int AS disposals, (SELECT count(*) FROM dossier_entries)::int AS entries",
  );
  return rows[0];
};

describe("intake: the archive's retention, asked of the archive", () => {
  it("lets only auditors list, hold and dispose, names wrong fields, and writes nothing when it refuses", async () => {
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    const orderId = await closedOrder(storeId, new Date("2025-05-01T12:00:00Z"));
    const before = await written();

    expectProblem(await api.get(`/v1/stores/${storeId}/dossier-retention`, agent), 403, "caller.not-permitted");
    expectProblem(await api.post(`/v1/orders/${orderId}/dossier-hold`, { reason: "audit" }, manager), 403, "caller.not-permitted");
    expectProblem(await api.post("/v1/dossier-disposals", { orderIds: [orderId], reason: "review" }, manager), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/dossier-disposals?storeId=${storeId}`, callerHeaders("")), 403);

    const noReason = await api.post(`/v1/orders/${orderId}/dossier-hold`, {}, auditor);
    expectProblem(noReason, 400);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(["reason"]);
    const badDisposal = await api.post("/v1/dossier-disposals", { orderIds: [orderId, orderId], reason: "" }, auditor);
    expectProblem(badDisposal, 400);
    expect(badDisposal.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["orderIds[1]", "reason"]);
    const tooMany = await api.post("/v1/dossier-disposals", { orderIds: Array.from({ length: 501 }, (_, i) => `o-${i}`), reason: "review" }, auditor);
    expectProblem(tooMany, 400);
    expect(tooMany.body.errors.map((e: { field: string }) => e.field)).toEqual(["orderIds"]);
    expectProblem(await api.get("/v1/dossier-disposals", auditor), 400);
    expectProblem(await api.get(`/v1/stores/${storeId}/dossier-retention?due=maybe`, auditor), 400);
    // Released before it was held: the archive's refusal, as a problem.
    expectProblem(await api.post(`/v1/orders/${orderId}/dossier-hold/release`, { reason: "done" }, auditor), 409, "archive.dossier-not-held");
    // Not due: answered for the order, nothing destroyed.
    const early = await api.post("/v1/dossier-disposals", { orderIds: [orderId], reason: "review" }, auditor);
    expect(early).toMatchObject({ status: 200, body: { results: [{ orderId, outcome: "refused", code: "archive.retention-not-due" }] } });
    expect(await written()).toEqual(before);

    const listed = await api.get(`/v1/stores/${storeId}/dossier-retention`, auditor);
    expect(listed).toMatchObject({ status: 200, body: { storeId, retentionYears: 30, dossiers: [{ orderId, retainUntil: "2055-05-01T12:00:00.000Z", held: false, due: false, holds: [] }] } });
    expect((await api.get(`/v1/stores/${storeId}/dossier-retention?due=true`, auditor)).body.dossiers).toEqual([]);
  });

  it("holds a store-scoped auditor to their stores, and lets only a chain-wide one dispose", async () => {
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    const ours = callerHeaders(`staff:au-s:auditor@${storeId}`);
    const theirs = callerHeaders("staff:au-p:auditor@store-sh-pudong");
    expect((await api.get(`/v1/stores/${storeId}/dossier-retention`, ours)).status).toBe(200);
    expectProblem(await api.get(`/v1/stores/${storeId}/dossier-retention`, theirs), 403, "caller.out-of-store-scope");
    expect((await api.get(`/v1/dossier-disposals?storeId=${storeId}`, ours)).status).toBe(200);
    expectProblem(await api.get(`/v1/dossier-disposals?storeId=${storeId}`, theirs), 403, "caller.out-of-store-scope");
    const before = await written();
    expectProblem(await api.post("/v1/dossier-disposals", { orderIds: [randomUUID()], reason: "review" }, ours), 403, "caller.chain-wide-only");
    expect(await written()).toEqual(before);
  });

  it("holds, releases and disposes of a due dossier end to end, and its reads then name the disposal", async () => {
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    const orderId = await closedOrder(storeId, new Date("1990-05-01T12:00:00Z"));
    const held = await api.post(`/v1/orders/${orderId}/dossier-hold`, { matter: "(2026) Hu 0105 Min Chu 88", reason: "litigation" }, auditor);
    expect(held).toMatchObject({ status: 200, body: { orderId, held: true, due: false, holds: [{ action: "hold", matter: "(2026) Hu 0105 Min Chu 88", by: "staff:au-1", reason: "litigation" }] } });
    // A second matter, named none (as holds were before matters); a release naming none lifts only that one.
    expect((await api.post(`/v1/orders/${orderId}/dossier-hold`, { reason: "tax audit" }, auditor)).body).toMatchObject({ openMatters: ["(2026) Hu 0105 Min Chu 88", ""] });
    expect((await api.post(`/v1/orders/${orderId}/dossier-hold/release`, { reason: "audit closed" }, auditor)).body).toMatchObject({ held: true, openMatters: ["(2026) Hu 0105 Min Chu 88"] });
    expectProblem(await api.post(`/v1/orders/${orderId}/dossier-hold/release`, { reason: "judgment final" }, auditor), 409, "archive.hold-matter-not-open");
    expectProblem(await api.post(`/v1/orders/${orderId}/dossier-hold`, { matter: "", reason: "x" }, auditor), 400, "validation.failed");
    const refused = await api.post("/v1/dossier-disposals", { orderIds: [orderId], reason: "review" }, auditor);
    expect(refused.body.results).toMatchObject([{ outcome: "refused", code: "archive.dossier-held" }]);
    const released = await api.post(`/v1/orders/${orderId}/dossier-hold/release`, { matter: "(2026) Hu 0105 Min Chu 88", reason: "judgment final" }, auditor);
    expect(released.body).toMatchObject({ held: false, due: true, openMatters: [] });
    expect((await api.get(`/v1/stores/${storeId}/dossier-retention?due=true`, auditor)).body.dossiers.map((d: { orderId: string }) => d.orderId)).toEqual([orderId]);

    const disposed = await api.post("/v1/dossier-disposals", { orderIds: [orderId], reason: "retention review 2026" }, { ...auditor, "x-request-id": "disposal-review-2026" });
    expect(disposed).toMatchObject({ status: 200, body: { results: [{ orderId, outcome: "disposed", disposal: { orderId, storeId, entryCount: 2, decidedBy: "staff:au-1", correlationId: "disposal-review-2026" } }] } });
    const disposal = disposed.body.results[0].disposal;
    expect(disposal.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expectProblem(await api.post(`/v1/orders/${orderId}/dossier-access-requests`, { requestId: randomUUID(), reason: "complaint" }, agent), 404, "dossier.disposed");
    expect((await api.get(`/v1/dossier-disposals?storeId=${storeId}`, auditor)).body).toEqual({ storeId, disposals: [disposal] });
  });

  it("reads a store's dossiers and its disposal records a page at a time, whole, and names a wrong page parameter", async () => {
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    for (const year of [1993, 1990, 1992, 1991, 1994]) await closedOrder(storeId, new Date(`${year}-05-01T12:00:00Z`));
    const ids = (list: { dossiers?: { orderId: string }[]; disposals?: { disposalId: string }[] }) => list.dossiers?.map((d) => d.orderId) ?? list.disposals!.map((d) => d.disposalId);
    const everyPage = (path: string, page: string) =>
      readEveryPage(async (pageToken) => {
        const answer = await api.get(`${path}${page}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ""}`, auditor);
        expect(answer.status).toBe(200);
        return { items: ids(answer.body), nextPageToken: answer.body.nextPageToken };
      });
    const retentionPath = `/v1/stores/${storeId}/dossier-retention?due=true`;
    const oneRead = await api.get(`${retentionPath}&pageSize=500`, auditor);
    expect(oneRead.body.nextPageToken).toBeUndefined();
    expect(ids(oneRead.body)).toHaveLength(5);
    expect(await everyPage(retentionPath, "&pageSize=2")).toEqual({ items: ids(oneRead.body), pages: 3 });
    // limit, pageSize's older name, pages the same.
    expect(await everyPage(retentionPath, "&limit=4")).toEqual({ items: ids(oneRead.body), pages: 2 });

    const disposed = await api.post("/v1/dossier-disposals", { orderIds: ids(oneRead.body).slice(0, 3), reason: "retention review" }, auditor);
    expect(disposed.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(["disposed", "disposed", "disposed"]);
    const disposalsPath = `/v1/dossier-disposals?storeId=${storeId}`;
    const records = await api.get(`${disposalsPath}&pageSize=500`, auditor);
    expect(ids(records.body)).toHaveLength(3);
    expect(await everyPage(disposalsPath, "&pageSize=2")).toEqual({ items: ids(records.body), pages: 2 });

    const refusedNaming = async (path: string, field: string) => {
      const answer = await api.get(path, auditor);
      expectProblem(answer, 400);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    };
    for (const path of [retentionPath, disposalsPath]) {
      await refusedNaming(`${path}&pageToken=not-a-token`, "pageToken");
      await refusedNaming(`${path}&pageSize=501`, "pageSize");
      await refusedNaming(`${path}&pageSize=2&limit=2`, "limit");
    }
  });
});
