import { randomUUID } from "node:crypto";
import { InboxPruner, messagingMigrations, minimumInboxRetentionDays } from "@oms/messaging";
import { createLogger } from "@oms/observability";
import { eventually, useMigratedDatabase } from "@oms/testing";
import { describe, expect, it } from "vitest";

const db = useMigratedDatabase("inbox-pruning-test", messagingMigrations);
const logger = createLogger({ service: "inbox-pruning-test", level: "silent" });

/** Inbox rows of `consumer` processed `daysAgo` days ago; returns their event ids. */
async function processed(consumer: string, count: number, daysAgo: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.pool.query(
    "INSERT INTO processed_events (consumer, event_id, processed_at) SELECT $1, unnest($2::text[]), now() - make_interval(days => $3)",
    [consumer, ids, daysAgo],
  );
  return ids;
}

const remaining = async (consumer: string) =>
  (await db.pool.query<{ event_id: string }>("SELECT event_id FROM processed_events WHERE consumer = $1", [consumer])).rows.map((r) => r.event_id).sort();

describe("inbox pruning", () => {
  it("deletes the ids past the retention, in bounded statements, and keeps every newer one", async () => {
    const consumer = `c-${randomUUID()}`;
    await processed(consumer, 5, 60);
    await processed(consumer, 2, 46);
    const kept = [...(await processed(consumer, 3, 44)), ...(await processed(consumer, 4, 0))].sort();

    const pruner = new InboxPruner({ pool: db.pool, logger, retentionDays: 45, batchSize: 2 });
    expect(await pruner.pruneOnce()).toBe(7);
    expect(await remaining(consumer)).toEqual(kept);
    expect(await pruner.pruneOnce()).toBe(0);
  });

  it("prunes on its own every interval until stopped", async () => {
    const consumer = `c-${randomUUID()}`;
    await processed(consumer, 3, 50);
    const pruner = new InboxPruner({ pool: db.pool, logger, retentionDays: 45, everyMs: 50 });
    pruner.start();
    await eventually(async () => ((await remaining(consumer)).length === 0 ? true : undefined));
    await pruner.stop();
    await processed(consumer, 1, 50);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await remaining(consumer)).toHaveLength(1);
  });

  it("refuses a retention an event could still be redelivered within", () => {
    expect(() => new InboxPruner({ pool: db.pool, logger, retentionDays: minimumInboxRetentionDays - 1 })).toThrow(/longer than an event can be redelivered \(37 days/);
  });
});
