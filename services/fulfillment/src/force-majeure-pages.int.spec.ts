import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFulfillment, type FulfillmentUnderTest } from "./test-fixtures.ts";

/**
 * A store's force-majeure history read a page at a time over gRPC (ADR 027, twenty-ninth
 * session's addendum): newest first, a tie on the declaration's microsecond broken by its id,
 * nothing repeated or skipped while declarations are made between pages, and a page asked
 * wrongly refused naming the field. It was cut at 200 unsaid.
 */
let under: FulfillmentUnderTest;
const storeId = `store-fmp-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  under = await startTestFulfillment();
});

afterAll(() => under?.stop());

/** Declarations as the store has them after years: rows of their own, at the times given. */
async function declared(eventId: string, declaredAt: string, lifted = false): Promise<void> {
  await under.fulfillment.runtime.pool.query(
    `INSERT INTO force_majeure_events (event_id, store_id, kind, cause, from_at, declared_by, declared_at, lifted_at, lifted_by)
     VALUES ($1, $2, 'flood', 'the street is flooded', $3, 'staff:m-1', $3, $4, $5)`,
    [eventId, storeId, declaredAt, lifted ? declaredAt : null, lifted ? "staff:m-1" : null],
  );
}

const page = (pageSize: number, pageToken = "", includeLifted = true) => under.commands.listForceMajeure({ storeId, includeLifted, eventId: "", pageSize, pageToken });

describe("a store's force-majeure declarations, a page at a time", () => {
  it("lists every declaration once, newest first, however they tie or are added between pages", async () => {
    await declared("fm-a", "2025-07-01T08:00:00.000001Z", true);
    await declared("fm-b", "2025-08-01T08:00:00.000001Z", true);
    await declared("fm-c", "2025-08-01T08:00:00.000001Z");
    // fm-d ties fm-c and fm-b to the microsecond and ends the first page: the tie is split across pages.
    await declared("fm-d", "2025-08-01T08:00:00.000001Z", true);
    await declared("fm-e", "2026-01-01T08:00:00Z");
    const seen: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const answer = await page(2, token);
      seen.push(...answer.events.map((e) => e.eventId));
      token = answer.nextPageToken;
      // A declaration made while the history is read: newer than every page still to come.
      if (pages++ === 0) await declared("fm-new", new Date().toISOString());
    } while (token !== "");
    expect(seen).toEqual(["fm-e", "fm-d", "fm-c", "fm-b", "fm-a"]);
    expect(pages).toBe(3);
    // Those still declared only, paged the same way.
    expect((await page(1, "", false)).events.map((e) => e.eventId)).toEqual(["fm-new"]);
    expect((await page(0)).events.map((e) => e.eventId)).toEqual(["fm-new", "fm-e", "fm-d", "fm-c", "fm-b", "fm-a"]);
  });

  it("takes no declaration under an id longer than its page token could name", async () => {
    const declaration = { storeId, caller: { kind: "staff", id: "m-1", role: "store-manager" }, districts: [], kind: "flood", cause: "a burst main", from: new Date(Date.now() - 60_000).toISOString(), expectedUntil: "", correlationId: "" };
    await expect(under.commands.declareForceMajeure({ ...declaration, eventId: "洪".repeat(129) })).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "eventId" })] });
  });

  it("refuses a page size outside 1 to 500 and a token it did not give, naming each", async () => {
    await expect(page(501)).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageSize" })] });
    await expect(page(2, "not-a-token")).rejects.toMatchObject({ kind: "validation", fields: [expect.objectContaining({ field: "pageToken" })] });
    // One declaration by its id is no page: whichever page field came with it is named.
    await expect(under.commands.listForceMajeure({ storeId: "", includeLifted: true, eventId: "fm-a", pageSize: 2, pageToken: "" })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "pageSize" })],
    });
    await expect(under.commands.listForceMajeure({ storeId: "", includeLifted: true, eventId: "fm-a", pageSize: 0, pageToken: "x" })).rejects.toMatchObject({
      kind: "validation",
      fields: [expect.objectContaining({ field: "pageToken" })],
    });
  });
});
