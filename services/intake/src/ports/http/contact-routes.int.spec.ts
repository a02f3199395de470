import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Topics, type events } from "@oms/contracts";
import { createLogger } from "@oms/observability";
import { startService, type RunningService } from "@oms/service-kit";
import { callerHeaders, createTestNamespace, readEveryPage, readTopic, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { sealStoredContacts } from "../../app/seal-stored-contacts.ts";
import { createIntakeService } from "../../service.ts";
import { demoOrder, expectProblem, freePort, httpClient, peersAt, testOrderContacts } from "../../test-fixtures.ts";

// Intake alone (fulfillment down): accepting, storing, publishing and showing a contact are all intake's.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;

const contact = { name: "Qian Mei", phone: "+86 139 1234 5678", email: "qian.mei@example.cn" };
const street = { line1: "1266 Nanjing West Road", line2: "Flat 1203", postalCode: "200040" };

beforeAll(async () => {
  namespace = await createTestNamespace();
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust }), testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

async function placeAs(customerId: string): Promise<string> {
  const order = await demoOrder();
  const customer = order.customer as { address: Record<string, unknown> };
  const answer = await api.post(
    "/v1/orders",
    { ...order, customer: { ...customer, ...contact, customerId, address: { ...customer.address, ...street } } },
    callerHeaders(`customer:${customerId}`),
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.orderId;
}

const everyClearValue = [contact.name, contact.phone, contact.email, street.line1, street.line2, street.postalCode];

describe("a customer's contact", () => {
  it("is neither stored nor published in the clear: the topic and the table hold it sealed", async () => {
    const orderId = await placeAs("c-contact-1");
    await intake.relay.flush();
    const published = (await readTopic(Topics.intakeOrder, namespace.name)).find((m) => String(m.key) === orderId);
    expect(published).toBeDefined();
    const onTheTopic = Buffer.from(published!.value!).toString("latin1");
    const { rows } = await intake.runtime.pool.query<{ canonical: unknown; sealed_contact: Buffer }>("SELECT canonical, sealed_contact FROM orders WHERE order_id = $1", [orderId]);
    const inTheTable = JSON.stringify(rows[0]!.canonical) + rows[0]!.sealed_contact.toString("latin1");
    for (const value of everyClearValue) {
      expect(onTheTopic, value).not.toContain(value);
      expect(inTheTable, value).not.toContain(value);
    }
    // What routing, review and the regional reports need stays readable.
    expect(rows[0]!.canonical).toMatchObject({ region: "Jing'an", customer: { customerId: "c-contact-1", address: { district: "Jing'an" } } });
  });

  it("is shown to those whose work reaches the customer, never cached, each showing logged", async () => {
    const orderId = await placeAs("c-contact-2");
    const shown = await api.get(`/v1/orders/${orderId}/contact`, callerHeaders("staff:r-9:rider"));
    expect(shown.status).toBe(200);
    expect(shown.headers.get("cache-control")).toBe("no-store");
    expect(shown.body).toEqual({ orderId, ...contact, address: { ...street, district: "Jing'an", city: "Shanghai", country: "CN" } });
    expect((await api.get(`/v1/orders/${orderId}/contact`, callerHeaders("customer:c-contact-2"))).status).toBe(200);

    const log = await api.get(`/v1/orders/${orderId}/contact-disclosures`, callerHeaders("staff:a-1:auditor"));
    expect(log.status).toBe(200);
    expect(log.body.disclosures.map((d: { shownTo: string; role: string }) => [d.shownTo, d.role])).toEqual([
      ["staff:r-9", "rider"],
      ["customer:c-contact-2", "customer"],
    ]);
    expect(JSON.stringify(log.body)).not.toContain(contact.phone);
  });

  it("logs no showing for a HEAD, which sends no contact", async () => {
    const orderId = await placeAs("c-contact-head");
    await fetch(`http://127.0.0.1:${intake.httpPort}/v1/orders/${orderId}/contact`, { method: "HEAD", headers: callerHeaders("staff:r-9:rider") });
    expect((await api.get(`/v1/orders/${orderId}/contact-disclosures`, callerHeaders("staff:a-1:auditor"))).body.disclosures).toEqual([]);
  });

  it("is refused to another customer, to roles whose work does not need it, and its log to all but auditors and the store manager", async () => {
    const orderId = await placeAs("c-contact-3");
    // Another customer's order is answered as one nobody placed, and no showing is logged (ADR 022, twenty-fifth session).
    for (const stranger of [callerHeaders("customer:c-someone-else"), {}]) {
      const refused = await api.get(`/v1/orders/${orderId}/contact`, stranger);
      expectProblem(refused, 404, "order.not-found");
      expect(refused.body.detail).toBe(`order ${orderId} not found`);
    }
    for (const role of ["auditor", "dispatcher"]) {
      expectProblem(await api.get(`/v1/orders/${orderId}/contact`, callerHeaders(`staff:s-1:${role}`)), 403, "caller.not-permitted");
    }
    expectProblem(await api.get(`/v1/orders/${orderId}/contact-disclosures`, callerHeaders("staff:r-9:rider")), 403, "caller.not-permitted");
    expectProblem(await api.get(`/v1/orders/${randomUUID()}/contact`, callerHeaders("staff:r-9:rider")), 404, "order.not-found");
    const { rows } = await intake.runtime.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM contact_disclosures WHERE order_id = $1", [orderId]);
    expect(rows[0]!.n).toBe(0);
  });

  it("keeps its showings for good: the log refuses to be changed or emptied", async () => {
    const orderId = await placeAs("c-contact-4");
    await api.get(`/v1/orders/${orderId}/contact`, callerHeaders("staff:ot-1:order-taker"));
    const pool = intake.runtime.pool;
    await expect(pool.query("UPDATE contact_disclosures SET shown_to = 'nobody' WHERE order_id = $1", [orderId])).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM contact_disclosures WHERE order_id = $1", [orderId])).rejects.toThrow(/append-only/);
    await expect(pool.query("TRUNCATE contact_disclosures")).rejects.toThrow(/append-only/);
  });

  it("stored in the clear before sealing is sealed at the next start, and still shown", async () => {
    const orderId = await placeAs("c-contact-5");
    const pool = intake.runtime.pool;
    // As a row written before migration 009: the whole order in `canonical`, nothing sealed.
    const { rows } = await pool.query<{ canonical: Record<string, unknown>; sealed_contact: Buffer }>("SELECT canonical, sealed_contact FROM orders WHERE order_id = $1", [orderId]);
    const whole = testOrderContacts.whole({ ...(rows[0]!.canonical as unknown as events.CanonicalOrder), sealedContact: rows[0]!.sealed_contact });
    const { sealedContact: _none, ...clear } = whole;
    await pool.query("UPDATE orders SET canonical = $2, sealed_contact = NULL WHERE order_id = $1", [orderId, JSON.stringify(clear)]);

    expect(await sealStoredContacts(pool, testOrderContacts, createLogger({ service: "intake-test", level: "silent" }))).toBeGreaterThanOrEqual(1);
    const after = await pool.query<{ canonical: unknown; sealed_contact: Buffer | null }>("SELECT canonical, sealed_contact FROM orders WHERE order_id = $1", [orderId]);
    expect(after.rows[0]!.sealed_contact).not.toBeNull();
    for (const value of everyClearValue) expect(JSON.stringify(after.rows[0]!.canonical), value).not.toContain(value);
    expect((await api.get(`/v1/orders/${orderId}/contact`, callerHeaders("staff:cs-1:customer-service"))).body).toMatchObject(contact);
    expect(await sealStoredContacts(pool, testOrderContacts, createLogger({ service: "intake-test", level: "silent" }))).toBe(0);
  });

  it("asked for in a correction before sealing is sealed at the next start too, and still read as it was", async () => {
    const orderId = await placeAs("c-contact-6");
    const pool = intake.runtime.pool;
    const correctionId = randomUUID();
    const changes = { phone: "+86 137 5555 0000" };
    // As a row written before migration 010: the requested values in the clear.
    await pool.query(
      `INSERT INTO order_corrections (correction_id, order_id, store_id, fields, changes, reason, requested_by, requested_at)
       VALUES ($1, $2, 'store-sh-jingan', '{customer.phone}', $3, 'new number', 'staff:ot-1', now())`,
      [correctionId, orderId, JSON.stringify(changes)],
    );
    await sealStoredContacts(pool, testOrderContacts, createLogger({ service: "intake-test", level: "silent" }));
    const { rows } = await pool.query<{ changes: unknown; sealed_changes: Buffer | null }>("SELECT changes, sealed_changes FROM order_corrections WHERE correction_id = $1", [correctionId]);
    expect(rows[0]).toMatchObject({ changes: null, sealed_changes: expect.any(Buffer) });
    expect(rows[0]!.sealed_changes!.toString("latin1")).not.toContain("5555");
    const listed = await api.get(`/v1/orders/${orderId}/corrections`, callerHeaders("staff:sv-1:supervisor"));
    expect(listed.body.corrections).toEqual([expect.objectContaining({ correctionId, changes })]);
  });

  it("asked for in a correction is opened only for those who request and decide corrections (ADR 024), not for any of the store's staff", async () => {
    const orderId = await placeAs("c-contact-7");
    await intake.runtime.pool.query(
      `INSERT INTO order_corrections (correction_id, order_id, store_id, fields, changes, reason, requested_by, requested_at)
       VALUES ($1, $2, 'store-sh-jingan', '{customer.phone}', $3, 'new number', 'staff:ot-1', now())`,
      [randomUUID(), orderId, JSON.stringify({ phone: "+86 137 7777 0000" })],
    );
    await sealStoredContacts(intake.runtime.pool, testOrderContacts, createLogger({ service: "intake-test", level: "silent" }));
    // Before: any member of staff listed them, the customer's new phone in the clear and no showing logged.
    for (const role of ["rider", "warehouse-clerk", "dispatcher", "auditor", "finance", "service-staff", "reviewer"]) {
      for (const path of [`/v1/orders/${orderId}/corrections`, "/v1/corrections?storeId=store-sh-jingan"]) {
        expectProblem(await api.get(path, callerHeaders(`staff:s-1:${role}`)), 403, "caller.not-permitted");
      }
    }
    for (const role of ["order-taker", "customer-service", "supervisor", "store-manager"]) {
      expect((await api.get(`/v1/orders/${orderId}/corrections`, callerHeaders(`staff:s-1:${role}`))).body.corrections, role).toHaveLength(1);
    }
  });
});

describe("the log of who was shown a contact", () => {
  // 450 showings, three to each microsecond and all within one millisecond (a Date's cursor
  // would repeat or skip them), in the order their ids were given: s-000 … s-449 is the log's order.
  async function manyShowings(): Promise<string> {
    const orderId = await placeAs(`c-${randomUUID()}`);
    await intake.runtime.pool.query(
      `INSERT INTO contact_disclosures (order_id, shown_to, role, correlation_id, shown_at)
       SELECT $1, 'staff:r-9', 'rider', 's-' || lpad(i::text, 3, '0'), timestamptz '2026-12-01 10:00:00.0005+00' + (i / 3) * interval '1 microsecond'
       FROM generate_series(0, 449) AS i ORDER BY i`,
      [orderId],
    );
    return orderId;
  }
  const logOrder = Array.from({ length: 450 }, (_, i) => `s-${String(i).padStart(3, "0")}`);
  const auditor = callerHeaders("staff:a-1:auditor");
  const logOf = (orderId: string, query: string) => api.get(`/v1/orders/${orderId}/contact-disclosures${query}`, auditor);

  it("is read whole a page at a time: every showing once, oldest first, no token after the last page", async () => {
    const orderId = await manyShowings();
    const { items: read, pages } = await readEveryPage(async (pageToken) => {
      const page = await logOf(orderId, `?pageSize=100${pageToken && `&pageToken=${pageToken}`}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return { items: page.body.disclosures.map((d: { correlationId: string }) => d.correlationId), nextPageToken: page.body.nextPageToken };
    });
    expect(read).toEqual(logOrder);
    expect(pages).toBe(5);
  });

  it("gives the first 200 when no size is asked, and refuses a size outside 1 to 1,000 or a token it did not give, naming the field", async () => {
    const orderId = await manyShowings();
    const first = await logOf(orderId, "");
    expect(first.body.disclosures).toHaveLength(200);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    for (const [query, field] of [["?pageSize=1001", "pageSize"], ["?pageSize=0", "pageSize"], ["?pageSize=ten", "pageSize"], ["?pageToken=not-a-token", "pageToken"], ["?after=x", "after"]]) {
      const refused = await logOf(orderId, query!);
      expectProblem(refused, 400);
      expect(refused.body.errors.map((e: { field: string }) => e.field), query).toEqual([field]);
    }
  });
});
