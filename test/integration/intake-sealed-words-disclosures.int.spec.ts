import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics } from "@oms/contracts";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, publishEvents, readEveryPage, testCallerTrust, testServiceConfig } from "@oms/testing";
// Services are not packages: the cross-service tests start them in process from their sources.
import { defineAfterSalesService } from "../../services/after-sales/src/service.ts";
import { afterSalesClients, knownOrder, newStore, openRequest } from "../../services/after-sales/src/test-fixtures.ts";
import { consumed, orderCreated, prepaidWebsite, settlementRequested, startTestBilling, type BillingUnderTest } from "../../services/billing/src/test-fixtures.ts";
import { seedDemoCatalogue } from "../../services/intake/src/app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../services/intake/src/service.ts";
import { demoOrder, expectProblem, freePort, httpClient, peersAt } from "../../services/intake/src/test-fixtures.ts";

// Who was shown a customer's sealed words, through intake's REST API on the real after-sales
// and billing (ADR 017's and ADR 026's showings addenda): each view of a case's description
// or a dispute's statement is logged by the service that opened it, naming the caller intake
// passed on; auditors and store managers read the log, riders do not; an unknown case or
// dispute is 404; a customer refused another's case was shown nothing.
let billing: BillingUnderTest;
let afterSales: RunningService;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
let cases: ReturnType<typeof afterSalesClients>;
const storeId = newStore();
const words = "He Jun, 135 7777 2020, 8 Huaihai Road: the blender's blade came loose";
const statement = "Ma Lin, card 6225 8888 0000 4321: the refund never arrived";

beforeAll(async () => {
  billing = await startTestBilling();
  afterSales = await startService(defineAfterSalesService({}), testServiceConfig("after-sales", billing.namespace));
  const peers = peersAt(`127.0.0.1:${await freePort()}`, { "after-sales": `127.0.0.1:${afterSales.grpc.port}`, billing: `127.0.0.1:${billing.billing.grpc.port}` });
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", billing.namespace, peers));
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
  cases = afterSalesClients(afterSales.grpc.port);
});

afterAll(async () => {
  cases?.query.close();
  cases?.commands.close();
  await intake?.stop();
  await afterSales?.stop();
  await billing?.stop();
});

const auditor = callerHeaders("staff:a-1:auditor");
const rider = callerHeaders("staff:r-1:rider");
const showingsOf = (body: { disclosures: { shownTo: string; role: string; fields: string[] }[] }) => body.disclosures.map((d) => [d.shownTo, d.role, d.fields.join()]);

describe("intake: who was shown a case's description", () => {
  it("lists each view of the case, naming the caller and the request, to auditors and the store manager, never cached", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1, customerId: "c-words-1" });
    const { caseId } = await cases.commands.openCase(openRequest(orderId, { description: words }));
    const requestId = `req-${randomUUID()}`;
    const viewed = await api.get(`/v1/after-sales-cases/${caseId}`, { ...callerHeaders("staff:cs-7:customer-service"), "x-request-id": requestId });
    expect(viewed.status, JSON.stringify(viewed.body)).toBe(200);
    expect(viewed.body.description).toBe(words);
    expect((await api.get(`/v1/after-sales-cases/${caseId}`, callerHeaders("customer:c-words-1"))).body.description).toBe(words);
    // Another customer is answered as for a case nobody opened, word for word, before the words are opened: no showing is logged for them.
    const unknown = await api.get(`/v1/after-sales-cases/${caseId}-nowhere`, callerHeaders("customer:c-someone-else"));
    expectProblem(unknown, 404, "after-sales.case-not-found");
    for (const query of ["", `?orderId=${orderId}`]) {
      const notTheirs = await api.get(`/v1/after-sales-cases/${caseId}${query}`, callerHeaders("customer:c-someone-else"));
      expectProblem(notTheirs, 404, "after-sales.case-not-found");
      expect(notTheirs.body.detail).toBe(unknown.body.detail.replace(`${caseId}-nowhere`, caseId));
    }
    // Staff keep their refusals: they know the chain's cases exist.
    expectProblem(await api.get(`/v1/after-sales-cases/${caseId}`, rider), 403, "caller.not-permitted");

    const log = await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, auditor);
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    expect(log.headers.get("cache-control")).toBe("no-store");
    expect(log.body.caseId).toBe(caseId);
    expect(showingsOf(log.body)).toEqual([
      ["staff:cs-7", "customer-service", "description"],
      ["customer:c-words-1", "customer", "description"],
    ]);
    expect(log.body.disclosures[0]).toEqual({ shownTo: "staff:cs-7", role: "customer-service", fields: ["description"], at: expect.any(String), correlationId: requestId });
    expect(JSON.stringify(log.body)).not.toMatch(/135 7777|He Jun|Huaihai/);
    expect((await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, callerHeaders(`staff:sm-1:store-manager@${storeId}`))).status).toBe(200);
  });

  it("shows a guest order's case to a customer only with the order's id, since the case's own id is chosen by whoever opened it", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1, customerId: "" });
    const { caseId } = await cases.commands.openCase(openRequest(orderId, { caseId: `CS-${Date.now()}`, description: words }));
    const guest = callerHeaders("customer:anonymous");
    // Without the receipt the case is answered as one that does not exist, word for word: a guessed id learns nothing.
    const unknown = await api.get(`/v1/after-sales-cases/${caseId}-nowhere`, guest);
    expectProblem(unknown, 404, "after-sales.case-not-found");
    const refused = await api.get(`/v1/after-sales-cases/${caseId}`, guest);
    expectProblem(refused, 404, "after-sales.case-not-found");
    expect(refused.body.detail).toBe(unknown.body.detail.replace(`${caseId}-nowhere`, caseId));
    expectProblem(await api.get(`/v1/after-sales-cases/${caseId}?orderId=${randomUUID()}`, guest), 404, "after-sales.case-not-found");
    expect((await api.get(`/v1/after-sales-cases/${caseId}?orderIdx=${orderId}`, guest)).status).toBe(400);
    const shown = await api.get(`/v1/after-sales-cases/${caseId}?orderId=${orderId}`, guest);
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    expect(shown.body.description).toBe(words);
    // Only the customer who held the receipt was shown the words.
    expect(showingsOf((await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, auditor)).body)).toEqual([["customer:anonymous", "customer", "description"]]);
  });

  it("logs a desk's list as one showing per case; refuses the log to riders, to another store's manager, and answers 404 for an unknown case", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const { caseId } = await cases.commands.openCase(openRequest(orderId, { description: words }));
    const listed = await api.get(`/v1/after-sales-cases?orderId=${orderId}`, callerHeaders("staff:sv-1:supervisor"));
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.cases.map((c: { description: string }) => c.description)).toEqual([words]);
    expect(showingsOf((await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, auditor)).body)).toEqual([["staff:sv-1", "supervisor", "description"]]);

    expectProblem(await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, rider), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, callerHeaders("staff:cs-7:customer-service")), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, callerHeaders(`staff:sm-2:store-manager@${newStore()}`)), 403, "caller.out-of-store-scope");
    expectProblem(await api.get(`/v1/after-sales-cases/case-${randomUUID()}/disclosures`, auditor), 404, "after-sales.case-not-found");
  });

  it("logs no showing for a HEAD of the case or of a list, which sends no words", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const { caseId } = await cases.commands.openCase(openRequest(orderId, { description: words }));
    const desk = callerHeaders("staff:cs-8:customer-service");
    await head(`/v1/after-sales-cases/${caseId}`, desk);
    await head(`/v1/after-sales-cases?orderId=${orderId}`, desk);
    expect((await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, auditor)).body.disclosures).toEqual([]);
  });
});

/** A HEAD request: fastify answers it from the GET route's handler, then sends no body. */
const head = (path: string, headers: Record<string, string>) => fetch(`http://127.0.0.1:${intake.httpPort}${path}`, { method: "HEAD", headers });

describe("intake: who was shown a dispute's statement", () => {
  /** The demo order, taken by intake for a customer, prepaid, once billing holds its money (at store-test); disputed by customer service. */
  async function disputed(): Promise<{ orderId: string; disputeId: string }> {
    const customerId = `c-${randomUUID()}`;
    const order = await demoOrder();
    const placed = await api.post("/v1/orders", { ...order, customer: { ...(order.customer as object), customerId } }, callerHeaders(`customer:${customerId}`));
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.orderId as string;
    const events = [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
    await publishEvents(billing.namespace.name, Topics.fulfillmentOrder, events);
    await consumed(billing.billing.runtime.pool, ...events);
    const opened = await api.post(`/v1/orders/${orderId}/settlement-disputes`, { requestId: "cs-1", kind: "refund-missing", amountMinor: 1_000, statement }, callerHeaders("staff:cs-1:customer-service"));
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    return { orderId, disputeId: opened.body.disputeId };
  }

  it("lists each view of the dispute to auditors, not its opening's echo; refuses riders; 404 for an unknown dispute", async () => {
    const { orderId, disputeId } = await disputed();
    const read = await api.get(`/v1/orders/${orderId}/settlement-disputes`, callerHeaders("staff:f-1:finance"));
    expect(read.body.disputes.map((d: { statement: string }) => d.statement)).toEqual([statement]);
    const log = await api.get(`/v1/settlement-disputes/${disputeId}/disclosures`, auditor);
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    expect(log.headers.get("cache-control")).toBe("no-store");
    expect(log.body.disputeId).toBe(disputeId);
    expect(showingsOf(log.body)).toEqual([["staff:f-1", "finance", "statement"]]);
    expect(JSON.stringify(log.body)).not.toMatch(/6225|Ma Lin/);

    expectProblem(await api.get(`/v1/settlement-disputes/${disputeId}/disclosures`, rider), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/settlement-disputes/${randomUUID()}/disclosures`, auditor), 404, "settlement-dispute.not-found");
  });

  it("logs no showing for a HEAD of an order's or a store's disputes, which sends no statement", async () => {
    const { orderId, disputeId } = await disputed();
    const { rows } = await billing.billing.runtime.pool.query<{ store_id: string }>("SELECT store_id FROM settlement_disputes WHERE dispute_id = $1", [disputeId]);
    const finance = callerHeaders("staff:f-2:finance");
    await head(`/v1/orders/${orderId}/settlement-disputes`, finance);
    await head(`/v1/stores/${rows[0]!.store_id}/settlement-disputes`, finance);
    expect((await api.get(`/v1/settlement-disputes/${disputeId}/disclosures`, auditor)).body.disclosures).toEqual([]);
  });
});

describe("intake: a showings' log read whole, a page at a time", () => {
  // 450 showings, three to each microsecond, all in one millisecond: s-000 … s-449 is the log's order.
  const manyShowings = (pool: { query: (text: string, values: unknown[]) => Promise<unknown> }, table: string, key: string, field: string, id: string, orderId: string) =>
    pool.query(
      `INSERT INTO ${table} (${key}, order_id, fields, shown_to, role, correlation_id, shown_at)
       SELECT $1, $2, ARRAY['${field}'], 'staff:cs-7', 'customer-service', 's-' || lpad(i::text, 3, '0'), timestamptz '2026-12-01 10:00:00.0005+00' + (i / 3) * interval '1 microsecond'
       FROM generate_series(0, 449) AS i ORDER BY i`,
      [id, orderId],
    );
  const logOrder = Array.from({ length: 450 }, (_, i) => `s-${String(i).padStart(3, "0")}`);

  /** Every page of a log through the gateway, following nextPageToken; the correlation ids in the order given, and how many pages. */
  async function readWhole(path: string): Promise<{ read: string[]; pages: number }> {
    const { items: read, pages } = await readEveryPage(async (pageToken) => {
      const page = await api.get(`${path}?pageSize=100${pageToken && `&pageToken=${pageToken}`}`, auditor);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return { items: page.body.disclosures.map((d: { correlationId: string }) => d.correlationId) as string[], nextPageToken: page.body.nextPageToken };
    });
    return { read, pages };
  }

  const refusedFields = async (path: string) => {
    const fields: string[] = [];
    for (const query of ["?pageSize=1001", "?pageToken=not-a-token"]) {
      const refused = await api.get(`${path}${query}`, auditor);
      expectProblem(refused, 400);
      fields.push(...refused.body.errors.map((e: { field: string }) => e.field));
    }
    return fields;
  };

  it("a case's: every showing once, oldest first; a bad size or token is 400 naming the field", async () => {
    const orderId = await knownOrder(afterSales.runtime.pool, { storeId, deliveredDaysAgo: 1 });
    const { caseId } = await cases.commands.openCase(openRequest(orderId, { description: words }));
    await manyShowings(afterSales.runtime.pool, "case_disclosures", "case_id", "description", caseId, orderId);
    expect(await readWhole(`/v1/after-sales-cases/${caseId}/disclosures`)).toEqual({ read: logOrder, pages: 5 });
    expect((await api.get(`/v1/after-sales-cases/${caseId}/disclosures`, auditor)).body.disclosures).toHaveLength(200);
    expect(await refusedFields(`/v1/after-sales-cases/${caseId}/disclosures`)).toEqual(["pageSize", "pageToken"]);
  });

  it("a dispute's: every showing once, oldest first; a bad size or token is 400 naming the field", async () => {
    const customerId = `c-${randomUUID()}`;
    const order = await demoOrder();
    const placed = await api.post("/v1/orders", { ...order, customer: { ...(order.customer as object), customerId } }, callerHeaders(`customer:${customerId}`));
    const orderId = placed.body.orderId as string;
    const events = [orderCreated(orderId, prepaidWebsite), settlementRequested(orderId, prepaidWebsite)];
    await publishEvents(billing.namespace.name, Topics.fulfillmentOrder, events);
    await consumed(billing.billing.runtime.pool, ...events);
    const opened = await api.post(`/v1/orders/${orderId}/settlement-disputes`, { requestId: "cs-1", kind: "refund-missing", amountMinor: 1_000, statement }, callerHeaders("staff:cs-1:customer-service"));
    const disputeId = opened.body.disputeId as string;
    await manyShowings(billing.billing.runtime.pool, "dispute_disclosures", "dispute_id", "statement", disputeId, orderId);
    expect(await readWhole(`/v1/settlement-disputes/${disputeId}/disclosures`)).toEqual({ read: logOrder, pages: 5 });
    expect(await refusedFields(`/v1/settlement-disputes/${disputeId}/disclosures`)).toEqual(["pageSize", "pageToken"]);
  });
});
