import path from "node:path";
import { expect, it } from "vitest";
import { migrationsFromDirectory, runMigrations } from "@oms/postgres";
import { useMigratedDatabase } from "@oms/testing";
import { customersMaySee } from "../../domain/timeline-kinds.ts";

// A timeline as fulfillment kept it before steps had kinds (migration 008), then brought up to date.
const migrations = await migrationsFromDirectory(path.join(import.meta.dirname, "migrations"), "fulfillment");
const database = useMigratedDatabase(
  "fulfillment-timeline-kinds-migration-test",
  migrations.filter((m) => m.id < "fulfillment/008"),
);

it("tells the kind of the steps recorded before by their name, keeps an unknown one from customers, and keeps no staff words as facts", async () => {
  const { pool } = database;
  const steps: [string, string][] = [
    ["order.confirmed", "confirmed by the customer"],
    ["order.settled", "paid by card"],
    ["order.cancellation", "the customer shouted at Wang Fang"],
    ["shipment.dispatched", "SF1234567"],
    ["step.acknowledge-overdue", "level 2, due 2026-12-07T09:00:00.000Z, escalated to store-manager"],
    ["shipment.pack-overdue", "level 1, due …, warned warehouse-clerk of store-1"],
    ["invoice.invoice-issued", "INV-1: 1999 CNY, tax 230"],
    ["reconciliation.difference-found", "closed-without-invoice"],
    ["task.assigned", "r-7"],
    ["delivery.recorded", "courier by r-7, proof: signature"],
    ["service.late-arrival", "customer told: parking; measure: none"],
    ["oms.events.v1.SomethingNobodyNamed", "cs-1 wrote this"],
  ];
  for (const [i, [what, detail]] of steps.entries()) {
    await pool.query("INSERT INTO timeline (order_id, at, service, what, detail, actor, event_id) VALUES ('o-old', now(), 'fulfillment', $1, $2, 'staff:cs-1', $3)", [what, detail, `e-${i}`]);
  }
  await runMigrations(pool, "public", migrations);

  const { rows } = await pool.query<{ what: string; kind: string; facts: Record<string, string> }>("SELECT what, kind, facts FROM timeline WHERE order_id = 'o-old' ORDER BY id");
  expect(rows.map((r) => [r.what, r.kind])).toEqual([
    ["order.confirmed", "order-status-changed"],
    ["order.settled", "order-status-changed"],
    ["order.cancellation", "order-cancelled"],
    ["shipment.dispatched", "shipment-dispatched"],
    ["step.acknowledge-overdue", "step-overdue"],
    ["shipment.pack-overdue", "step-overdue"],
    ["invoice.invoice-issued", "invoice"],
    ["reconciliation.difference-found", "reconciliation"],
    ["task.assigned", "staff-task"],
    ["delivery.recorded", "delivery-recorded"],
    ["service.late-arrival", "service-exception"],
    ["oms.events.v1.SomethingNobodyNamed", "unknown"],
  ]);
  expect(rows.filter((r) => customersMaySee(r.kind)).map((r) => r.what)).toEqual(["order.confirmed", "order.settled", "order.cancellation", "shipment.dispatched", "delivery.recorded", "service.late-arrival"]);
  // Facts only where a column holds one and nothing else; the cancellation's words are not one. Migration 009 takes the customer's
  // values back from details of a fixed shape (the delivery's method and proof, the visit's cause told the customer), never who or the measure.
  expect(rows.map((r) => r.facts)).toEqual([
    { status: "confirmed" }, { status: "settled" }, {}, { trackingNumber: "SF1234567" }, {}, {}, {}, {}, {},
    { method: "courier", proofKind: "signature" }, { exception: "late-arrival", cause: "parking" }, {},
  ]);
});
