import type { KafkaMessage } from "kafkajs";
import type pg from "pg";
import { encodeEvent, newEvent, systemActor, type EventType, type OrderEvent, type PayloadOf } from "@oms/contracts";
import { serviceSchemas, type CheckContext } from "./context.ts";

/** What the invariant specs plant: events as the services publish them, and messages as the harness reads them off the topics. */
export function eventOf<T extends EventType>(type: T, payload: PayloadOf<T>, orderId: string, producer = "fulfillment"): OrderEvent {
  return newEvent(type, payload, { producer, orderId, storeId: "store-1", actor: systemActor(producer) });
}

/** A message as topic-dump.ts returns it; dead letters carry the consumer that gave up on it. */
export function messageOf(value: Uint8Array | Buffer | OrderEvent | null, headers: Record<string, string> = {}): KafkaMessage {
  const bytes = value === null ? null : value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(encodeEvent(value));
  return { key: null, value: bytes, headers, offset: "0", timestamp: "0", attributes: 0 } satisfies KafkaMessage;
}

/** A context whose topics hold these messages and whose database is `db` (none: a check that must not read it). */
export function contextOf(topics: Record<string, KafkaMessage[]>, more: Partial<CheckContext> = {}): CheckContext {
  return {
    db: undefined as never,
    accepted: new Map(),
    sent: new Set(),
    endOf: () => "closed",
    goodwillAskedFor: () => 0,
    complaintRefundFor: () => 0,
    exchanges: new Map(),
    planted: [],
    topics: new Map(Object.entries(topics)),
    ...more,
  };
}

/**
 * The tables the timers check reads, shaped like the services' (only the columns it reads),
 * in a namespace's database of a spec's own; `clearTimerCheckTables` empties them between cases.
 */
export async function createTimerCheckTables(db: pg.Pool): Promise<void> {
  for (const schema of serviceSchemas) {
    await db.query(`CREATE SCHEMA ${schema};
      CREATE TABLE ${schema}.timers (id bigserial PRIMARY KEY, kind text NOT NULL, timer_key text NOT NULL, order_id text NOT NULL, due_at timestamptz NOT NULL,
        fired_at timestamptz, cancelled_at timestamptz, failed_at timestamptz, last_error text, payload jsonb NOT NULL DEFAULT '{}')`);
  }
  await db.query(`
    CREATE TABLE fulfillment.timeline (order_id text NOT NULL, what text NOT NULL, actor text NOT NULL DEFAULT 'system:fulfillment', detail text NOT NULL DEFAULT '');
    CREATE TABLE dispatch.tasks (task_id text PRIMARY KEY, order_id text NOT NULL, status text NOT NULL);
    CREATE TABLE dispatch.assignments (assignment_id text PRIMARY KEY, task_id text NOT NULL, staff_id text NOT NULL, assigned_at timestamptz NOT NULL,
      acknowledge_by timestamptz NOT NULL, outcome text NOT NULL, outcome_at timestamptz);
    CREATE TABLE dispatch.step_deadlines (task_id text NOT NULL, step text NOT NULL, due_at timestamptz NOT NULL, met_at timestamptz, PRIMARY KEY (task_id, step));
    CREATE TABLE warehouse.shipment_step_deadlines (reservation_id text NOT NULL, step text NOT NULL, due_at timestamptz NOT NULL, met_at timestamptz,
      called_off_at timestamptz, PRIMARY KEY (reservation_id, step));
    CREATE TABLE warehouse.replacement_ship_deadlines (case_id text NOT NULL, due_at timestamptz NOT NULL, met_at timestamptz, called_off_at timestamptz,
      store_id text NOT NULL DEFAULT 'store-1', step text NOT NULL DEFAULT 'ship', PRIMARY KEY (case_id, step));
    CREATE TABLE warehouse.replacements (case_id text PRIMARY KEY, order_id text NOT NULL, store_id text NOT NULL, reserved_at timestamptz, shipped_at timestamptz)`);
}

export async function clearTimerCheckTables(db: pg.Pool): Promise<void> {
  await db.query(
    `TRUNCATE ${serviceSchemas.map((s) => `${s}.timers`).join(", ")}, fulfillment.timeline, dispatch.tasks, dispatch.assignments, dispatch.step_deadlines, warehouse.shipment_step_deadlines, warehouse.replacement_ship_deadlines, warehouse.replacements`,
  );
}
