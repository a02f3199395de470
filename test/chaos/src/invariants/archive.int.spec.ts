import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { EventTypes, Topics, decodeEnvelope, encodeEvent, type OrderEvent } from "@oms/contracts";
import { createPool, migrationsFromDirectory, runMigrations, withTransaction } from "@oms/postgres";
import { createTestNamespace, type TestNamespace } from "@oms/testing";
import { dossierRepository } from "../../../../services/archive/src/adapters/pg/dossier-repository.ts";
import { dossierEntryOf } from "../../../../services/archive/src/domain/dossier.ts";
import { poisonOfKind } from "../../../support/poison.ts";
import { archiveFiledEveryEvent } from "./orders.ts";
import { contextOf, eventOf, messageOf } from "./test-fixtures.ts";

/**
 * "The archive filed every event, and nothing else": the archive's own migration and
 * filing statement hold the dossiers; the checker must catch an entry that is no event on
 * the topics, an event not filed or filed under another order, and a dossier that
 * miscounts its entries.
 */
let namespace: TestNamespace;
let archive: pg.Pool;
let reader: pg.Pool;

beforeAll(async () => {
  namespace = await createTestNamespace();
  reader = new pg.Pool({ connectionString: namespace.databaseUrl, max: 2 });
  await reader.query("CREATE SCHEMA archive");
  archive = createPool({ url: namespace.databaseUrl, schema: "archive", applicationName: "archive-invariant-spec" });
  const migrations = path.join(import.meta.dirname, "../../../../services/archive/src/adapters/pg/migrations");
  await runMigrations(archive, "archive", await migrationsFromDirectory(migrations, "archive"));
});

afterAll(async () => {
  await reader?.end();
  await archive?.end();
  await namespace?.drop();
});

beforeEach(async () => {
  // TRUNCATE is refused by the entries' own trigger: a test's dossiers go with a fresh copy of the tables.
  await archive.query("DROP TRIGGER dossier_entries_no_truncate ON dossier_entries; TRUNCATE dossier_entries, dossiers; CREATE TRIGGER dossier_entries_no_truncate BEFORE TRUNCATE ON dossier_entries FOR EACH STATEMENT EXECUTE FUNCTION refuse_dossier_entry_change()");
});

/** Files events as the archive's consumer does, under the topic each was read from. */
async function file(...arrived: { event: OrderEvent; topic: string }[]): Promise<void> {
  const entries = arrived.map(({ event, topic }) => ({
    ...dossierEntryOf({ envelope: decodeEnvelope(encodeEvent(event)), topic }),
    envelopeSealed: Buffer.from("sealed"),
    envelopeKeyId: "spec",
  }));
  await withTransaction(archive, (tx) => dossierRepository.fileEntries(tx, entries));
}

const asked = eventOf(EventTypes.StockReleaseRequested, { reservationId: "o-1/reservation/1", reason: "order cancelled" }, "o-1");
const cancelled = eventOf(EventTypes.OrderCancelled, { reason: "changed their mind", refundDue: false }, "o-1");
const released = eventOf(EventTypes.StockReleased, { reservationId: "o-1/reservation/1", reason: "order cancelled" }, "o-1", "warehouse");
// About a store: no dossier holds it.
const received = eventOf(EventTypes.StockReceived, { sku: "KETTLE", location: "A-01", quantity: 5 }, "", "warehouse");
const poison = poisonOfKind(Topics.fulfillmentOrder, "random bytes");
const topics = {
  [Topics.fulfillmentOrder]: [messageOf(asked), messageOf(cancelled), messageOf(cancelled), messageOf(poison.value)],
  [Topics.warehouseStock]: [messageOf(released), messageOf(received)],
};
const onTopics = [
  { event: asked, topic: Topics.fulfillmentOrder },
  { event: cancelled, topic: Topics.fulfillmentOrder },
  { event: released, topic: Topics.warehouseStock },
];

describe("invariant: the archive filed every event, and nothing else", () => {
  it("passes every order event filed once, the store's event and the poison not filed", async () => {
    await file(...onTopics);
    const outcome = await archiveFiledEveryEvent(contextOf(topics, { db: reader, planted: [poison] }));
    expect(outcome).toMatchObject({ ok: true, details: [] });
    expect(outcome.figure).toBe("3 distinct order events on the topics, 3 dossier entries; 0 missing, misfiled or not on the topics");
  });

  it("catches a dossier entry that is no event on the topics", async () => {
    const invented = eventOf(EventTypes.OrderCancelled, { reason: "never happened", refundDue: false }, "o-1");
    await file(...onTopics, { event: invented, topic: Topics.fulfillmentOrder });
    const outcome = await archiveFiledEveryEvent(contextOf(topics, { db: reader, planted: [poison] }));
    expect(outcome.ok).toBe(false);
    expect(outcome.details).toEqual([`dossier entry ${invented.eventId} (OrderCancelled of order o-1 on ${Topics.fulfillmentOrder}) is no event on the topics`]);
  });

  it("catches an event not filed, one filed under another order, and a dossier that miscounts its entries", async () => {
    await file({ event: { ...asked, orderId: "o-9" }, topic: Topics.fulfillmentOrder }, { event: released, topic: Topics.warehouseStock });
    await archive.query("UPDATE dossiers SET entry_count = 7 WHERE order_id = 'o-1'");
    const outcome = await archiveFiledEveryEvent(contextOf(topics, { db: reader, planted: [poison] }));
    expect(outcome.ok).toBe(false);
    expect(outcome.details.sort()).toEqual([
      `event ${asked.eventId} (StockReleaseRequested of order o-1 on ${Topics.fulfillmentOrder}) is filed as StockReleaseRequested of order o-9 on ${Topics.fulfillmentOrder}`,
      `event ${cancelled.eventId} (OrderCancelled of order o-1 on ${Topics.fulfillmentOrder}) is on a topic but not in any dossier`,
      "dossier o-1 counts 7 entries but holds 1",
    ].sort());
  });
});
