import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "@oms/service-kit";
import { createTestNamespace, testServiceConfig, type TestNamespace, callerHeaders, readEveryPage, testCallerTrust } from "@oms/testing";
import { seedDemoCatalogue } from "../../app/commands/seed-demo-catalogue.ts";
import { createIntakeService } from "../../service.ts";
import { demoOrder, freePort, httpClient, peersAt } from "../../test-fixtures.ts";

// Intake alone (fulfillment down): a flag set through the API sends the customer's next
// order to review. The in-memory list is kept for a minute here, so only the API's own
// invalidation can make the flag hold at once.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
const reviewer = callerHeaders("staff:staff-he-rev:reviewer");
const storeManager = callerHeaders("staff:staff-ma-sm:store-manager");
const flaggedReason = "flagged-customer: the customer is flagged for review";
// Store managers held to one store each (ADR 022's store scope): A raises flags, B is another store's.
const managerOfA = callerHeaders("staff:staff-sm-a:store-manager@store-sh-jingan");
const managerOfB = callerHeaders("staff:staff-sm-b:store-manager@store-sh-pudong");

beforeAll(async () => {
  namespace = await createTestNamespace();
  intake = await startService(createIntakeService({ callerTrust: testCallerTrust, cacheMaxAgeMs: 60_000 }), testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`)));
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

/** The demo order (45,700 fen: no review for its amount) for this customer. */
async function orderOf(customer: Record<string, unknown>) {
  const base = await demoOrder();
  const { customerId: _none, ...rest } = base.customer as Record<string, unknown>;
  return { ...base, customer: { ...rest, ...customer } };
}

async function place(customer: Record<string, unknown>) {
  // A signed-in customer orders as themself (ADR 022, twenty-fifth session): the order naming an account is that account's.
  const answer = await api.post("/v1/orders", await orderOf(customer), callerHeaders(`customer:${typeof customer.customerId === "string" ? customer.customerId : "c-any"}`));
  expect([201, 202], JSON.stringify(answer.body)).toContain(answer.status);
  if (answer.status === 202) {
    const queue = await api.get("/v1/reviews?storeId=store-sh-jingan&pageSize=200", reviewer);
    const review = queue.body.reviews.find((r: { orderId: string }) => r.orderId === answer.body.orderId);
    return { status: answer.status, reasons: review?.reasons as string[] };
  }
  return { status: answer.status, reasons: [] as string[] };
}

describe("flagging customers through the API", () => {
  it("lets only reviewers and store managers flag, refusing the role before reading the body", async () => {
    const customerId = `c-${randomUUID()}`;
    for (const actor of ["staff:s-1:order-taker", "staff:s-2:finance", "customer:c-42"]) {
      expect(await api.put(`/v1/customers/${customerId}/flag`, { reason: "x" }, callerHeaders(actor))).toMatchObject({ status: 403, body: { code: "caller.not-permitted" } });
    }
    expect(await api.get("/v1/customers/flags", callerHeaders("staff:s-1:order-taker"))).toMatchObject({ status: 403 });
    expect(await api.delete(`/v1/customers/${customerId}/flag`, callerHeaders("staff:s-1:rider"))).toMatchObject({ status: 403 });
    expect((await api.put(`/v1/customers/${customerId}/flag`, {}, reviewer)).body.errors).toEqual([{ field: "reason", message: "is required" }]);
  });

  it("sends a customer's next order to review once flagged by id, records who and when, and lets it go once lifted", async () => {
    const customerId = `c-${randomUUID()}`;
    // An order first, so the in-memory list is loaded before the flag.
    expect(await place({ customerId })).toEqual({ status: 201, reasons: [] });

    const flagged = await api.put(`/v1/customers/${customerId}/flag`, { reason: "three refused deliveries" }, storeManager);
    expect(flagged).toMatchObject({
      status: 201,
      body: { customerKey: `id:${customerId}`, by: "customerId", reason: "three refused deliveries", flaggedBy: "staff:staff-ma-sm" },
    });
    expect(Math.abs(Date.parse(flagged.body.flaggedAt) - Date.now())).toBeLessThan(60_000);
    expect(await place({ customerId })).toEqual({ status: 202, reasons: [flaggedReason] });

    const again = await api.put(`/v1/customers/${customerId}/flag`, { reason: "four refused deliveries" }, reviewer);
    expect(again).toMatchObject({ status: 200, body: { reason: "four refused deliveries", flaggedBy: "staff:staff-he-rev" } });
    const row = await intake.runtime.pool.query("SELECT reason, flagged_by FROM flagged_customers WHERE customer_key = $1", [`id:${customerId}`]);
    expect(row.rows).toEqual([{ reason: "four refused deliveries", flagged_by: "staff:staff-he-rev" }]);

    expect((await api.delete(`/v1/customers/${customerId}/flag`, reviewer)).status).toBe(204);
    expect(await place({ customerId })).toEqual({ status: 201, reasons: [] });
    expect(await api.delete(`/v1/customers/${customerId}/flag`, reviewer)).toMatchObject({ status: 404, body: { code: "customer-flag.not-found" } });
  });

  it("flags by phone in the body, matching the order's phone by its digits, and lifts it the same way", async () => {
    const digits = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const written = `+86 ${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
    const asOrdered = `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
    expect(await place({ phone: asOrdered })).toEqual({ status: 201, reasons: [] });

    const flagged = await api.post("/v1/customers/flags", { phone: written, reason: "paid with a stolen card" }, reviewer);
    expect(flagged).toMatchObject({ status: 201, body: { customerKey: expect.stringMatching(/^phone-digest:[0-9a-f]{64}$/), by: "phone", phone: written } });
    expect(flagged.headers.get("cache-control")).toBe("no-store");
    expect(await place({ phone: asOrdered })).toEqual({ status: 202, reasons: [flaggedReason] });

    expect((await api.post("/v1/customers/flags/removal", { phone: asOrdered }, storeManager)).status).toBe(204);
    expect(await place({ phone: asOrdered })).toEqual({ status: 201, reasons: [] });
    expect((await api.post("/v1/customers/flags/removal", { phone: asOrdered }, storeManager)).status).toBe(404);
  });

  it("names the customer by exactly one plausible contact, without repeating it in the refusal", async () => {
    const both = await api.post("/v1/customers/flags", { phone: "+86 139 0000 0000", email: "a@example.com", reason: "r" }, reviewer);
    expect(both).toMatchObject({ status: 400, body: { errors: [{ field: "email", message: "give only one of customerId, phone or email" }] } });
    const none = await api.post("/v1/customers/flags", { reason: "r" }, reviewer);
    expect(none.body.errors).toEqual([{ field: "phone", message: "one of customerId, phone or email is required" }]);
    const implausible = await api.post("/v1/customers/flags", { phone: "12-34", reason: "r" }, reviewer);
    expect(implausible.body.errors).toEqual([{ field: "phone", message: "is not a plausible phone number" }]);
    expect(JSON.stringify(implausible.body)).not.toContain("12-34");
  });

  it("lists the flags newest first, a page at a time", async () => {
    const ids = [0, 1, 2].map(() => `c-${randomUUID()}`);
    for (const id of ids) expect((await api.put(`/v1/customers/${id}/flag`, { reason: `flag ${id}` }, reviewer)).status).toBe(201);

    const { items: seen } = await readEveryPage(async (pageToken) => {
      const page = await api.get(`/v1/customers/flags?pageSize=2${pageToken && `&pageToken=${pageToken}`}`, storeManager);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      expect(page.body.flags.length).toBeLessThanOrEqual(2);
      return { items: page.body.flags.map((f: { customerKey: string }) => f.customerKey) as string[], nextPageToken: page.body.nextPageToken };
    }, { maxPages: 1_000 });
    expect(new Set(seen).size).toBe(seen.length);
    // The three just flagged come first, the newest first.
    expect(seen.slice(0, 3)).toEqual(ids.map((id) => `id:${id}`).reverse());

    expect(await api.get("/v1/customers/flags?pageToken=not-a-token", reviewer)).toMatchObject({
      status: 400,
      body: { errors: [{ field: "pageToken", message: "is not a page token this list gave" }] },
    });
  });

  it("keeps no phone or e-mail in the clear: not in the row, not in the page token, not in the log of showings", async () => {
    const digits = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const email = `Flag.${randomUUID()}@Example.cn`;
    const byPhone = await api.post("/v1/customers/flags", { phone: `+86 ${digits}`, reason: "chargebacks" }, reviewer);
    const byEmail = await api.post("/v1/customers/flags", { email, reason: "chargebacks" }, reviewer);
    expect([byPhone.status, byEmail.status]).toEqual([201, 201]);
    expect(byEmail.body).toMatchObject({ by: "email", email, customerKey: expect.stringMatching(/^email-digest:[0-9a-f]{64}$/) });

    const pool = intake.runtime.pool;
    const rows = await pool.query<{ row: string }>("SELECT t::text AS row FROM flagged_customers t WHERE customer_key = ANY($1)", [[byPhone.body.customerKey, byEmail.body.customerKey]]);
    expect(rows.rows).toHaveLength(2);
    for (const { row } of rows.rows) {
      expect(row).not.toContain(digits);
      expect(row.toLowerCase()).not.toContain(email.toLowerCase());
    }
    // A row keyed as before migration 014 is refused by the table itself.
    await expect(pool.query("INSERT INTO flagged_customers (customer_key, reason) VALUES ($1, 'r')", [`phone:86${digits}`])).rejects.toThrow(/flagged_customers_no_clear_contact/);
    await expect(pool.query("INSERT INTO flagged_customers (customer_key, reason) VALUES ($1, 'r')", [`email:${email.toLowerCase()}`])).rejects.toThrow(/flagged_customers_no_clear_contact/);

    const page = await api.get("/v1/customers/flags?pageSize=1", reviewer);
    expect(page.body.nextPageToken).toBeDefined();
    const token = Buffer.from(page.body.nextPageToken, "base64url").toString("utf8");
    expect(token).not.toContain(email.toLowerCase());
    const disclosures = await pool.query<{ row: string }>("SELECT t::text AS row FROM customer_flag_disclosures t");
    for (const { row } of disclosures.rows) expect(row.toLowerCase()).not.toContain(email.toLowerCase());
  });

  it("shows reviewers and store managers the phone and e-mail they flagged, logging each showing, append-only", async () => {
    const digits = `136${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const written = `+86 ${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
    const flagged = await api.post("/v1/customers/flags", { phone: written, reason: "paid with a stolen card" }, storeManager);
    expect(flagged.status).toBe(201);

    const requestId = randomUUID();
    const listed = await api.get("/v1/customers/flags?pageSize=1", { ...reviewer, "x-request-id": requestId });
    expect(listed).toMatchObject({ status: 200, body: { flags: [{ customerKey: flagged.body.customerKey, by: "phone", phone: written, reason: "paid with a stolen card" }] } });
    expect(listed.headers.get("cache-control")).toBe("no-store");

    const pool = intake.runtime.pool;
    const log = await pool.query("SELECT customer_keys, shown_to, role FROM customer_flag_disclosures WHERE correlation_id = $1", [requestId]);
    expect(log.rows).toEqual([{ customer_keys: [flagged.body.customerKey], shown_to: "staff:staff-he-rev", role: "reviewer" }]);
    await expect(pool.query("UPDATE customer_flag_disclosures SET shown_to = 'nobody' WHERE correlation_id = $1", [requestId])).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM customer_flag_disclosures WHERE correlation_id = $1", [requestId])).rejects.toThrow(/append-only/);

    // A page of flags by customer id only shows no contact, and logs nothing.
    const customerId = `c-${randomUUID()}`;
    expect((await api.put(`/v1/customers/${customerId}/flag`, { reason: "r" }, reviewer)).status).toBe(201);
    const quiet = randomUUID();
    const idOnly = await api.get("/v1/customers/flags?pageSize=1", { ...storeManager, "x-request-id": quiet });
    expect(idOnly.body.flags).toEqual([expect.objectContaining({ customerKey: `id:${customerId}`, by: "customerId", customerId })]);
    expect(idOnly.body.flags[0]).not.toHaveProperty("phone");
    expect((await pool.query("SELECT 1 FROM customer_flag_disclosures WHERE correlation_id = $1", [quiet])).rowCount).toBe(0);

    // A HEAD sends no page: no showing logged.
    expect((await api.post("/v1/customers/flags", { phone: `+86 137${digits.slice(3)}`, reason: "paid with a stolen card" }, storeManager)).status).toBe(201);
    const headed = randomUUID();
    await fetch(`http://127.0.0.1:${intake.httpPort}/v1/customers/flags?pageSize=1`, { method: "HEAD", headers: { ...reviewer, "x-request-id": headed } });
    expect((await pool.query("SELECT 1 FROM customer_flag_disclosures WHERE correlation_id = $1", [headed])).rowCount).toBe(0);
  });
});

/** The flag of this key as the caller's list shows it (the namespace holds far fewer than a page of flags), logged under `requestId`. */
async function listedAs(caller: Record<string, string>, customerKey: string, requestId: string = randomUUID()) {
  const page = await api.get("/v1/customers/flags?pageSize=200", { ...caller, "x-request-id": requestId });
  expect(page.status, JSON.stringify(page.body)).toBe(200);
  expect(page.body.nextPageToken).toBeUndefined();
  return page.body.flags.find((f: { customerKey: string }) => f.customerKey === customerKey);
}

async function disclosedKeys(requestId: string): Promise<string[]> {
  const log = await intake.runtime.pool.query<{ customer_keys: string[] }>("SELECT customer_keys FROM customer_flag_disclosures WHERE correlation_id = $1", [requestId]);
  return log.rows.flatMap((r) => r.customer_keys);
}

const freshPhone = (prefix: string) => {
  const digits = `${prefix}${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
  return { digits, written: `+86 ${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`, masked: `*******${digits.slice(-4)}` };
};

describe("flagged contacts and the caller's stores (least privilege)", () => {
  it("shows a flag raised at store A in full to A's manager and to chain-wide staff, masked and unlogged to B's manager", async () => {
    const phone = freshPhone("135");
    const flagged = await api.post("/v1/customers/flags", { phone: phone.written, reason: "paid with a stolen card" }, managerOfA);
    expect(flagged).toMatchObject({ status: 201, body: { by: "phone", phone: phone.written, raisedAtStore: "store-sh-jingan" } });
    const key = flagged.body.customerKey as string;
    const row = await intake.runtime.pool.query("SELECT raised_at_store FROM flagged_customers WHERE customer_key = $1", [key]);
    expect(row.rows).toEqual([{ raised_at_store: "store-sh-jingan" }]);

    for (const caller of [managerOfA, reviewer]) {
      const requestId = randomUUID();
      const listed = await listedAs(caller, key, requestId);
      expect(listed).toMatchObject({ phone: phone.written, raisedAtStore: "store-sh-jingan", reason: "paid with a stolen card" });
      expect(listed).not.toHaveProperty("contactMasked");
      expect(await disclosedKeys(requestId)).toContain(key);
    }

    const fromB = randomUUID();
    const masked = await listedAs(managerOfB, key, fromB);
    expect(masked).toMatchObject({ by: "phone", phone: phone.masked, contactMasked: true, reason: "paid with a stolen card", raisedAtStore: "store-sh-jingan" });
    expect(JSON.stringify(masked)).not.toContain(phone.digits.slice(0, 7));
    expect(await disclosedKeys(fromB)).not.toContain(key);

    // Matching is still the chain's, whoever may read the contact: an order giving that phone goes to review.
    expect(await place({ phone: phone.written })).toEqual({ status: 202, reasons: [flaggedReason] });
  });

  it("masks to staff held to stores a flag with no store: one older than stores on flags, or raised by chain-wide staff", async () => {
    const old = freshPhone("134");
    const email = `Old.${randomUUID()}@Example.cn`;
    const oldByPhone = await api.post("/v1/customers/flags", { phone: old.written, reason: "chargebacks" }, managerOfA);
    const oldByEmail = await api.post("/v1/customers/flags", { email, reason: "chargebacks" }, managerOfA);
    // Written before migration 016: no store.
    await intake.runtime.pool.query("UPDATE flagged_customers SET raised_at_store = NULL WHERE customer_key = ANY($1)", [[oldByPhone.body.customerKey, oldByEmail.body.customerKey]]);
    const chainLevel = freshPhone("133");
    const byReviewer = await api.post("/v1/customers/flags", { phone: chainLevel.written, reason: "chargebacks" }, reviewer);
    expect(byReviewer.status).toBe(201);
    expect(byReviewer.body).not.toHaveProperty("raisedAtStore");

    const fromA = randomUUID();
    expect(await listedAs(managerOfA, oldByPhone.body.customerKey, fromA)).toMatchObject({ phone: old.masked, contactMasked: true });
    expect(await listedAs(managerOfA, oldByEmail.body.customerKey, fromA)).toMatchObject({ email: "***@Example.cn", contactMasked: true });
    expect(await listedAs(managerOfA, byReviewer.body.customerKey, fromA)).toMatchObject({ phone: chainLevel.masked, contactMasked: true });
    const disclosedToA = await disclosedKeys(fromA);
    for (const key of [oldByPhone.body.customerKey, oldByEmail.body.customerKey, byReviewer.body.customerKey]) expect(disclosedToA).not.toContain(key);

    expect(await listedAs(reviewer, oldByEmail.body.customerKey)).toMatchObject({ email });
    expect(await listedAs(reviewer, byReviewer.body.customerKey)).toMatchObject({ phone: chainLevel.written });
  });

  it("raises a flag at a store of the flagger's: named when they work at several, never another's, none chain-wide", async () => {
    const customerId = `c-${randomUUID()}`;
    const ofTwo = callerHeaders("staff:staff-sm-ab:store-manager@store-sh-jingan,store-sh-pudong");
    expect((await api.put(`/v1/customers/${customerId}/flag`, { reason: "r" }, ofTwo)).body.errors).toEqual([
      { field: "storeId", message: "is required: name the store of yours the flag is raised at" },
    ]);
    expect(await api.put(`/v1/customers/${customerId}/flag`, { reason: "r", storeId: "store-sh-pudong" }, ofTwo)).toMatchObject({
      status: 201,
      body: { raisedAtStore: "store-sh-pudong" },
    });
    expect(await api.put(`/v1/customers/${customerId}/flag`, { reason: "r", storeId: "store-sh-pudong" }, managerOfA)).toMatchObject({
      status: 403,
      body: { code: "caller.out-of-store-scope" },
    });
    expect((await api.put(`/v1/customers/${customerId}/flag`, { reason: "r", storeId: "store-sh-pudong" }, reviewer)).body.errors).toEqual([
      { field: "storeId", message: "staff working chain-wide raise flags for the whole chain: name no store" },
    ]);
  });
});
