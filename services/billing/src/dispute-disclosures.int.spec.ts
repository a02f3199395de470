import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { ValidationError } from "@oms/errors";
import { eventually, publishEvents, readEveryPage } from "@oms/testing";
import { disputeStatementsFromEnv } from "./app/disputes/dispute-statements.ts";
import { type BillingUnderTest, clerk, consumed, orderCreated, prepaidWebsite, settlementRequested, startTestBilling } from "./test-fixtures.ts";

// Every showing of a settlement dispute's sealed statement is logged (ADR 026, showings
// addendum), on the real database: a dispute view names its viewer in dispute_disclosures, a
// list one row per dispute shown, a finding's or a resolution's answer its author; a view naming
// nobody (the gateway's store lookup, its check before closing), a statement no held key opens
// and the opener's own echo are no showings; the log is append-only.
let under: BillingUnderTest;

beforeAll(async () => {
  under = await startTestBilling();
});

afterAll(() => under?.stop());

const words = "Zhou Min, account 6217 0000 5555 8888: charged twice";
const customerCaller = { callerKind: "customer", callerId: "cust-7", callerRole: "customer" };
const storeManager = { callerKind: "staff", callerId: "sm-1", callerRole: "store-manager" };
const unseen = { callerKind: "", callerId: "", callerRole: "", correlationId: "" };

async function disputedOrder(statement = words): Promise<{ orderId: string; disputeId: string }> {
  const orderId = randomUUID();
  const events = [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
  await publishEvents(under.namespace.name, Topics.fulfillmentOrder, events);
  await consumed(under.billing.runtime.pool, ...events);
  const opened = await under.commands.openSettlementDispute({ orderId, requestId: `r-${randomUUID()}`, kind: "amount", amountMinor: 1_000, statement, ...customerCaller });
  return { orderId, disputeId: opened.disputeId };
}

const disclosuresOf = async (disputeId: string) => (await under.query.listDisputeDisclosures({ disputeId, pageSize: 0, pageToken: "" })).disclosures;
const rowsOf = async (disputeId: string) =>
  (await under.billing.runtime.pool.query<{ order_id: string; shown_to: string; role: string; fields: string[] }>("SELECT order_id, shown_to, role, fields FROM dispute_disclosures WHERE dispute_id = $1", [disputeId])).rows;

describe("showings of a dispute's statement", () => {
  it("logs a dispute view as exactly one showing naming the caller, their role, the field and the request — never the statement", async () => {
    const { orderId, disputeId } = await disputedOrder();
    // The opener answered with what they just wrote is no showing.
    expect(await disclosuresOf(disputeId)).toEqual([]);
    const correlationId = `corr-${randomUUID()}`;
    expect((await under.query.getSettlementDispute({ disputeId, ...storeManager, correlationId })).statement).toBe(words);
    expect(await rowsOf(disputeId)).toEqual([{ order_id: orderId, shown_to: "staff:sm-1", role: "store-manager", fields: ["statement"] }]);
    expect(await disclosuresOf(disputeId)).toEqual([{ shownTo: "staff:sm-1", role: "store-manager", fields: ["statement"], at: expect.any(String), correlationId }]);
    expect(JSON.stringify(await disclosuresOf(disputeId))).not.toMatch(/6217|Zhou Min/);
  });

  it("logs a list as one showing per dispute shown, and a resolution's answer as shown to finance", async () => {
    const first = await disputedOrder();
    const second = await disputedOrder("the invoice names the wrong company");
    const listed = await under.query.listSettlementDisputes({ orderId: "", storeId: "", status: "", pageSize: 0, pageToken: "", orderIds: [first.orderId, second.orderId], ...customerCaller, correlationId: "corr-list" });
    expect(listed.disputes.map((d) => d.statement).sort()).toEqual(["the invoice names the wrong company", words].sort());
    const resolved = await under.commands.resolveSettlementDispute({
      disputeId: second.disputeId, outcome: "rejected", correction: "", refundMinor: 0, documentNumber: "", reason: "the invoice is right", customerAnswer: "the invoice is correct", ...clerk,
    });
    expect(resolved.statement).toBe("the invoice names the wrong company");
    expect((await disclosuresOf(first.disputeId)).map((d) => [d.shownTo, d.correlationId])).toEqual([["customer:cust-7", "corr-list"]]);
    expect((await disclosuresOf(second.disputeId)).map((d) => [d.shownTo, d.role])).toEqual([
      ["customer:cust-7", "customer"],
      ["staff:staff-fin", "finance"],
    ]);
  });

  it("is not a showing when the view names nobody (the statement stays sealed) or no key it holds opens it", async () => {
    const { orderId, disputeId } = await disputedOrder();
    expect((await under.query.getSettlementDispute({ disputeId, ...unseen })).statement).toBe("");
    expect((await under.query.listSettlementDisputes({ orderId: "", storeId: "", status: "open", pageSize: 0, pageToken: "", orderIds: [orderId], ...unseen })).disputes.map((d) => d.statement)).toEqual([""]);
    const { statements: removed } = disputeStatementsFromEnv({ BILLING_PERSONAL_DATA_KEYS: `gone:${Buffer.alloc(32, 31).toString("base64")}` });
    await under.billing.runtime.pool.query("UPDATE settlement_disputes SET statement_sealed = $2 WHERE dispute_id = $1", [disputeId, removed.seal(disputeId, words)]);
    expect((await under.query.getSettlementDispute({ disputeId, ...storeManager, correlationId: "" })).statement).toBe("");
    expect(await rowsOf(disputeId)).toEqual([]);
    await expect(under.query.getSettlementDispute({ disputeId, callerKind: "staff", callerId: "", callerRole: "auditor", correlationId: "" })).rejects.toMatchObject({ code: "caller.missing" });
  });

  it("shows a list whose logging met a timer's locks in a deadlock, taken again rather than refused", async () => {
    const older = await disputedOrder();
    const newer = await disputedOrder("the invoice names the wrong company");
    // The timer poller fires a batch of escalations in one transaction, each locking its dispute.
    const batch = await under.billing.runtime.pool.connect();
    try {
      await batch.query("BEGIN");
      await batch.query("SELECT 1 FROM settlement_disputes WHERE dispute_id = $1 FOR UPDATE", [newer.disputeId]);
      // The list logs the older dispute's showing first (oldest first), then waits on the newer one's lock ...
      const listed = under.query.listSettlementDisputes({ orderId: "", storeId: "", status: "", pageSize: 0, pageToken: "", orderIds: [older.orderId, newer.orderId], ...storeManager, correlationId: "corr-deadlock" });
      await eventually(async () => {
        const { rows } = await under.billing.runtime.pool.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%dispute_disclosures%'");
        return rows.length > 0 ? true : undefined;
      });
      // ... while the batch goes on to the older one: one of the two is chosen to give way.
      const next = batch.query("SELECT 1 FROM settlement_disputes WHERE dispute_id = $1 FOR UPDATE", [older.disputeId]).then(
        () => "locked",
        (error: Error & { code?: string }) => error.code,
      );
      await batch.query((await next) === "locked" ? "COMMIT" : "ROLLBACK");
      // The reader is the one chosen here (it waited first); it is answered all the same.
      const answer = await listed.then(
        (view) => view.disputes.map((d) => d.statement).sort(),
        (error: Error & { code?: string }) => `${error.constructor.name} ${error.code}`,
      );
      expect(answer).toEqual(["the invoice names the wrong company", words].sort());
    } finally {
      await batch.query("ROLLBACK").catch(() => {});
      batch.release();
    }
    expect((await disclosuresOf(older.disputeId)).map((d) => d.correlationId)).toEqual(["corr-deadlock"]);
  });

  it("keeps its showings for good: the log refuses to be changed or emptied, and an unknown dispute has none to list", async () => {
    const { disputeId } = await disputedOrder();
    await under.query.getSettlementDispute({ disputeId, ...storeManager, correlationId: "" });
    const pool = under.billing.runtime.pool;
    await expect(pool.query("UPDATE dispute_disclosures SET shown_to = 'nobody' WHERE dispute_id = $1", [disputeId])).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM dispute_disclosures WHERE dispute_id = $1", [disputeId])).rejects.toThrow(/append-only/);
    await expect(pool.query("TRUNCATE dispute_disclosures")).rejects.toThrow(/append-only/);
    expect(await rowsOf(disputeId)).toHaveLength(1);
    await expect(under.query.listDisputeDisclosures({ disputeId: randomUUID(), pageSize: 0, pageToken: "" })).rejects.toMatchObject({ code: "settlement-dispute.not-found" });
  });
});

describe("reading a dispute's showings a page at a time", () => {
  // 450 showings, three to each microsecond and all within one millisecond (a Date's cursor
  // would repeat or skip them), in the order their ids were given: c-000 … c-449 is the log's order.
  const manyShowings = async () => {
    const { orderId, disputeId } = await disputedOrder();
    await under.billing.runtime.pool.query(
      `INSERT INTO dispute_disclosures (dispute_id, order_id, fields, shown_to, role, correlation_id, shown_at)
       SELECT $1, $2, ARRAY['statement'], 'staff:au-1', 'auditor', 'c-' || lpad(i::text, 3, '0'), timestamptz '2026-12-01 10:00:00.0005+00' + (i / 3) * interval '1 microsecond'
       FROM generate_series(0, 449) AS i ORDER BY i`,
      [disputeId, orderId],
    );
    return disputeId;
  };
  const logOrder = Array.from({ length: 450 }, (_, i) => `c-${String(i).padStart(3, "0")}`);
  const refusedField = (call: Promise<unknown>) =>
    call.then(
      () => "granted",
      (error: Error) => (error instanceof ValidationError ? error.fields.map((f) => f.field).join(", ") : error.message),
    );

  it("gives every showing once, oldest first, page after page, and an empty token after the last", async () => {
    const disputeId = await manyShowings();
    const { items: read, pages } = await readEveryPage(async (pageToken) => {
      const page = await under.query.listDisputeDisclosures({ disputeId, pageSize: 100, pageToken });
      expect(page.disclosures.length).toBeLessThanOrEqual(100);
      return { items: page.disclosures.map((d) => d.correlationId), nextPageToken: page.nextPageToken };
    });
    expect(read).toEqual(logOrder);
    // Four pages with a token, the fifth with "" (the helper stops there).
    expect(pages).toBe(5);
  });

  it("answers an old caller, who asks no size, with the first 200 and a token for the rest", async () => {
    const disputeId = await manyShowings();
    const first = await under.query.listDisputeDisclosures({ disputeId, pageSize: 0, pageToken: "" });
    expect(first.disclosures.map((d) => d.correlationId)).toEqual(logOrder.slice(0, 200));
    const rest = await under.query.listDisputeDisclosures({ disputeId, pageSize: 1_000, pageToken: first.nextPageToken });
    expect(rest.disclosures.map((d) => d.correlationId)).toEqual(logOrder.slice(200));
    expect(rest.nextPageToken).toBe("");
  });

  it("refuses a size outside 1 to 1,000 or a token it did not give, naming the field", async () => {
    const disputeId = await manyShowings();
    expect(await refusedField(under.query.listDisputeDisclosures({ disputeId, pageSize: 1_001, pageToken: "" }))).toBe("pageSize");
    expect(await refusedField(under.query.listDisputeDisclosures({ disputeId, pageSize: 10, pageToken: "not-a-token" }))).toBe("pageToken");
  });
});
