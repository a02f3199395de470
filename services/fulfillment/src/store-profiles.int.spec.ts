import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventTypes, Topics, deadLetterTopicOf, newEvent, type OrderEvent } from "@oms/contracts";
import { eventually, publishEvents, readTopic, storePublished } from "@oms/testing";
import { seedDemoStoreSettings } from "./app/commands/seed-demo-store-settings.ts";
import { intakeOrderReceived, startTestFulfillment, type FulfillmentUnderTest } from "./test-fixtures.ts";

/** Stores' confirmation deadlines from their published profiles (ADR 028), heard on the catalogue topic. */
let under: FulfillmentUnderTest;

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

const pool = () => under.fulfillment.runtime.pool;
const HOUR_MS = 3_600_000;

async function settingsOf(storeId: string) {
  const { rows } = await pool().query<{ f: string; e: string; c: string; v: number; updated_at: Date }>(
    `SELECT confirmation_follow_up_hours AS f, confirmation_escalation_hours AS e, confirmation_cancel_hours AS c, profile_version AS v, updated_at
     FROM store_settings WHERE store_id = $1`,
    [storeId],
  );
  const row = rows[0];
  return row && { followUp: Number(row.f), escalation: Number(row.e), cancel: Number(row.c), version: Number(row.v), updatedAt: row.updated_at };
}

const untilVersion = (storeId: string, version: number) =>
  eventually(async () => {
    const settings = await settingsOf(storeId);
    return settings?.version === version ? settings : undefined;
  });

/**
 * Published together on one partition (the test's events share the empty order key), so a
 * sentinel published last is applied after everything before it: once it is, what came
 * before it has been heard too, and what did not change never will.
 */
async function publishThenSentinel(events: OrderEvent[]): Promise<void> {
  const sentinel = `store-${randomUUID().slice(0, 8)}`;
  await publishEvents(under.namespace.name, Topics.intakeCatalogue, [...events, storePublished(sentinel, 1)]);
  await untilVersion(sentinel, 1);
}

const deadlines = (confirmationFollowUpHours: number, confirmationEscalationHours: number, confirmationCancelHours: number) => ({
  confirmationFollowUpHours,
  confirmationEscalationHours,
  confirmationCancelHours,
});

describe("stores' published profiles", () => {
  it("keeps a new store's confirmation deadlines and times its unconfirmed orders by them", async () => {
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    await publishEvents(under.namespace.name, Topics.intakeCatalogue, [storePublished(storeId, 1, deadlines(5, 7, 11))]);
    expect(await untilVersion(storeId, 1)).toMatchObject({ followUp: 5, escalation: 7, cancel: 11 });

    const orderId = randomUUID();
    await publishEvents(under.namespace.name, Topics.intakeOrder, [intakeOrderReceived(orderId, false, storeId)]);
    await under.statusOf(orderId, "awaiting-confirmation");
    const { rows } = await pool().query<{ kind: string; ms: number }>(
      "SELECT kind, extract(epoch FROM due_at - created_at)::float8 * 1000 AS ms FROM timers WHERE order_id = $1 AND kind LIKE 'confirmation-%' ORDER BY due_at",
      [orderId],
    );
    // Scheduled a moment before the row was written: within a minute of the published hours.
    expect(rows.map((r) => [r.kind, Math.round(r.ms / HOUR_MS)])).toEqual([
      ["confirmation-follow-up", 5],
      ["confirmation-escalation", 7],
      ["confirmation-cancellation", 11],
    ]);
  });

  it("applies a version only when newer: an older one and one heard again change nothing, and the price list's and the stores' own prices' events are passed over", async () => {
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    const second = storePublished(storeId, 2, deadlines(6, 8, 10));
    const item = newEvent(
      EventTypes.PriceListItemPublished,
      { version: 1, sku: "TEAPOT-1", description: "Teapot", kind: "goods", unitPriceMinor: 9_900, handling: [], skills: [], currency: "CNY" },
      { producer: "intake", orderId: "", storeId: "", actor: { kind: "staff", id: "mgr-hq", role: "store-manager" } },
    );
    // A store's own price and its removal (ADR 028, addendum) are the pre-check's, not this consumer's.
    const storePrices = [
      newEvent(EventTypes.StorePricePublished, { version: 1, storeId, sku: item.payload.sku, unitPrice: { minor: 12_900, currency: "CNY" } }, { producer: "intake", orderId: "", storeId, actor: { kind: "staff", id: "mgr-hq", role: "store-manager" } }),
      newEvent(EventTypes.StorePriceRemoved, { version: 2, storeId, sku: item.payload.sku, reason: "clearance over" }, { producer: "intake", orderId: "", storeId, actor: { kind: "staff", id: "mgr-hq", role: "store-manager" } }),
    ];
    // Heard together, the newer of a store's publications wins whatever their order.
    await publishThenSentinel([second, storePublished(storeId, 1, deadlines(1, 2, 3)), item, ...storePrices]);
    const applied = await settingsOf(storeId);
    expect(applied).toMatchObject({ followUp: 6, escalation: 8, cancel: 10, version: 2 });
    // Heard later, each alone: a replay of the first version, with what it said then, and the second heard again.
    await publishThenSentinel([storePublished(storeId, 1, deadlines(1, 2, 3))]);
    await publishThenSentinel([second]);
    expect(await settingsOf(storeId)).toEqual(applied);
    const letters = await readTopic(deadLetterTopicOf(Topics.intakeCatalogue), under.namespace.name);
    expect(letters.filter((l) => String(l.headers?.["x-dlq-consumer"] ?? "") === "fulfillment-catalogue")).toEqual([]);
  });

  it("dead-letters a profile whose deadlines it cannot time, and keeps what it held", async () => {
    const storeId = `store-${randomUUID().slice(0, 8)}`;
    await publishThenSentinel([storePublished(storeId, 1, deadlines(5, 7, 11)), storePublished(storeId, 2, deadlines(5, 4, 11))]);
    expect(await settingsOf(storeId)).toMatchObject({ followUp: 5, escalation: 7, cancel: 11, version: 1 });
    const letters = await eventually(async () => {
      const found = (await readTopic(deadLetterTopicOf(Topics.intakeCatalogue), under.namespace.name)).filter(
        (l) => String(l.headers?.["x-dlq-consumer"] ?? "") === "fulfillment-catalogue",
      );
      return found.length > 0 ? found : undefined;
    });
    expect(String(letters[0]!.headers?.["x-dlq-error"] ?? "")).toContain(`the profile of ${storeId} cannot be kept for its deadlines`);
  });

  it("is not undone by the demo seed: a store a publication set keeps it, the others are seeded", async () => {
    await publishThenSentinel([storePublished("store-sh-pudong", 1, deadlines(2, 3, 4))]);
    await seedDemoStoreSettings(pool());
    await seedDemoStoreSettings(pool());

    expect(await settingsOf("store-sh-pudong")).toMatchObject({ followUp: 2, escalation: 3, cancel: 4, version: 1 });
    // Never published: seeded as the chain file says, escalating halfway to the cancellation.
    expect(await settingsOf("store-sh-jingan")).toMatchObject({ followUp: 24, escalation: 36, cancel: 48, version: 0 });
  });
});
