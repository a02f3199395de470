import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EventEnvelope,
  EventTypes,
  Topics,
  archiveApi,
  deadLetterTopicOf,
  encodeEvent,
  events,
} from "@oms/contracts";
import { createClient } from "@oms/grpc";
import { DeadLetterHeaders, type BatchItem } from "@oms/messaging";
import { withTransaction } from "@oms/postgres";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, eventually, publishEvents, publishRaw, readTopic, testServiceConfig, type TestNamespace } from "@oms/testing";
import { archiveKeyFromEnv, EnvelopeCipher } from "./adapters/crypto/envelope-cipher.ts";
import { dossierRepository } from "./adapters/pg/dossier-repository.ts";
import { fileEvents } from "./app/commands/file-events.ts";
import { dossierFilingConsumer } from "./ports/consumers/dossier-filing.ts";
import { defineArchiveService } from "./service.ts";
import { at, customerName, futureEnvelope, orderReceived, settlementPrepared, stockReserved, storeId } from "./test-fixtures.ts";

const encryptionEnv = { ARCHIVE_ENCRYPTION_KEY: randomBytes(32).toString("base64") };
const cipher = new EnvelopeCipher(archiveKeyFromEnv(encryptionEnv));

let namespace: TestNamespace;
let archive: RunningService;
let client: ReturnType<typeof createClient<typeof archiveApi.ArchiveQueryService>>;

beforeAll(async () => {
  namespace = await createTestNamespace();
  archive = await startService(defineArchiveService(encryptionEnv), testServiceConfig("archive", namespace));
  client = createClient(archiveApi.ArchiveQueryService, "oms.archive.v1.ArchiveQuery", `127.0.0.1:${archive.grpc.port}`);
});

afterAll(async () => {
  client?.close();
  await archive?.stop();
  await namespace?.drop();
});

async function dossierOf(orderId: string, entryCount: number) {
  return eventually(async () => {
    const dossier = await client.getDossier({ orderId }).catch(() => undefined);
    return dossier && dossier.entries.length >= entryCount ? dossier : undefined;
  });
}

describe("archive", () => {
  it("files every event of an order, from every topic and of unknown types too, in one dossier in order", async () => {
    const orderId = randomUUID();
    const received = orderReceived(orderId, 0);
    const reserved = stockReserved(orderId, 2);
    const prepared = settlementPrepared(orderId, 4);
    const future = futureEnvelope(orderId, 3);
    // Published out of order across topics: the dossier orders by when things happened.
    await publishEvents(namespace.name, Topics.billingSettlement, [prepared]);
    await publishRaw(namespace.name, Topics.afterSalesCase, [future]);
    await publishEvents(namespace.name, Topics.warehouseStock, [reserved]);
    await publishEvents(namespace.name, Topics.intakeOrder, [received]);

    const dossier = await dossierOf(orderId, 4);
    expect(dossier).toMatchObject({ orderId, storeId });
    expect(dossier.entries.map((e) => [e.eventType, e.topic, e.producer, e.occurredAt])).toEqual([
      [EventTypes.OrderReceived, Topics.intakeOrder, "intake", at(0).toISOString()],
      [EventTypes.StockReserved, Topics.warehouseStock, "warehouse", at(2).toISOString()],
      ["oms.events.v9.Future", Topics.afterSalesCase, "after-sales", at(3).toISOString()],
      [EventTypes.SettlementPrepared, Topics.billingSettlement, "billing", at(4).toISOString()],
    ]);
    expect(dossier.entries[0]?.eventId).toBe(received.eventId);
    expect(Number.isNaN(Date.parse(dossier.entries[0]!.filedAt))).toBe(false);

    const summary = await dossierRepository.findSummary(archive.runtime.pool, orderId);
    expect(summary).toMatchObject({ entryCount: 4, firstEventAt: at(0), lastEventAt: at(4) });
  });

  it("keeps the envelope sealed at rest, and it opens back to what was published", async () => {
    const orderId = randomUUID();
    const received = orderReceived(orderId, 0);
    await publishEvents(namespace.name, Topics.intakeOrder, [received]);
    await dossierOf(orderId, 1);

    const stored = await dossierRepository.findSealedEnvelope(archive.runtime.pool, received.eventId);
    expect(stored).toBeDefined();
    expect(stored!.sealed.includes(Buffer.from(customerName))).toBe(false);
    expect(stored!.sealed.includes(Buffer.from(orderId))).toBe(false);
    const opened = cipher.open(stored!.sealed, { eventId: received.eventId, keyId: stored!.keyId });
    expect(opened.equals(Buffer.from(encodeEvent(received)))).toBe(true);
    const payload = events.OrderReceived.decode(EventEnvelope.decode(opened).payload);
    expect(payload.order?.customer?.name).toBe(customerName);
  });

  it("seals the envelope exactly as it was on the topic, fields newer than this build included", async () => {
    const orderId = randomUUID();
    const { value } = futureEnvelope(orderId, 0);
    // Field 99 of the envelope, unknown to this build: a re-encoded envelope would drop it.
    const published = Buffer.concat([value, Buffer.from([0x9a, 0x06, 0x05]), Buffer.from("later")]);
    const eventId = EventEnvelope.decode(published).eventId;
    await publishRaw(namespace.name, Topics.afterSalesCase, [{ key: orderId, value: published }]);
    await dossierOf(orderId, 1);

    const stored = await dossierRepository.findSealedEnvelope(archive.runtime.pool, eventId);
    expect(cipher.open(stored!.sealed, { eventId, keyId: stored!.keyId }).equals(published)).toBe(true);
  });

  it("files concurrent batches that touch the same dossiers in opposite orders without a deadlock", async () => {
    const orderIds = Array.from({ length: 12 }, () => randomUUID());
    const { handleBatch } = dossierFilingConsumer(cipher);
    const batchOf = (ids: string[], minute: number): BatchItem[] =>
      ids.map((orderId) => {
        const value = Buffer.from(encodeEvent(stockReserved(orderId, minute)));
        return { event: undefined, envelope: EventEnvelope.decode(value), value, topic: Topics.warehouseStock };
      });
    // Each batch names every order, half of them forwards and half backwards, all at once.
    const batches = Array.from({ length: 8 }, (_, i) => batchOf(i % 2 ? [...orderIds].reverse() : orderIds, i));
    const { pool } = archive.runtime;
    const outcomes = await Promise.allSettled(
      batches.map((items) => withTransaction(pool, (tx) => handleBatch!(items, { tx, logger: archive.runtime.logger }))),
    );

    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    for (const orderId of orderIds) expect(await dossierRepository.findSummary(pool, orderId)).toMatchObject({ entryCount: batches.length });
  });

  it("files a redelivered event once", async () => {
    const orderId = randomUUID();
    const received = orderReceived(orderId, 0);
    await publishEvents(namespace.name, Topics.intakeOrder, [received, received]);
    await dossierOf(orderId, 1);
    // Redelivered later, in another batch; the next event proves the consumer got past it.
    await publishEvents(namespace.name, Topics.intakeOrder, [received, stockReserved(orderId, 1)]);
    const dossier = await dossierOf(orderId, 2);
    expect(dossier.entries.map((e) => e.eventType)).toEqual([EventTypes.OrderReceived, EventTypes.StockReserved]);
    expect(await dossierRepository.findSummary(archive.runtime.pool, orderId)).toMatchObject({ entryCount: 2 });
    // Without an inbox: the filed entries' own key is what turned the redelivery away.
    const { rows } = await archive.runtime.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM processed_events");
    expect(rows[0]!.n).toBe(0);
  });

  it("files an event once even when filing is asked twice (no inbox in front)", async () => {
    const orderId = randomUUID();
    const received = orderReceived(orderId, 0);
    const envelope = EventEnvelope.decode(encodeEvent(received));
    const { pool } = archive.runtime;
    const arrived = { envelope, topic: Topics.intakeOrder };
    const first = await withTransaction(pool, (tx) => fileEvents(tx, cipher, [arrived, arrived]));
    const again = await withTransaction(pool, (tx) => fileEvents(tx, cipher, [arrived]));
    expect([first, again]).toEqual([1, 0]);
    expect(await dossierRepository.findSummary(pool, orderId)).toMatchObject({ entryCount: 1 });
  });

  it("refuses to change or delete a filed entry", async () => {
    const orderId = randomUUID();
    await publishEvents(namespace.name, Topics.intakeOrder, [orderReceived(orderId, 0)]);
    await dossierOf(orderId, 1);
    const { pool } = archive.runtime;
    await expect(pool.query("UPDATE dossier_entries SET event_type = 'forged' WHERE order_id = $1", [orderId])).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM dossier_entries WHERE order_id = $1", [orderId])).rejects.toThrow(/append-only/);
    await expect(pool.query("TRUNCATE dossier_entries")).rejects.toThrow(/append-only/);
    expect((await client.getDossier({ orderId })).entries.map((e) => e.eventType)).toEqual([EventTypes.OrderReceived]);
  });

  it("dead-letters an event that names no order, and keeps filing the rest", async () => {
    const orderId = randomUUID();
    const orphanId = randomUUID();
    await publishRaw(namespace.name, Topics.afterSalesCase, [futureEnvelope("", 0, orphanId), futureEnvelope(orderId, 1)]);
    await dossierOf(orderId, 1);
    const deadLetters = await eventually(async () => {
      const messages = await readTopic(deadLetterTopicOf(Topics.afterSalesCase), namespace.name);
      const letters = messages.filter((m) => m.value && EventEnvelope.decode(m.value).eventId === orphanId);
      return letters.length > 0 ? letters : undefined;
    });
    expect(String(deadLetters[0]?.headers?.[DeadLetterHeaders.error])).toMatch(/orderId: is required/);
  });

  it("answers NOT_FOUND for an unknown order and INVALID_ARGUMENT for an empty id", async () => {
    await expect(client.getDossier({ orderId: randomUUID() })).rejects.toMatchObject({ kind: "not-found", code: "dossier.not-found" });
    await expect(client.getDossier({ orderId: "" })).rejects.toMatchObject({ kind: "validation", fields: [{ field: "orderId" }] });
  });
});
