import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, archiveApi, events, newEvent, type OrderEvent } from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, readEveryPage, testServiceConfig, type TestNamespace } from "@oms/testing";
import { disposeDossiers } from "./app/retention/dispose-dossiers.ts";
import { listRetention } from "./app/retention/list-retention.ts";
import { defineArchiveService } from "./service.ts";

/**
 * Auditors' retention lists on the real database over gRPC (ADR 029, twenty-ninth session's
 * addendum): a store's ended dossiers and its disposal records, once cut at the caller's limit
 * without saying so, now read a page at a time, whole — ties on the time key and times a
 * microsecond apart kept in order, rows recorded between pages neither repeating nor skipping one.
 */
let namespace: TestNamespace;
let archive: RunningService;
let retention: ReturnType<typeof createClient<typeof archiveApi.ArchiveRetentionService>>;
let query: ReturnType<typeof createClient<typeof archiveApi.ArchiveQueryService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  archive = await startService(defineArchiveService({ ARCHIVE_ENCRYPTION_KEY: randomBytes(32).toString("base64") }), testServiceConfig("archive", namespace));
  const address = `127.0.0.1:${archive.grpc.port}`;
  retention = createClient(archiveApi.ArchiveRetentionService, "oms.archive.v1.ArchiveRetention", address);
  query = createClient(archiveApi.ArchiveQueryService, "oms.archive.v1.ArchiveQuery", address);
});

afterAll(async () => {
  retention?.close();
  query?.close();
  await archive?.stop();
  await namespace?.drop();
});

const auditor = { kind: "staff", id: "au-1", role: "auditor" };
const newStore = () => `store-${randomUUID().slice(0, 8)}`;
const day = 86_400_000;

/** Orders of `storeId` received and closed at `closedAt` each, published at once; answers their ids once the archive has filed them all. */
async function closedOrders(storeId: string, ...closedAt: Date[]): Promise<string[]> {
  const orderIds = closedAt.map(() => randomUUID());
  const origin = (orderId: string, producer: string, now: Date) => ({ producer, orderId, storeId, actor: { kind: "system" as const, id: producer, role: "system" }, now });
  const received: OrderEvent[] = orderIds.map((orderId, i) =>
    newEvent(EventTypes.OrderReceived, events.OrderReceived.fromPartial({ order: { orderId, storeId } }), origin(orderId, "intake", new Date(closedAt[i]!.getTime() - 3_600_000))),
  );
  const closed: OrderEvent[] = orderIds.map((orderId, i) =>
    newEvent(EventTypes.OrderStatusChanged, events.OrderStatusChanged.fromPartial({ fromStatus: "settled", toStatus: "closed" }), origin(orderId, "fulfillment", closedAt[i]!)),
  );
  await publishEvents(namespace.name, Topics.intakeOrder, received);
  await publishEvents(namespace.name, Topics.fulfillmentOrder, closed);
  for (const orderId of orderIds) await eventually(async () => ((await query.getDossier({ orderId }).catch(() => undefined))?.entries.length === 2 ? true : undefined));
  return orderIds;
}

const retentionPage = (storeId: string, page: { dueOnly?: boolean; pageSize?: number; limit?: number; pageToken?: string }) =>
  retention.listRetention({ storeId, caller: auditor, dueOnly: page.dueOnly ?? false, limit: page.limit ?? 0, pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? "" });
const disposalPage = (storeId: string, page: { pageSize?: number; limit?: number; pageToken?: string }) =>
  retention.listDisposals({ storeId, caller: auditor, limit: page.limit ?? 0, pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? "" });

/** Byte order, as Postgres' "C" collation compares the ids that break a tie. */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("a store's ended dossiers, a page at a time", () => {
  it("are read whole, the soonest due first, none twice or missing while another order ends meanwhile", async () => {
    const storeId = newStore();
    const base = Date.parse("1990-01-01T08:00:00Z");
    // Closed out of order; two at the same moment (the order id breaks the tie).
    const closedAt = [3, 1, 4, 2, 2, 2].map((days) => new Date(base + days * day));
    const orderIds = await closedOrders(storeId, ...closedAt);
    // One a microsecond after the tie: a token keeping only milliseconds would repeat or skip it.
    await archive.runtime.pool.query("UPDATE dossiers SET last_event_at = last_event_at + interval '1 microsecond' WHERE order_id = $1", [orderIds[5]]);
    const micros = orderIds.map((orderId, i) => ({ orderId, at: closedAt[i]!.getTime() * 1000 + (i === 5 ? 1 : 0) }));
    const expected = micros.sort((a, b) => a.at - b.at || byId(a.orderId, b.orderId)).map((d) => d.orderId);

    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await retentionPage(storeId, { pageSize: 2, pageToken });
      if (!meanwhile) meanwhile = (await closedOrders(storeId, new Date("1995-06-01T08:00:00Z")))[0]!;
      return { items: page.dossiers.map((d) => d.orderId), nextPageToken: page.nextPageToken };
    });
    // Ended after every page read's position: listed last, nothing else moved.
    expect(whole).toEqual({ items: [...expected, meanwhile], pages: 4 });
    // limit, the page size's older name, pages the same.
    expect(await readEveryPage(async (pageToken) => retentionPage(storeId, { limit: 3, pageToken }).then((p) => ({ items: p.dossiers.map((d) => d.orderId), nextPageToken: p.nextPageToken })))).toEqual({
      items: [...expected, meanwhile],
      pages: 3,
    });
  });

  it("due only: every due dossier across pages, a held one left out", async () => {
    const storeId = newStore();
    const orderIds = await closedOrders(storeId, ...[5, 1, 4, 2, 3].map((days) => new Date(Date.parse("1991-01-01T08:00:00Z") + days * day)));
    await retention.holdDossier({ orderId: orderIds[4]!, caller: auditor, matter: "tax audit 2091", reason: "audit", correlationId: "" });
    const whole = await readEveryPage(async (pageToken) => {
      const page = await retentionPage(storeId, { dueOnly: true, pageSize: 2, pageToken });
      expect(page.dossiers.every((d) => d.due)).toBe(true);
      return { items: page.dossiers.map((d) => d.orderId), nextPageToken: page.nextPageToken };
    });
    expect(whole).toEqual({ items: [orderIds[1], orderIds[3], orderIds[2], orderIds[0]], pages: 2 });
  });

  it("due only: a page the rule leaves empty still goes on, to a due dossier after one read but not due", async () => {
    const storeId = newStore();
    // On 1 March 2030 at 00:30 with 30 years the scan's cut-off is 1 March 2000 00:30. Started on
    // 29 February 2000 at 01:00, a dossier is read (before the cut-off) but kept until 1 March 2030
    // 01:00, not due; one started on 1 March at 00:10 comes after it and is due. A token taken from
    // the page as shown (empty) would end the list there and never reach the due one.
    const [, due] = await closedOrders(storeId, new Date("2000-02-29T01:00:00Z"), new Date("2000-03-01T00:10:00Z"));
    const onTheDay = { pool: archive.runtime.pool, clock: () => new Date("2030-03-01T00:30:00Z"), retentionYears: 30, newId: randomUUID };
    const whole = await readEveryPage(async (pageToken) => {
      const page = await listRetention(onTheDay, { storeId, caller: auditor, dueOnly: true, pageSize: 1, limit: 0, pageToken });
      return { items: page.dossiers.map((d) => d.orderId), nextPageToken: page.nextPageToken };
    });
    expect(whole).toEqual({ items: [due], pages: 2 });
  });
});

describe("a store's disposal records, a page at a time", () => {
  it("are read whole, newest first, none twice or missing while another dossier is disposed of meanwhile", async () => {
    const storeId = newStore();
    const orderIds = await closedOrders(storeId, ...Array.from({ length: 6 }, (_, i) => new Date(Date.parse("1990-05-01T12:00:00Z") + i * day)));
    // Disposed of at three moments, two of them shared by two records each (the disposal id breaks the tie).
    const disposedAt = (iso: string, ...orders: string[]) =>
      disposeDossiers(
        { pool: archive.runtime.pool, clock: () => new Date(iso), retentionYears: 30, newId: randomUUID },
        { orderIds: orders, caller: auditor, reason: "retention review", correlationId: "corr-pages" },
      ).then((outcome) => outcome.results.map((r) => ({ id: r.disposal!.disposalId, at: Date.parse(r.disposal!.disposedAt) })));
    const records = [
      ...(await disposedAt("2024-01-02T09:00:00.001Z", orderIds[0]!, orderIds[1]!)),
      ...(await disposedAt("2024-01-03T09:00:00Z", orderIds[2]!)),
      ...(await disposedAt("2024-01-01T09:00:00Z", orderIds[3]!, orderIds[4]!)),
    ];
    const expected = records.sort((a, b) => b.at - a.at || byId(a.id, b.id)).map((r) => r.id);

    let meanwhile = "";
    const whole = await readEveryPage(async (pageToken) => {
      const page = await disposalPage(storeId, { pageSize: 2, pageToken });
      if (!meanwhile) meanwhile = (await retention.disposeDossiers({ orderIds: [orderIds[5]!], caller: auditor, reason: "retention review", correlationId: "" })).results[0]!.disposal!.disposalId;
      return { items: page.disposals.map((d) => d.disposalId), nextPageToken: page.nextPageToken };
    });
    // Disposed of now, it is the newest, ahead of every page read: not in this reading, nothing else moved; the next reading starts with it.
    expect(whole).toEqual({ items: expected, pages: 3 });
    const again = await readEveryPage(async (pageToken) => disposalPage(storeId, { limit: 4, pageToken }).then((p) => ({ items: p.disposals.map((d) => d.disposalId), nextPageToken: p.nextPageToken })));
    expect(again).toEqual({ items: [meanwhile, ...expected], pages: 2 });
  });
});

describe("the lists' refusals", () => {
  it("name a forged or malformed page token, a size out of range, and both pageSize and limit", async () => {
    const forged = Buffer.from(JSON.stringify(["99999999999999999999", "o-x"])).toString("base64url");
    const refusedNaming = (field: string) => ({ kind: "validation", fields: [expect.objectContaining({ field })] });
    for (const list of [(page: { pageSize?: number; limit?: number; pageToken?: string }) => retentionPage("store-test", page), (page: { pageSize?: number; limit?: number; pageToken?: string }) => disposalPage("store-test", page)]) {
      for (const pageToken of ["not-a-token", forged]) await expect(list({ pageToken })).rejects.toMatchObject(refusedNaming("pageToken"));
      await expect(list({ pageSize: 501 })).rejects.toMatchObject(refusedNaming("pageSize"));
      await expect(list({ limit: 501 })).rejects.toMatchObject(refusedNaming("limit"));
      await expect(list({ pageSize: 2, limit: 2 })).rejects.toMatchObject(refusedNaming("limit"));
    }
  });
});
