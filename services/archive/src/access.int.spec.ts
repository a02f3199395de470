import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics, archiveApi } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { defineArchiveService } from "./service.ts";
import { customerName, orderReceived, stockReserved } from "./test-fixtures.ts";

/**
 * Viewing what a dossier holds, on the real database over gRPC: a request with a reason,
 * a decision by someone else, the content opened for the asker only, every viewing logged
 * in the same transaction, and the log beyond anyone's reach to change.
 */
let namespace: TestNamespace;
let archive: RunningService;
let access: ReturnType<typeof createClient<typeof archiveApi.ArchiveAccessService>>;
let query: ReturnType<typeof createClient<typeof archiveApi.ArchiveQueryService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  archive = await startService(defineArchiveService({ ARCHIVE_ENCRYPTION_KEY: randomBytes(32).toString("base64") }), testServiceConfig("archive", namespace));
  const address = `127.0.0.1:${archive.grpc.port}`;
  access = createClient(archiveApi.ArchiveAccessService, "oms.archive.v1.ArchiveAccess", address);
  query = createClient(archiveApi.ArchiveQueryService, "oms.archive.v1.ArchiveQuery", address);
});

afterAll(async () => {
  access?.close();
  query?.close();
  await archive?.stop();
  await namespace?.drop();
});

const agent = { kind: "staff", id: "cs-1", role: "customer-service" };
const auditor = { kind: "staff", id: "au-1", role: "auditor" };

/** An order whose dossier holds two events, filed from the topics. */
async function filedOrder(): Promise<string> {
  const orderId = randomUUID();
  await publishEvents(namespace.name, Topics.intakeOrder, [orderReceived(orderId, 0)]);
  await publishEvents(namespace.name, Topics.warehouseStock, [stockReserved(orderId, 1)]);
  await eventually(async () => ((await query.getDossier({ orderId }).catch(() => undefined))?.entries.length === 2 ? true : undefined));
  return orderId;
}

/** How a call was refused, as the client raises it: the error's class and the archive's code. */
const refusal = (call: Promise<unknown>) => call.then(() => "granted", (error: Error & { code?: string }) => `${error.constructor.name} ${error.code}: ${error.message}`);

describe("access to a dossier's content", () => {
  it("opens the content for the person whose request was approved, and logs each viewing", async () => {
    const orderId = await filedOrder();
    const asked = await access.requestAccess({ requestId: randomUUID(), orderId, caller: agent, reason: "customer disputes the delivered quantity", correlationId: "" });
    expect(asked).toMatchObject({ orderId, status: "pending", requestedBy: "staff:cs-1", requesterRole: "customer-service", decidedBy: "", validUntil: "" });

    // Pending: nothing to see yet.
    expect(await refusal(access.viewDossier({ orderId, requestId: asked.requestId, caller: agent, correlationId: "" }))).toMatch(/^IllegalStateError archive.access-not-approved: .*pending/);
    const approved = await access.decideAccess({ requestId: asked.requestId, caller: auditor, approve: true, note: "", correlationId: "" });
    expect(approved).toMatchObject({ status: "approved", decidedBy: "staff:au-1" });
    expect(new Date(approved.validUntil).getTime() - new Date(approved.decidedAt).getTime()).toBe(24 * 3600_000);

    const view = await access.viewDossier({ orderId, requestId: asked.requestId, caller: agent, correlationId: "" });
    expect(view.records.map((r) => [r.eventType, r.producer, r.actor])).toEqual([
      ["oms.events.v1.OrderReceived", "intake", "system:intake"],
      ["oms.events.v1.StockReserved", "warehouse", "system:warehouse"],
    ]);
    // The sealed envelope opened: the customer's data is there for the approved viewer.
    expect(JSON.parse(view.records[0]!.payloadJson)).toMatchObject({ order: { orderId, customer: { name: customerName } } });
    await access.viewDossier({ orderId, requestId: asked.requestId, caller: agent, correlationId: "" });

    const history = await access.listAccess({ orderId, caller: { kind: "staff", id: "m-1", role: "store-manager" } });
    expect(history.requests.map((r) => [r.requestId, r.status, r.reason])).toEqual([[asked.requestId, "approved", "customer disputes the delivered quantity"]]);
    expect(history.viewings.map((v) => [v.requestId, v.viewer, v.records])).toEqual([
      [asked.requestId, "staff:cs-1", 2],
      [asked.requestId, "staff:cs-1", 2],
    ]);
    expect(history.viewings[0]!.viewingId).toBe(view.viewingId);
  });

  it("refuses those without a need, the asker deciding, anyone else viewing, and a refused request", async () => {
    const orderId = await filedOrder();
    const reason = "audit sample";
    expect(await refusal(access.requestAccess({ requestId: randomUUID(), orderId, caller: { kind: "staff", id: "r-1", role: "rider" }, reason, correlationId: "" }))).toMatch(/^ForbiddenError caller.not-permitted/);
    expect(await refusal(access.requestAccess({ requestId: randomUUID(), orderId, caller: { kind: "customer", id: "c-42", role: "customer" }, reason, correlationId: "" }))).toMatch(/^ForbiddenError caller.not-permitted/);
    expect(await refusal(access.requestAccess({ requestId: randomUUID(), orderId, caller: undefined, reason, correlationId: "" }))).toMatch(/^UnauthenticatedError caller.missing/);
    expect(await refusal(access.requestAccess({ requestId: randomUUID(), orderId, caller: agent, reason: " ", correlationId: "" }))).toMatch(/^ValidationError .*reason/);
    expect(await refusal(access.requestAccess({ requestId: randomUUID(), orderId: randomUUID(), caller: agent, reason, correlationId: "" }))).toMatch(/^NotFoundError dossier.not-found/);

    const own = await access.requestAccess({ requestId: randomUUID(), orderId, caller: auditor, reason, correlationId: "" });
    expect(await refusal(access.decideAccess({ requestId: own.requestId, caller: auditor, approve: true, note: "", correlationId: "" }))).toMatch(/^ForbiddenError archive.access-own-request/);
    expect(await refusal(access.decideAccess({ requestId: own.requestId, caller: agent, approve: true, note: "", correlationId: "" }))).toMatch(/^ForbiddenError caller.not-permitted/);
    expect(await refusal(access.decideAccess({ requestId: randomUUID(), caller: auditor, approve: true, note: "", correlationId: "" }))).toMatch(/^NotFoundError archive.access-request-not-found/);

    const asked = await access.requestAccess({ requestId: randomUUID(), orderId, caller: agent, reason, correlationId: "" });
    expect(await refusal(access.decideAccess({ requestId: asked.requestId, caller: auditor, approve: false, note: "", correlationId: "" }))).toMatch(/^ValidationError .*note/);
    await access.decideAccess({ requestId: asked.requestId, caller: auditor, approve: false, note: "no complaint on file", correlationId: "" });
    expect(await refusal(access.decideAccess({ requestId: asked.requestId, caller: auditor, approve: true, note: "", correlationId: "" }))).toMatch(/^IllegalStateError archive.access-already-decided: .*refused/);
    expect(await refusal(access.viewDossier({ orderId, requestId: asked.requestId, caller: agent, correlationId: "" }))).toMatch(/^IllegalStateError archive.access-not-approved: .*refused/);

    const again = await access.requestAccess({ requestId: randomUUID(), orderId, caller: agent, reason, correlationId: "" });
    await access.decideAccess({ requestId: again.requestId, caller: auditor, approve: true, note: "", correlationId: "" });
    // Someone else's request is answered as one nobody made (twenty-eighth session).
    const nobodys = randomUUID();
    expect(await refusal(access.viewDossier({ orderId, requestId: again.requestId, caller: { ...agent, id: "cs-2" }, correlationId: "" }))).toBe(
      (await refusal(access.viewDossier({ orderId, requestId: nobodys, caller: { ...agent, id: "cs-2" }, correlationId: "" }))).replace(nobodys, again.requestId),
    );
    expect(await refusal(access.viewDossier({ orderId, requestId: nobodys, caller: agent, correlationId: "" }))).toMatch(/^NotFoundError archive.access-request-not-found: /);
    expect(await refusal(access.viewDossier({ orderId: randomUUID(), requestId: again.requestId, caller: agent, correlationId: "" }))).toMatch(/^ValidationError .*another order/);
    expect(await refusal(access.listAccess({ orderId, caller: agent }))).toMatch(/^ForbiddenError caller.not-permitted/);

    // Nothing refused was logged as a viewing.
    expect((await access.listAccess({ orderId, caller: auditor })).viewings).toEqual([]);
  });

  it("answers a retried request under its id with the request already made, and refuses the id for another", async () => {
    const orderId = await filedOrder();
    const ask = { requestId: `cs-1-${randomUUID()}`, orderId, caller: agent, reason: "complaint", correlationId: "" };
    const first = await access.requestAccess(ask);
    await access.decideAccess({ requestId: ask.requestId, caller: auditor, approve: true, note: "", correlationId: "" });
    // The answer was lost and the app sends it again: the request as it now stands, not a second one.
    expect(await access.requestAccess(ask)).toMatchObject({ requestId: first.requestId, status: "approved", requestedAt: first.requestedAt });
    expect(await refusal(access.requestAccess({ ...ask, reason: "another reason" }))).toMatch(/^ConflictError archive.access-request-id-taken/);
    expect(await refusal(access.requestAccess({ ...ask, requestId: " " }))).toMatch(/^ValidationError .*requestId/);
    expect((await access.listAccess({ orderId, caller: auditor })).requests).toHaveLength(1);
  });

  it("shows an entry it cannot open as unreadable, with the reason, and the rest of the dossier as filed", async () => {
    const orderId = await filedOrder();
    // An entry sealed under a key this process does not hold (a key rotated away, say).
    await archive.runtime.pool.query(
      `INSERT INTO dossier_entries (event_id, order_id, store_id, event_type, producer, topic, occurred_at, correlation_id, causation_id,
         actor_kind, actor_id, actor_role, envelope_sealed, envelope_key_id)
       VALUES ($1, $2, 'store-1', 'oms.events.v1.OrderConfirmed', 'fulfillment', 'oms.fulfillment.order.v1', now(), '', '', 'system', 'fulfillment', 'system', $3, 'retired-key')`,
      [randomUUID(), orderId, randomBytes(64)],
    );
    const asked = await access.requestAccess({ requestId: randomUUID(), orderId, caller: agent, reason: "audit sample", correlationId: "" });
    await access.decideAccess({ requestId: asked.requestId, caller: auditor, approve: true, note: "", correlationId: "" });
    const view = await access.viewDossier({ orderId, requestId: ` ${asked.requestId} `, caller: agent, correlationId: "" });
    expect(view.records.map((r) => JSON.parse(r.payloadJson) as Record<string, unknown>).map((p) => p.unreadable ?? "readable")).toEqual(["readable", "readable", "archive.unknown-key"]);
    expect((await access.listAccess({ orderId, caller: auditor })).viewings.map((v) => v.records)).toEqual([3]);
  });

  it("keeps the access log beyond change: the database refuses to alter or remove a viewing", async () => {
    const orderId = await filedOrder();
    const asked = await access.requestAccess({ requestId: randomUUID(), orderId, caller: agent, reason: "complaint", correlationId: "" });
    await access.decideAccess({ requestId: asked.requestId, caller: auditor, approve: true, note: "", correlationId: "" });
    await access.viewDossier({ orderId, requestId: asked.requestId, caller: agent, correlationId: "" });
    const pool = archive.runtime.pool;
    await expect(pool.query("UPDATE dossier_viewings SET viewer = 'staff:nobody' WHERE order_id = $1", [orderId])).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM dossier_viewings WHERE order_id = $1", [orderId])).rejects.toThrow(/append-only/);
    // And nobody decides on their own request, whatever the code does.
    await expect(pool.query("UPDATE access_requests SET decided_by = requested_by WHERE request_id = $1", [asked.requestId])).rejects.toThrow(/check constraint/);
  });
});
