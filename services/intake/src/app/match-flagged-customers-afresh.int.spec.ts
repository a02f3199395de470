import { randomBytes } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messagingMigrations } from "@oms/messaging";
import { createPool, provisionServiceSchema, runMigrations } from "@oms/postgres";
import { startService, type RunningService } from "@oms/service-kit";
import { timerMigrations } from "@oms/timers";
import { callerHeaders, createTestNamespace, testCallerTrust, testServiceConfig, type TestNamespace } from "@oms/testing";
import { createIntakeService } from "../service.ts";
import { demoOrder, freePort, httpClient, peersAt } from "../test-fixtures.ts";
import { seedDemoCatalogue } from "./commands/seed-demo-catalogue.ts";
import { customerMatchingUnder } from "./customer-matching.ts";

// A database upgraded in place: flags written before migration 014, keyed by the phone's digits
// and the e-mail in the clear, then intake started on the new version. Its start must leave no
// contact in the clear, and the old flags must still hold.
let namespace: TestNamespace;
let intake: RunningService;
let api: ReturnType<typeof httpClient>;
const digits = `86139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const email = "old.flag@example.cn";
const reviewer = callerHeaders("staff:staff-he-rev:reviewer");
const flaggedReason = "flagged-customer: the customer is flagged for review";

beforeAll(async () => {
  namespace = await createTestNamespace();
  const definition = createIntakeService({ callerTrust: testCallerTrust, customerMatching: customerMatchingUnder(randomBytes(32)) });
  const config = testServiceConfig("intake", namespace, peersAt(`127.0.0.1:${await freePort()}`));
  // The schema as the version before this one left it.
  await provisionServiceSchema(config.databaseUrl, { schema: config.schema, role: config.role });
  const before = createPool({ url: config.serviceDatabaseUrl, schema: config.schema, applicationName: "intake-before-014" });
  try {
    const olderMigrations = definition.migrations.filter((m) => m.id < "intake/014");
    expect(olderMigrations.length).toBeLessThan(definition.migrations.length);
    await runMigrations(before, config.schema, [...messagingMigrations, ...timerMigrations, ...olderMigrations]);
    await before.query(
      `INSERT INTO flagged_customers (customer_key, reason, flagged_by) VALUES
         ($1, 'chargebacks', 'staff:s-old'), ($2, 'paid with a stolen card', 'staff:s-old'), ('id:c-old', 'three refusals', NULL)`,
      [`phone:${digits}`, `email:${email}`],
    );
  } finally {
    await before.end();
  }
  intake = await startService(definition, config);
  await seedDemoCatalogue(intake.runtime.pool);
  api = httpClient(intake.httpPort);
});

afterAll(async () => {
  await intake?.stop();
  await namespace?.drop();
});

const rowsAsText = async (pool: pg.Pool) =>
  (await pool.query<{ row: string }>("SELECT t::text AS row FROM flagged_customers t")).rows.map((r) => r.row);

async function place(customer: Record<string, unknown>) {
  const base = await demoOrder();
  const { customerId: _none, ...rest } = base.customer as Record<string, unknown>;
  const answer = await api.post("/v1/orders", { ...base, customer: { ...rest, ...customer } }, callerHeaders("customer:c-any"));
  expect([201, 202], JSON.stringify(answer.body)).toContain(answer.status);
  if (answer.status === 201) return [];
  const queue = await api.get("/v1/reviews?storeId=store-sh-jingan&pageSize=200", reviewer);
  return queue.body.reviews.find((r: { orderId: string }) => r.orderId === answer.body.orderId)?.reasons as string[];
}

describe("flags kept in the clear before migration 014", () => {
  it("are digested and sealed at the start: no phone or e-mail is left in the table, and the check is validated", async () => {
    const pool = intake.runtime.pool;
    const rows = await rowsAsText(pool);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).not.toContain(digits.slice(2));
      expect(row).not.toContain(email);
      expect(row).not.toContain(Buffer.from(email).toString("hex"));
    }
    const keys = (await pool.query<{ customer_key: string; flagged_by: string | null; reason: string }>("SELECT customer_key, flagged_by, reason FROM flagged_customers ORDER BY reason")).rows;
    expect(keys).toEqual([
      { customer_key: expect.stringMatching(/^phone-digest:[0-9a-f]{64}$/), flagged_by: "staff:s-old", reason: "chargebacks" },
      { customer_key: expect.stringMatching(/^email-digest:[0-9a-f]{64}$/), flagged_by: "staff:s-old", reason: "paid with a stolen card" },
      { customer_key: "id:c-old", flagged_by: null, reason: "three refusals" },
    ]);
    const check = await pool.query("SELECT convalidated FROM pg_constraint WHERE conname = 'flagged_customers_no_clear_contact'");
    expect(check.rows).toEqual([{ convalidated: true }]);
    await expect(pool.query("INSERT INTO flagged_customers (customer_key, reason) VALUES ('phone:8613900000000', 'r')")).rejects.toThrow(/flagged_customers_no_clear_contact/);
  });

  it("still hold: an order from the phone, spelled as people write it, or the e-mail in other case, goes to review", async () => {
    const spelled = `+${digits.slice(0, 2)} ${digits.slice(2, 5)}-${digits.slice(5, 9)}-${digits.slice(9)}`;
    expect(await place({ phone: spelled })).toEqual([flaggedReason]);
    expect(await place({ phone: "+86 137 0000 0001", email: email.toUpperCase() })).toEqual([flaggedReason]);
    expect(await place({ phone: "+86 137 0000 0001" })).toEqual([]);
  });

  it("are listed to a reviewer with the phone and e-mail they were flagged under", async () => {
    const listed = await api.get("/v1/customers/flags", reviewer);
    expect(listed.status).toBe(200);
    expect(listed.body.flags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ by: "phone", phone: digits, reason: "chargebacks" }),
        expect.objectContaining({ by: "email", email, reason: "paid with a stolen card" }),
        expect.objectContaining({ by: "customerId", customerId: "c-old", customerKey: "id:c-old" }),
      ]),
    );
  });
});
