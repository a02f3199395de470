import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, archiveApi, events, newEvent, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, testServiceConfig, type TestNamespace } from "@oms/testing";
import { dossierRepository } from "./adapters/pg/dossier-repository.ts";
import { disposeDossiers } from "./app/retention/dispose-dossiers.ts";
import { listRetention } from "./app/retention/list-retention.ts";
import { dossierDigest } from "./domain/retention.ts";
import { defineArchiveService } from "./service.ts";

/**
 * Retention on the real database over gRPC (ADR 029): an ended order's dossier gets its
 * retain_until, a later entry moves it, a dossier not due or held is refused, a due one is
 * disposed of (entries gone, a record with the right digest and count kept, reads naming the
 * disposal), a second disposal answers as it stands, and the entries' trigger still refuses
 * every other change. What is due is told two ways: orders that ended decades ago (their
 * events carry those times), and the use cases run with a clock set decades ahead.
 */
let namespace: TestNamespace;
let archive: RunningService;
let retention: ReturnType<typeof createClient<typeof archiveApi.ArchiveRetentionService>>;
let access: ReturnType<typeof createClient<typeof archiveApi.ArchiveAccessService>>;
let query: ReturnType<typeof createClient<typeof archiveApi.ArchiveQueryService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  archive = await startService(defineArchiveService({ ARCHIVE_ENCRYPTION_KEY: randomBytes(32).toString("base64") }), testServiceConfig("archive", namespace));
  const address = `127.0.0.1:${archive.grpc.port}`;
  retention = createClient(archiveApi.ArchiveRetentionService, "oms.archive.v1.ArchiveRetention", address);
  access = createClient(archiveApi.ArchiveAccessService, "oms.archive.v1.ArchiveAccess", address);
  query = createClient(archiveApi.ArchiveQueryService, "oms.archive.v1.ArchiveQuery", address);
});

afterAll(async () => {
  retention?.close();
  access?.close();
  query?.close();
  await archive?.stop();
  await namespace?.drop();
});

const auditor = { kind: "staff", id: "au-1", role: "auditor" };
const agent = { kind: "staff", id: "cs-1", role: "customer-service" };

/** A store of this test's own, so its retention list holds only what the test filed. */
const newStore = () => `store-${randomUUID().slice(0, 8)}`;

/** An event of `type` as its producer publishes it, at `when`. */
function eventOf(type: string, payload: unknown, orderId: string, storeId: string, producer: string, when: Date): OrderEvent {
  return newEvent(type as never, payload as never, { producer, orderId, storeId, actor: { kind: "system", id: producer, role: "system" }, now: when }) as OrderEvent;
}

const received = (orderId: string, storeId: string, when: Date) =>
  eventOf(EventTypes.OrderReceived, events.OrderReceived.fromPartial({ order: { orderId, storeId, channel: "website", kind: "goods" } }), orderId, storeId, "intake", when);
const statusChanged = (orderId: string, storeId: string, toStatus: string, when: Date) =>
  eventOf(EventTypes.OrderStatusChanged, events.OrderStatusChanged.fromPartial({ fromStatus: "settled", toStatus }), orderId, storeId, "fulfillment", when);
const caseOpened = (orderId: string, storeId: string, when: Date) =>
  eventOf(EventTypes.SettlementPrepared, events.SettlementPrepared.fromPartial({ settlementId: randomUUID(), paymentMethod: "cash" }), orderId, storeId, "billing", when);

/** Files an order's events from the topics and waits until its dossier holds `count` entries. */
async function filed(orderId: string, count: number, ...byTopic: [string, OrderEvent[]][]): Promise<void> {
  for (const [topic, list] of byTopic) await publishEvents(namespace.name, topic, list);
  await eventually(async () => ((await query.getDossier({ orderId }).catch(() => undefined))?.entries.length === count ? true : undefined));
}

/** An order received and closed at `closedAt`, its dossier filed. */
async function closedOrder(storeId: string, closedAt: Date): Promise<string> {
  const orderId = randomUUID();
  await filed(orderId, 2, [Topics.intakeOrder, [received(orderId, storeId, new Date(closedAt.getTime() - 3600_000))]], [Topics.fulfillmentOrder, [statusChanged(orderId, storeId, "closed", closedAt)]]);
  return orderId;
}

const statusOf = async (storeId: string, orderId: string) =>
  (await retention.listRetention({ storeId, caller: auditor, dueOnly: false, limit: 0, pageSize: 0, pageToken: "" })).dossiers.find((dossier) => dossier.orderId === orderId);
const dispose = (orderIds: string[], reason = "past retention, no hold") => retention.disposeDossiers({ orderIds, caller: auditor, reason, correlationId: `corr-${randomUUID()}` });
const rowCounts = async (orderId: string) => {
  const { rows } = await archive.runtime.pool.query<{ entries: number; disposals: number; holds: number }>(
    `SELECT (SELECT count(*) FROM dossier_entries WHERE order_id = $1)::int AS entries,
            (SELECT count(*) FROM dossier_disposals WHERE order_id = $1)::int AS disposals,
            (SELECT count(*) FROM dossier_holds WHERE order_id = $1)::int AS holds`,
    [orderId],
  );
  return rows[0];
};

describe("how long a dossier is kept", () => {
  it("starts the clock when the order ends, and moves it with a later entry", async () => {
    const storeId = newStore();
    const closedAt = new Date("2025-03-01T08:05:00Z");
    const orderId = randomUUID();
    // Not ended yet: no retain_until, so not listed.
    await filed(orderId, 1, [Topics.intakeOrder, [received(orderId, storeId, new Date("2025-03-01T07:00:00Z"))]]);
    expect(await statusOf(storeId, orderId)).toBeUndefined();

    await filed(orderId, 2, [Topics.fulfillmentOrder, [statusChanged(orderId, storeId, "closed", closedAt)]]);
    expect(await statusOf(storeId, orderId)).toMatchObject({ endedAt: closedAt.toISOString(), retainUntil: "2055-03-01T08:05:00.000Z", held: false, due: false, entryCount: 2 });

    // A dispute a year after closing: the dossier is kept 30 years from it.
    await filed(orderId, 3, [Topics.billingSettlement, [caseOpened(orderId, storeId, new Date("2026-04-02T10:00:00Z"))]]);
    expect(await statusOf(storeId, orderId)).toMatchObject({ endedAt: closedAt.toISOString(), retainUntil: "2056-04-02T10:00:00.000Z", due: false });
  });

  it("lists as due only what is past retain_until and not held, to auditors", async () => {
    const storeId = newStore();
    const old = await closedOrder(storeId, new Date("1990-05-01T12:00:00Z"));
    const recent = await closedOrder(storeId, new Date("2025-05-01T12:00:00Z"));
    const due = await retention.listRetention({ storeId, caller: auditor, dueOnly: true, limit: 0, pageSize: 0, pageToken: "" });
    expect(due).toMatchObject({ storeId, retentionYears: 30 });
    expect(due.dossiers.map((d) => [d.orderId, d.retainUntil, d.due])).toEqual([[old, "2020-05-01T12:00:00.000Z", true]]);
    expect((await retention.listRetention({ storeId, caller: auditor, dueOnly: false, limit: 0, pageSize: 0, pageToken: "" })).dossiers.map((d) => d.orderId)).toEqual([old, recent]);
    // With a clock forty years on, both are due: the use case decides on the clock it is given.
    const later = { pool: archive.runtime.pool, clock: () => new Date("2065-06-01T00:00:00Z"), retentionYears: 30, newId: randomUUID };
    expect((await listRetention(later, { storeId, caller: auditor, dueOnly: true, limit: 0, pageSize: 0, pageToken: "" })).dossiers.map((d) => d.orderId)).toEqual([old, recent]);
    await expect(retention.listRetention({ storeId, caller: agent, dueOnly: true, limit: 0, pageSize: 0, pageToken: "" })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(retention.listRetention({ storeId: "", caller: auditor, dueOnly: true, limit: 0, pageSize: 0, pageToken: "" })).rejects.toMatchObject({ kind: "validation", fields: [{ field: "storeId" }] });
  });
});

describe("disposing of dossiers", () => {
  it("refuses a dossier not due, one held and one not ended, writing nothing, and answers each order", async () => {
    const storeId = newStore();
    const recent = await closedOrder(storeId, new Date("2025-05-01T12:00:00Z"));
    const held = await closedOrder(storeId, new Date("1990-05-01T12:00:00Z"));
    const open = randomUUID();
    await filed(open, 1, [Topics.intakeOrder, [received(open, storeId, new Date("1990-01-01T00:00:00Z"))]]);
    const hold = await retention.holdDossier({ orderId: held, caller: auditor, matter: "", reason: "tax audit 2026", correlationId: "corr-hold" });
    expect(hold).toMatchObject({ held: true, due: false, holds: [{ action: "hold", by: "staff:au-1", role: "auditor", reason: "tax audit 2026", correlationId: "corr-hold" }] });
    await expect(retention.holdDossier({ orderId: held, caller: auditor, matter: "", reason: "again", correlationId: "" })).rejects.toMatchObject({ code: "archive.dossier-already-held" });

    const unknown = randomUUID();
    const outcome = await dispose([recent, held, open, unknown]);
    expect(outcome.results.map((r) => [r.orderId, r.outcome, r.code])).toEqual([
      [recent, "refused", "archive.retention-not-due"],
      [held, "refused", "archive.dossier-held"],
      [open, "refused", "archive.retention-not-ended"],
      [unknown, "refused", "dossier.not-found"],
    ]);
    expect(await rowCounts(recent)).toEqual({ entries: 2, disposals: 0, holds: 0 });
    expect(await rowCounts(held)).toEqual({ entries: 2, disposals: 0, holds: 1 });
    expect(await rowCounts(open)).toEqual({ entries: 1, disposals: 0, holds: 0 });

    // Released, it is due again and goes.
    const released = await retention.releaseHold({ orderId: held, caller: auditor, matter: "", reason: "audit closed", correlationId: "" });
    expect(released).toMatchObject({ held: false, due: true });
    expect(released.holds.map((h) => h.action)).toEqual(["hold", "release"]);
    expect((await dispose([held])).results[0]).toMatchObject({ outcome: "disposed" });
  });

  it("keeps a dossier held by several matters until the last is released, each release naming its own", async () => {
    const storeId = newStore();
    const orderId = await closedOrder(storeId, new Date("1990-05-01T12:00:00Z"));
    const hold = (matter: string, reason = "opened") => retention.holdDossier({ orderId, caller: auditor, matter, reason, correlationId: "" });
    const release = (matter: string) => retention.releaseHold({ orderId, caller: auditor, matter, reason: "matter closed", correlationId: "" });
    await hold("(2090) Hu 0105 Min Chu 77", "litigation");
    expect(await hold(" tax audit 2091 ")).toMatchObject({ held: true, due: false, openMatters: ["(2090) Hu 0105 Min Chu 77", "tax audit 2091"] });
    // A retry after a lost answer (same matter, person and reason) answers as it stands; the same matter held again for another reason is refused.
    expect(await hold("tax audit 2091")).toMatchObject({ openMatters: ["(2090) Hu 0105 Min Chu 77", "tax audit 2091"] });
    await expect(hold("tax audit 2091", "again")).rejects.toMatchObject({ code: "archive.dossier-already-held" });
    // A release that names no matter, or another one, lifts nothing.
    await expect(release("")).rejects.toMatchObject({ code: "archive.hold-matter-not-open" });
    await expect(release("case B")).rejects.toMatchObject({ code: "archive.hold-matter-not-open" });
    await expect(retention.holdDossier({ orderId, caller: auditor, matter: "m".repeat(101), reason: "x", correlationId: "" })).rejects.toMatchObject({ kind: "validation", fields: [{ field: "matter" }] });

    // One matter closed: still held, still refused a disposal.
    expect(await release("(2090) Hu 0105 Min Chu 77")).toMatchObject({ held: true, due: false, openMatters: ["tax audit 2091"] });
    expect((await dispose([orderId])).results[0]).toMatchObject({ outcome: "refused", code: "archive.dossier-held" });
    expect(await release("(2090) Hu 0105 Min Chu 77")).toMatchObject({ held: true, openMatters: ["tax audit 2091"] });
    expect(await rowCounts(orderId)).toEqual({ entries: 2, disposals: 0, holds: 3 });

    // The last one closed: due, and it goes.
    const released = await release("tax audit 2091");
    expect(released).toMatchObject({ held: false, due: true, openMatters: [] });
    expect(released.holds.map((h) => [h.action, h.matter])).toEqual([
      ["hold", "(2090) Hu 0105 Min Chu 77"],
      ["hold", "tax audit 2091"],
      ["release", "(2090) Hu 0105 Min Chu 77"],
      ["release", "tax audit 2091"],
    ]);
    expect((await dispose([orderId])).results[0]).toMatchObject({ outcome: "disposed" });
  });

  it("deletes a due dossier's entries, keeps a record with its digest and count, and reads name the disposal", async () => {
    const storeId = newStore();
    const orderId = await closedOrder(storeId, new Date("1990-05-01T12:00:00Z"));
    const pool = archive.runtime.pool;
    const sealed = await dossierRepository.listSealedEntries(pool, orderId);
    const correlationId = `corr-${randomUUID()}`;
    const outcome = await retention.disposeDossiers({ orderIds: [orderId], caller: auditor, reason: "past retention", correlationId });
    const disposal = outcome.results[0]?.disposal;
    expect(outcome.results[0]).toMatchObject({ orderId, outcome: "disposed", code: "" });
    expect(disposal).toMatchObject({
      orderId,
      storeId,
      entryCount: 2,
      digest: dossierDigest(sealed.map((entry) => ({ eventId: entry.eventId, sealed: entry.sealed }))),
      endedAt: "1990-05-01T12:00:00.000Z",
      lastEventAt: "1990-05-01T12:00:00.000Z",
      firstEventAt: "1990-05-01T11:00:00.000Z",
      retainUntil: "2020-05-01T12:00:00.000Z",
      decidedBy: "staff:au-1",
      deciderRole: "auditor",
      reason: "past retention",
      correlationId,
    });
    expect(await rowCounts(orderId)).toEqual({ entries: 0, disposals: 1, holds: 0 });

    const gone = { kind: "not-found", code: "dossier.disposed", message: expect.stringContaining(disposal!.disposalId) };
    await expect(query.getDossier({ orderId })).rejects.toMatchObject(gone);
    await expect(access.requestAccess({ requestId: randomUUID(), orderId, caller: agent, reason: "complaint", correlationId: "" })).rejects.toMatchObject(gone);
    await expect(retention.holdDossier({ orderId, caller: auditor, matter: "", reason: "too late", correlationId: "" })).rejects.toMatchObject(gone);
    expect((await retention.listDisposals({ storeId, caller: auditor, limit: 0, pageSize: 0, pageToken: "" })).disposals).toEqual([disposal]);

    // Asked again (a retry after a lost answer, or someone else): answered as it stands.
    expect((await dispose([orderId])).results[0]).toMatchObject({ outcome: "disposed", code: "archive.dossier-already-disposed", disposal });
    expect(await rowCounts(orderId)).toEqual({ entries: 0, disposals: 1, holds: 0 });
  });

  it("digests the entries as ADR 029 tells an auditor to recompute them from a copy: by occurred_at, then filing_seq, not in filing order", async () => {
    const storeId = newStore();
    const orderId = await closedOrder(storeId, new Date("1990-05-01T12:00:00Z"));
    // Filed last, it happened between the two others: the dossier's order is not the filing order.
    await filed(orderId, 3, [Topics.billingSettlement, [caseOpened(orderId, storeId, new Date("1990-05-01T11:30:00Z"))]]);
    const pool = archive.runtime.pool;
    // What a backup of dossier_entries holds, read as the ADR says.
    const { rows } = await pool.query<{ event_id: string; envelope_sealed: Buffer }>(
      "SELECT event_id, envelope_sealed FROM dossier_entries WHERE order_id = $1 ORDER BY occurred_at, filing_seq",
      [orderId],
    );
    const byFiling = (await pool.query<{ event_id: string; envelope_sealed: Buffer }>("SELECT event_id, envelope_sealed FROM dossier_entries WHERE order_id = $1 ORDER BY filing_seq", [orderId])).rows;
    const recomputed = (entries: { event_id: string; envelope_sealed: Buffer }[]) => {
      const hash = createHash("sha256");
      const prefixed = (bytes: Buffer) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(bytes.length);
        hash.update(length).update(bytes);
      };
      for (const entry of entries) {
        prefixed(Buffer.from(entry.event_id, "utf8"));
        prefixed(entry.envelope_sealed);
      }
      return `sha256:${hash.digest("hex")}`;
    };
    expect(recomputed(byFiling)).not.toBe(recomputed(rows));
    const disposal = (await dispose([orderId])).results[0]?.disposal;
    expect(disposal).toMatchObject({ entryCount: 3, digest: recomputed(rows) });
  });

  it("disposes of what a clock set past retain_until finds due, and nothing before it", async () => {
    const storeId = newStore();
    const orderId = await closedOrder(storeId, new Date("2025-05-01T12:00:00Z"));
    const at = (iso: string) => ({ pool: archive.runtime.pool, clock: () => new Date(iso), retentionYears: 30, newId: randomUUID });
    const command = { orderIds: [orderId], caller: auditor, reason: "past retention", correlationId: "corr-clock" };
    expect((await disposeDossiers(at("2055-05-01T11:59:59Z"), command)).results[0]).toMatchObject({ outcome: "refused", code: "archive.retention-not-due" });
    expect(await rowCounts(orderId)).toEqual({ entries: 2, disposals: 0, holds: 0 });
    const disposed = (await disposeDossiers(at("2055-05-01T12:00:00Z"), command)).results[0];
    expect(disposed).toMatchObject({ outcome: "disposed", disposal: { retainUntil: "2055-05-01T12:00:00.000Z", disposedAt: "2055-05-01T12:00:00.000Z", entryCount: 2 } });
    expect(await rowCounts(orderId)).toEqual({ entries: 0, disposals: 1, holds: 0 });
  });

  it("is for auditors only, naming 1 to 500 orders with a reason", async () => {
    await expect(retention.disposeDossiers({ orderIds: ["o-1"], caller: agent, reason: "x", correlationId: "" })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(retention.disposeDossiers({ orderIds: [], caller: auditor, reason: " ", correlationId: "" })).rejects.toMatchObject({ kind: "validation", fields: [{ field: "orderIds" }] });
    await expect(retention.disposeDossiers({ orderIds: ["o-1"], caller: auditor, reason: " ", correlationId: "" })).rejects.toMatchObject({ kind: "validation", fields: [{ field: "reason" }] });
  });
});

describe("the entries' append-only trigger", () => {
  it("still refuses updates, truncation and any delete that is not a disposal's own", async () => {
    const storeId = newStore();
    const orderId = await closedOrder(storeId, new Date("1990-05-01T12:00:00Z"));
    const other = await closedOrder(storeId, new Date("1990-05-01T12:00:00Z"));
    // A hold and its release, then a disposal: each record table has a row for the triggers to refuse changing.
    await retention.holdDossier({ orderId: other, caller: auditor, matter: "", reason: "dispute", correlationId: "" });
    await retention.releaseHold({ orderId: other, caller: auditor, matter: "", reason: "settled", correlationId: "" });
    expect((await dispose([other])).results[0]).toMatchObject({ outcome: "disposed" });
    const client = await archive.runtime.pool.connect();
    const inTransaction = async (...statements: string[]) => {
      await client.query("BEGIN");
      try {
        for (const statement of statements) await client.query(statement, statement.includes("$1") ? [orderId] : []);
      } finally {
        await client.query("ROLLBACK");
      }
    };
    try {
      await expect(inTransaction("DELETE FROM dossier_entries WHERE order_id = $1")).rejects.toThrow(/append-only/);
      // The setting alone is not enough: the order's disposal record must be written in the same transaction.
      await expect(inTransaction("SET LOCAL oms.dossier_disposal = 'on'", "DELETE FROM dossier_entries WHERE order_id = $1")).rejects.toThrow(/append-only/);
      await expect(inTransaction("SET LOCAL oms.dossier_disposal = 'on'", "UPDATE dossier_entries SET event_type = 'forged' WHERE order_id = $1")).rejects.toThrow(/append-only/);
      await expect(inTransaction("SET LOCAL oms.dossier_disposal = 'on'", "TRUNCATE dossier_entries")).rejects.toThrow(/append-only/);
      // Nor may a disposal record be changed or removed.
      await expect(inTransaction("UPDATE dossier_disposals SET digest = 'sha256:forged'")).rejects.toThrow(/append-only/);
      await expect(inTransaction("DELETE FROM dossier_disposals")).rejects.toThrow(/append-only/);
      await expect(inTransaction("DELETE FROM dossier_holds")).rejects.toThrow(/append-only/);
    } finally {
      client.release();
    }
    expect(await rowCounts(orderId)).toEqual({ entries: 2, disposals: 0, holds: 0 });
  });
});
