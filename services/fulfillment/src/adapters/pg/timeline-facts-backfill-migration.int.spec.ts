import path from "node:path";
import { expect, it } from "vitest";
import { migrationsFromDirectory, runMigrations } from "@oms/postgres";
import { useMigratedDatabase } from "@oms/testing";

// Second reading of migration 008 (ADR 022, twenty-seventh-session addendum): the customer's steps recorded before kinds kept no
// facts, so an old parcel lost its tracking number on its customer's timeline. Migration 009 takes the facts back from the detail
// fulfillment wrote in a fixed shape, the customer's values only, never the staff id or the measure beside them.
const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "fulfillment");
const database = useMigratedDatabase(
  "fulfillment-timeline-facts-backfill-test",
  migrations.filter((m) => m.id < "fulfillment/008"),
);

it("takes back an old customer step's facts from its detail, the customer's values only; a detail of another shape keeps none", async () => {
  const { pool } = database;
  const steps: [string, string][] = [
    ["order.parcel-shipped", "part p-2 from store-sh-2: SF Express SF-2"],
    ["order.parcel-shipped", "part p-3 from store-sh-2: SF-3"],
    ["restock.expected", "restock of KETTLE-1 expected 2026-12-20 at store-sh-1"],
    ["restock.no-longer-expected", "restock of KETTLE-1 no longer expected at store-sh-1"],
    ["order.ready-for-pickup", "held at the counter until 2026-12-09T18:00:00.000Z"],
    ["refund.issued", "1999 CNY to card: customer is difficult, refund to calm him"],
    ["delivery.recorded", "courier by r-7, proof: signature (shipment o-1/r-1)"],
    ["order.exception-lost", "customer told: lost at the hub; next: a replacement is sent"],
    ["service.late-arrival", "customer told: traffic; measure: Zhang warned about lateness; new time 2026-12-08T10:00:00.000Z"],
    ["service.rescheduled", "customer told: the part is late; measure: Li to order from Wuxi; new time 2026-12-10T09:00:00.000Z"],
    ["order.lines-substituted", "KETTLE-1 → 1 × KETTLE-2; 500 to refund"],
    ["return.received", "case c-1, receipt rc-1: 1 restocked, 0 written off"],
    ["replacement.shipped", "case c-1: 1 × KETTLE-1 shipped with SF, tracking SF-9"],
    ["replacement.called-off", "case c-1: not sent, 1 reserved released"],
    ["replacement.pick-overdue", "case c-1: level 1, due 2026-12-07T09:00:00.000Z, warned clerk of store-1"],
    ["order.parcel-shipped", "written by a release that worded it otherwise"],
  ];
  for (const [i, [what, detail]] of steps.entries()) {
    await pool.query("INSERT INTO timeline (order_id, at, service, what, detail, actor, event_id) VALUES ('o-old', now(), 'fulfillment', $1, $2, 'staff:r-7', $3)", [what, detail, `e-${i}`]);
  }
  await runMigrations(pool, "public", migrations);

  const { rows } = await pool.query<{ kind: string; facts: Record<string, string> }>("SELECT kind, facts FROM timeline WHERE order_id = 'o-old' ORDER BY id");
  expect(rows.map((r) => r.facts)).toEqual([
    { partId: "p-2", carrier: "SF Express", trackingNumber: "SF-2" },
    { partId: "p-3", trackingNumber: "SF-3" },
    { sku: "KETTLE-1", expectedRestockDate: "2026-12-20" },
    { sku: "KETTLE-1", expectedRestockDate: "" },
    { collectBy: "2026-12-09T18:00:00.000Z" },
    { amountMinor: "1999", currency: "CNY" },
    { method: "courier", proofKind: "signature" },
    { exception: "lost", cause: "lost at the hub", nextStep: "a replacement is sent" },
    { exception: "late-arrival", cause: "traffic" },
    { cause: "the part is late", newTime: "2026-12-10T09:00:00.000Z" },
    { substitutions: "KETTLE-1 → 1 × KETTLE-2", refundDueMinor: "500" },
    { caseId: "c-1" },
    { caseId: "c-1", carrier: "SF", trackingNumber: "SF-9" },
    { caseId: "c-1" },
    {},
    {},
  ]);
  // A late replacement step is an overdue step, as fulfillment records it now; staff's either way.
  expect(rows[14]!.kind).toBe("step-overdue");
  const all = JSON.stringify(rows.map((r) => r.facts));
  for (const staffWords of ["r-7", "difficult", "Zhang", "Li to order", "store-sh", "warned"]) expect(all).not.toContain(staffWords);
});
