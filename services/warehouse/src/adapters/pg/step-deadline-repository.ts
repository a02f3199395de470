import type pg from "pg";
import type { OverduePosition, PageAsked } from "../../app/queries/clerk-list-pages.ts";
import type { ShipmentStep, StepDeadline } from "../../domain/step-deadlines.ts";

type Db = pg.Pool | pg.ClientBase;

/** A shipment step's time node as recorded, with the reservation it belongs to. */
export interface RecordedStepDeadline extends StepDeadline {
  reservationId: string;
  orderId: string;
  storeId: string;
  correlationId: string;
  overdueSince?: Date | undefined;
}

export interface NewStepDeadline {
  reservationId: string;
  step: ShipmentStep;
  orderId: string;
  storeId: string;
  correlationId: string;
  dueAt: Date;
}

interface Row {
  reservation_id: string;
  step: ShipmentStep;
  order_id: string;
  store_id: string;
  correlation_id: string;
  due_at: Date;
  level: number;
  overdue_since: Date | null;
  met_at: Date | null;
  called_off_at: Date | null;
}

const fromRow = (r: Row): RecordedStepDeadline => ({
  reservationId: r.reservation_id,
  step: r.step,
  orderId: r.order_id,
  storeId: r.store_id,
  correlationId: r.correlation_id,
  dueAt: r.due_at,
  level: r.level,
  overdueSince: r.overdue_since ?? undefined,
  metAt: r.met_at ?? undefined,
  calledOffAt: r.called_off_at ?? undefined,
});

/** The time nodes of shipments (pick, pack, ship) in warehouse's schema. Writes take the caller's transaction. */
export const stepDeadlineRepository = {
  /**
   * Steps whose clock starts and steps done at `at`, in one statement (a step's transaction
   * pays one round trip for its nodes). A started node comes with `metAt` when it was done
   * in the same transaction (the statement's update would not see it); one started before (a
   * replayed step) keeps its first deadline; one met or called off before keeps what it says.
   */
  async follow(
    tx: pg.ClientBase,
    started: readonly (NewStepDeadline & { metAt: Date | null })[],
    met: readonly { reservationId: string; step: ShipmentStep }[],
    at: Date,
  ): Promise<void> {
    if (started.length === 0 && met.length === 0) return;
    await tx.query(
      `WITH started AS (
         INSERT INTO shipment_step_deadlines (reservation_id, step, order_id, store_id, correlation_id, due_at, met_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
         ON CONFLICT (reservation_id, step) DO NOTHING
       )
       UPDATE shipment_step_deadlines d SET met_at = $10
       FROM unnest($8::text[], $9::text[]) AS m(reservation_id, step)
       WHERE d.reservation_id = m.reservation_id AND d.step = m.step AND d.met_at IS NULL AND d.called_off_at IS NULL`,
      [
        started.map((d) => d.reservationId),
        started.map((d) => d.step),
        started.map((d) => d.orderId),
        started.map((d) => d.storeId),
        started.map((d) => d.correlationId),
        started.map((d) => d.dueAt),
        started.map((d) => d.metAt),
        met.map((m) => m.reservationId),
        met.map((m) => m.step),
        at,
      ],
    );
  },

  /** The reservation was released: whatever of its way out was still open has nothing left to watch. */
  async callOff(tx: pg.ClientBase, reservationId: string, at: Date): Promise<void> {
    await tx.query("UPDATE shipment_step_deadlines SET called_off_at = $2 WHERE reservation_id = $1 AND met_at IS NULL AND called_off_at IS NULL", [
      reservationId,
      at,
    ]);
  },

  /** The node, locked for the rest of the transaction (a timer deciding on it). */
  async lock(tx: pg.ClientBase, reservationId: string, step: ShipmentStep): Promise<RecordedStepDeadline | undefined> {
    const { rows } = await tx.query<Row>("SELECT * FROM shipment_step_deadlines WHERE reservation_id = $1 AND step = $2 FOR UPDATE", [reservationId, step]);
    return rows[0] && fromRow(rows[0]);
  },

  async markOverdue(tx: pg.ClientBase, reservationId: string, step: ShipmentStep, level: number, at: Date): Promise<void> {
    await tx.query(
      `UPDATE shipment_step_deadlines SET level = $3::smallint, overdue_since = COALESCE(overdue_since, $4), escalated_at = CASE WHEN $3::smallint >= 2 THEN $4 ELSE escalated_at END
       WHERE reservation_id = $1 AND step = $2`,
      [reservationId, step, level, at],
    );
  },

  /**
   * The store's steps flagged late and still neither done nor called off, oldest deadline
   * first (the reservation id, then the step, breaking a tie), with the reservation's priority
   * and how its goods leave: `page.size` of them after `page.after`, each with its position.
   */
  async overdueOfStore(
    db: Db,
    storeId: string,
    page: PageAsked<OverduePosition>,
  ): Promise<(RecordedStepDeadline & { priority: number; fulfillmentMethod: string; position: OverduePosition })[]> {
    const params: unknown[] = [storeId];
    const where = ["d.store_id = $1", "d.level > 0", "d.met_at IS NULL", "d.called_off_at IS NULL"];
    if (page.after) {
      const [at, id, step] = [params.push(page.after.dueAtMicros), params.push(page.after.id), params.push(page.after.step)];
      where.push(`(d.due_at, d.reservation_id COLLATE "C", d.step COLLATE "C") > (timestamptz 'epoch' + $${at}::bigint * interval '1 microsecond', $${id}::text COLLATE "C", $${step}::text COLLATE "C")`);
    }
    const { rows } = await db.query<Row & { priority: number; fulfillment_method: string; due_micros: string }>(
      `SELECT d.*, r.priority, r.fulfillment_method, (extract(epoch FROM d.due_at) * 1000000)::bigint::text AS due_micros
       FROM shipment_step_deadlines d JOIN reservations r USING (reservation_id)
       WHERE ${where.join(" AND ")}
       ORDER BY d.due_at, d.reservation_id COLLATE "C", d.step COLLATE "C" LIMIT $${params.push(page.size)}`,
      params,
    );
    return rows.map((r) => ({
      ...fromRow(r),
      priority: r.priority,
      fulfillmentMethod: r.fulfillment_method,
      position: { dueAtMicros: r.due_micros, id: r.reservation_id, step: r.step },
    }));
  },
};
